package main

import (
	"context"
	"fmt"
	"log"
	"time"
)

// decode measures figure 1: how fast each side decodes the 1080p30 clip to
// RGBA, from a file, with the same number of threads. Both are timed the
// same way, from exec to exit of their own process, and give frames per
// second of wall time.
func (b *bench) decode(ctx context.Context) error {
	n := b.cfg.Runs
	camFull, camTile := make([]float64, n), make([]float64, n)
	ffFull, ffSlice := make([]float64, n), make([]float64, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() {
			camFull[i] = b.camDecode("full")
			camTile[i] = b.camDecode("640x360")
		}, func() {
			ffFull[i] = b.ffDecode("frame")
			ffSlice[i] = b.ffDecode("slice")
		})
		log.Printf("  decode run %d: camdeck %.0f fps full, %.0f tile; ffmpeg %.0f fps (slice threads %.0f)",
			i+1, camFull[i], camTile[i], ffFull[i], ffSlice[i])
	}
	full, tile, slice := summarize(ratios(camFull, ffFull)), summarize(ratios(camTile, ffFull)), summarize(ratios(camFull, ffSlice))
	ref := fmt.Sprintf("`ffmpeg -threads %d -i clip -vf format=rgba -f null -`: ", b.cfg.Threads)
	b.rows = append(b.rows,
		row{
			Metric:    "1a. Decode 1080p30 → RGBA, full size (fps)",
			Camdeck:   summarize(camFull).format("%.0f", ""),
			Reference: ref + summarize(ffFull).format("%.0f", ""),
			Ratio:     full.format("%.2f", ""),
			Goal:      goal("≥ 0.9", full.Med >= 0.9),
		},
		row{
			Metric:    "1b. Decode 1080p30 → RGBA 640x360 tile (fps)",
			Camdeck:   summarize(camTile).format("%.0f", ""),
			Reference: "same ffmpeg run, full size: " + summarize(ffFull).format("%.0f", ""),
			Ratio:     tile.format("%.2f", ""),
			Goal:      goal("≥ 1.5", tile.Med >= 1.5),
		},
		row{
			Metric:    "1c. (diagnosis) as 1a, ffmpeg held to slice threads like camdeck",
			Camdeck:   summarize(camFull).format("%.0f", ""),
			Reference: "`-thread_type slice`: " + summarize(ffSlice).format("%.0f", ""),
			Ratio:     slice.format("%.2f", ""),
			Goal:      "info",
		},
	)
	return nil
}

// camDecode runs the helper's decode of the 1080p clip and returns fps.
func (b *bench) camDecode(size string) float64 {
	p, err := startProc(nil, b.helper, "decode", "-clip", b.hd, "-threads", b.threadsArg(), "-size", size)
	if err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	wall, _, err := p.wait(5 * time.Minute)
	if err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	var r struct {
		Frames int `json:"frames"`
	}
	if err := helperResult(drain(p), &r); err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	return float64(r.Frames) / wall.Seconds()
}

// ffDecode runs ffmpeg's decode of the 1080p clip to full-size RGBA with
// its default (frame) or slice threading, and returns fps.
func (b *bench) ffDecode(threading string) float64 {
	args := []string{"-threads", b.threadsArg()}
	if threading == "slice" {
		args = append(args, "-thread_type", "slice")
	}
	args = append(args, "-i", b.hd, "-vf", "format=rgba", "-f", "null", "-")
	p, err := startProc(nil, "ffmpeg", ffmpegArgs(args...)...)
	if err != nil {
		log.Printf("  ffmpeg decode: %v", err)
		return nan()
	}
	wall, _, err := p.wait(5 * time.Minute)
	if err != nil {
		log.Printf("  ffmpeg decode: %v", err)
		return nan()
	}
	frames, err := ffmpegFrames(p.errOutput())
	if err != nil {
		log.Printf("  ffmpeg decode: %v", err)
		return nan()
	}
	return float64(frames) / wall.Seconds()
}
