package main

import "fmt"

const mib = 1 << 20

// Figure 6 is resident memory per camera, from the runs of figures 2 and
// 5: camdeck's is the cost of one more camera in the same process, ffmpeg's
// the RSS of its process for one stream, as it runs one per camera.

// liveMemoryRow is 6a: RSS with four live cameras minus RSS with one, over
// three.
func (b *bench) liveMemoryRow() {
	one, four, ff := scaled(b.liveRSS, 1.0/mib), scaled(b.live4RSS, 1.0/mib), scaled(b.ffLiveRSS, 1.0/mib)
	per := make([]float64, len(one))
	for i := range per {
		per[i] = (four[i] - one[i]) / (gridCameras - 1)
	}
	b.rows = append(b.rows, row{
		Metric: "6a. RSS per live 1080p30 camera (640x360 tile)",
		Camdeck: summarize(per).format("%.0f", "MiB") + fmt.Sprintf(" more per camera; one camera: %s, %d cameras: %s",
			summarize(one).format("%.0f", "MiB"), gridCameras, summarize(four).format("%.0f", "MiB")),
		Reference: "ffmpeg process per stream: " + summarize(ff).format("%.0f", "MiB"),
		Ratio:     summarize(ratios(per, ff)).format("%.2f", ""),
		Goal:      "info",
	})
}

// recordMemoryRow is 6b: the slope of RSS between the first and the last
// count of the recording scale test.
func (b *bench) recordMemoryRow() {
	var pts []scaleRun
	for _, r := range b.scaleRuns {
		if r.err == nil && r.rss > 0 {
			pts = append(pts, r)
		}
	}
	r := row{Metric: "6b. RSS per recording-only 1080p30 camera", Goal: "info", Camdeck: "n/a: fewer than two counts of the scale test succeeded"}
	ff := summarize(scaled(b.recRSS, 1.0/mib))
	if ff.ok() {
		r.Reference = "ffmpeg -c copy process per stream: " + ff.format("%.0f", "MiB")
	}
	if len(pts) >= 2 {
		a, c := pts[0], pts[len(pts)-1]
		slope := (c.rss - a.rss) / float64(c.n-a.n) / mib
		r.Camdeck = fmt.Sprintf("%.1f MiB more per camera (RSS %.0f MiB at %d cameras, %.0f MiB at %d)", slope, a.rss/mib, a.n, c.rss/mib, c.n)
		if ff.ok() {
			r.Ratio = fmt.Sprintf("%.2f", slope/ff.Med)
		}
	}
	b.rows = append(b.rows, r)
}
