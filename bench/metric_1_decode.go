package main

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"
)

// decode measures figure 1: how fast each side decodes the 1080p30 clip
// to RGBA, from a file, with the same threads. camdeck's side is
// BenchmarkDecodeClip in player/decode (the clip's units into the decoder
// sink, no network), ffmpeg's is `-f null`; both are frames over the wall
// time from exec to exit of their own process.
func (b *bench) decode(ctx context.Context) error {
	n := b.cfg.Runs
	camFull, camTile, ffFull, ffSlice := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() {
			camFull[i], camTile[i] = b.camDecode("full"), b.camDecode(tile)
		}, func() {
			ffFull[i], ffSlice[i] = b.ffDecode(), b.ffDecode("-thread_type", "slice")
		})
		log.Printf("  decode run %d: camdeck %.0f fps full, %.0f tile; ffmpeg %.0f fps (slice threads %.0f)",
			i+1, camFull[i], camTile[i], ffFull[i], ffSlice[i])
	}
	full, tiled, slice := summarize(ratios(camFull, ffFull)), summarize(ratios(camTile, ffFull)), summarize(ratios(camFull, ffSlice))
	cam, ff := summarize(camFull).format("%.0f", ""), summarize(ffFull).format("%.0f", "")
	b.rows = append(b.rows,
		row{Metric: "1a. Decode 1080p30 → RGBA, full size (fps)", Camdeck: cam, Ratio: full.format("%.2f", ""), Goal: goal("≥ 0.9", full.Med >= 0.9),
			Reference: fmt.Sprintf("`ffmpeg -threads %d -i clip -vf format=rgba -f null -`: %s", b.cfg.Threads, ff)},
		row{Metric: "1b. Decode 1080p30 → RGBA 640x360 tile (fps)", Camdeck: summarize(camTile).format("%.0f", ""),
			Reference: "same ffmpeg run, full size: " + ff, Ratio: tiled.format("%.2f", ""), Goal: goal("≥ 1.5", tiled.Med >= 1.5)},
		row{Metric: "1c. (diagnosis) as 1a, ffmpeg held to slice threads like camdeck", Camdeck: cam,
			Reference: "`-thread_type slice`: " + summarize(ffSlice).format("%.0f", ""), Ratio: slice.format("%.2f", ""), Goal: "info"},
	)
	b.note("Decode (1): camdeck's side is `CAMDECK_BENCH_CLIP=clip decode.test -test.bench 'BenchmarkDecodeClip/SIZE' -test.benchtime 1x` " +
		"(player/decode/decoder_bench_test.go), frames over its exec-to-exit wall time as for ffmpeg.")
	return nil
}

// camDecode runs BenchmarkDecodeClip at one size and returns fps.
func (b *bench) camDecode(size string) float64 {
	_, wall, lines, err := runProc(5*time.Minute, []string{"CAMDECK_BENCH_CLIP=" + b.hd, "CAMDECK_BENCH_THREADS=" + b.threadsArg()},
		b.decoder, "-test.run", "^$", "-test.bench", "^BenchmarkDecodeClip$/^"+size+"$", "-test.benchtime", "1x")
	frames := metric(parseBench(strings.Join(lines, "\n"))["BenchmarkDecodeClip/"+size], "frames/op", 1)
	if err == nil && len(frames) == 0 {
		err = fmt.Errorf("bench: no frames/op in the benchmark's output: %q", lines)
	}
	if err != nil {
		log.Printf("  camdeck decode: %v", err)
		return nan()
	}
	return frames[0] / wall.Seconds()
}

// ffDecode decodes the 1080p clip to full-size RGBA with ffmpeg and
// returns fps.
func (b *bench) ffDecode(threading ...string) float64 {
	args := append(append([]string{"-threads", b.threadsArg()}, threading...), "-i", b.hd, "-vf", "format=rgba", "-f", "null", "-")
	p, wall, _, err := runProc(5*time.Minute, nil, "ffmpeg", ffmpegArgs(args...)...)
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
