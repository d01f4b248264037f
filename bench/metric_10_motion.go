package main

import (
	"context"
	"fmt"
	"strings"
)

// motion measures figure 10: the motion detector's CPU per camera at its
// 5 analyses a second, against issue 15's goal of 2 % of a core and next
// to what decoding the same camera costs (figure 2, same run). Its cost
// is two steps, each a benchmark where its code lives: the grey 160-wide
// picture swscale makes from the decoded 1080p frame (BenchmarkLumaScale,
// player/decode) and one analysis of it (BenchmarkDetector,
// player/motion). Each reports %core@5Hz; a run's figure is their sum.
func (b *bench) motion(ctx context.Context) error {
	runs := fmt.Sprint(b.cfg.Runs)
	_, luma, err := b.goBench(ctx, "-bench", "^BenchmarkLumaScale$", "-benchtime", b.cfg.MicroTime, "-count", runs, "./player/decode")
	if err != nil {
		return err
	}
	_, det, err := b.goBench(ctx, "-bench", "^BenchmarkDetector$", "-benchtime", b.cfg.MicroTime, "-count", runs, "./player/motion")
	if err != nil {
		return err
	}
	var scale []map[string]float64
	for name, r := range luma {
		if strings.HasPrefix(name, "BenchmarkLumaScale/") {
			scale = r
		}
	}
	s, d := metric(scale, "%core@5Hz", 1), metric(det["BenchmarkDetector"], "%core@5Hz", 1)
	sum := make([]float64, min(len(s), len(d)))
	for i := range sum {
		sum[i] = s[i] + d[i]
	}
	total := summarize(sum)
	ref, ratio := "figure 2 not run", "–"
	if live := summarize(b.liveCPU); live.ok() {
		ref = "decoding the same camera (figure 2): " + live.format("%.1f", "%")
		ratio = fmt.Sprintf("%.3f", total.Med/live.Med)
	}
	b.rows = append(b.rows, row{
		Metric: "10. Motion detector CPU per camera, 5 analyses a second of a 1080p stream (% of one core)",
		Camdeck: total.format("%.2f", "%") + fmt.Sprintf(" (grey picture %s, analysis %s)",
			summarize(s).format("%.3f", "%"), summarize(d).format("%.3f", "%")),
		Reference: ref,
		Ratio:     ratio,
		Goal:      goal("≤ 2 %", total.ok() && total.Med <= 2),
	})
	return nil
}
