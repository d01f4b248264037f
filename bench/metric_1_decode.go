package main

import (
	"context"
	"fmt"
	"log"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// decode measures figure 1: how fast each side decodes the 1080p30 clip to
// RGBA, from a file, with the same number of threads. camdeck's side is
// BenchmarkDecodeClip of the player package (the decoder sink fed the
// clip's units, no network), ffmpeg's is `-f null`. Both are timed the
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
		row{Metric: "1a. Decode 1080p30 → RGBA, full size (fps)", Camdeck: summarize(camFull).format("%.0f", ""),
			Reference: ref + summarize(ffFull).format("%.0f", ""), Ratio: full.format("%.2f", ""), Goal: goal("≥ 0.9", full.Med >= 0.9)},
		row{Metric: "1b. Decode 1080p30 → RGBA 640x360 tile (fps)", Camdeck: summarize(camTile).format("%.0f", ""),
			Reference: "same ffmpeg run, full size: " + summarize(ffFull).format("%.0f", ""), Ratio: tile.format("%.2f", ""),
			Goal: goal("≥ 1.5", tile.Med >= 1.5)},
		row{Metric: "1c. (diagnosis) as 1a, ffmpeg held to slice threads like camdeck", Camdeck: summarize(camFull).format("%.0f", ""),
			Reference: "`-thread_type slice`: " + summarize(ffSlice).format("%.0f", ""), Ratio: slice.format("%.2f", ""), Goal: "info"},
	)
	b.note("Decode (1): camdeck's side is `CAMDECK_BENCH_CLIP=clip %s.test -test.bench 'BenchmarkDecodeClip/SIZE' -test.benchtime 1x` "+
		"(%s/decoder_bench_test.go), frames over its exec-to-exit wall time as for ffmpeg.", strings.TrimPrefix(decoderPackage, "./"), decoderPackage)
	return nil
}

var framesPerOpRE = regexp.MustCompile(`([0-9.]+) frames/op`)

// camDecode runs BenchmarkDecodeClip at one size and returns fps.
func (b *bench) camDecode(size string) float64 {
	p, err := startProc([]string{"CAMDECK_BENCH_CLIP=" + b.hd, "CAMDECK_BENCH_THREADS=" + b.threadsArg()}, b.decoder,
		"-test.run", "^$", "-test.bench", "^BenchmarkDecodeClip$/^"+size+"$", "-test.benchtime", "1x")
	if err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	wall, lines, err := p.wait(5 * time.Minute)
	m := framesPerOpRE.FindStringSubmatch(strings.Join(lines, "\n"))
	if err == nil && m == nil {
		err = fmt.Errorf("bench: no frames/op in the benchmark's output: %q", lines)
	}
	if err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	frames, _ := strconv.ParseFloat(m[1], 64)
	return frames / wall.Seconds()
}

// ffDecode runs ffmpeg's decode of the 1080p clip to full-size RGBA with
// its default (frame) or slice threading, and returns fps.
func (b *bench) ffDecode(threading string) float64 {
	args := []string{"-threads", b.threadsArg()}
	if threading == "slice" {
		args = append(args, "-thread_type", "slice")
	}
	p, err := startProc(nil, "ffmpeg", ffmpegArgs(append(args, "-i", b.hd, "-vf", "format=rgba", "-f", "null", "-")...)...)
	if err != nil {
		log.Printf("  ffmpeg decode: %v", err)
		return nan()
	}
	wall, _, err := p.wait(5 * time.Minute)
	frames := 0
	if err == nil {
		frames, err = ffmpegFrames(p.errOutput())
	}
	if err != nil {
		log.Printf("  ffmpeg decode: %v", err)
		return nan()
	}
	return float64(frames) / wall.Seconds()
}
