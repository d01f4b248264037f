package main

import (
	"context"
	"fmt"
	"log"
)

const mib = 1 << 20

// memory measures figure 6: resident memory per live 1080p camera (shown as
// a tile) and per recording-only camera. camdeck's figure is the marginal
// cost of one more camera in the same process (RSS with four cameras minus
// RSS with one, over three; for recording, the slope between the first
// and last counts of the scale test); ffmpeg's is the RSS of its process
// for one stream, as it runs one process per camera. The live figures come
// from the live runs (2); run alone, this part measures them itself.
func (b *bench) memory(ctx context.Context) error {
	n := b.cfg.Runs
	one, four, ff := b.liveRSS, b.live4RSS, b.ffLiveRSS
	if len(one) < n || len(four) < n || len(ff) < n {
		srv, err := b.startServer(b.hd)
		if err != nil {
			return err
		}
		defer srv.close()
		one, four, ff = make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			if err := ctx.Err(); err != nil {
				return err
			}
			trialOrder(i, func() {
				one[i] = b.camLive(srv.url, 1, tile).rss
				four[i] = b.camLive(srv.url, gridCameras, tile).rss
			}, func() { ff[i] = b.ffLive(srv.url).rss })
			log.Printf("  memory run %d: camdeck 1 camera %.0f MiB, %d cameras %.0f MiB; ffmpeg %.0f MiB",
				i+1, one[i]/mib, gridCameras, four[i]/mib, ff[i]/mib)
		}
	}
	per := make([]float64, n)
	for i := range n {
		per[i] = (four[i] - one[i]) / (gridCameras - 1) / mib
	}
	perS, ffS := summarize(per), summarize(scaled(ff, 1.0/mib))
	ratio := summarize(ratios(per, scaled(ff, 1.0/mib)))
	b.rows = append(b.rows, row{
		Metric: "6a. RSS per live 1080p30 camera (640x360 tile)",
		Camdeck: perS.format("%.0f", "MiB") + fmt.Sprintf(" more per camera; one camera: %s, %d cameras: %s",
			summarize(scaled(one, 1.0/mib)).format("%.0f", "MiB"), gridCameras, summarize(scaled(four, 1.0/mib)).format("%.0f", "MiB")),
		Reference: "ffmpeg process per stream: " + ffS.format("%.0f", "MiB"),
		Ratio:     ratio.format("%.2f", ""),
		Goal:      "info",
	})
	b.recordMemoryRow()
	return nil
}

// recordMemoryRow reports RSS per recording-only camera from the scale
// test's counts.
func (b *bench) recordMemoryRow() {
	var pts []scaleRun
	for _, r := range b.scaleRuns {
		if r.err == nil && r.rss > 0 {
			pts = append(pts, r)
		}
	}
	r := row{Metric: "6b. RSS per recording-only 1080p30 camera", Goal: "info"}
	ff := summarize(scaled(b.recRSS, 1.0/mib))
	if ff.ok() {
		r.Reference = "ffmpeg -c copy process per stream: " + ff.format("%.0f", "MiB")
	}
	switch {
	case len(pts) >= 2:
		a, c := pts[0], pts[len(pts)-1]
		slope := (c.rss - a.rss) / float64(c.n-a.n) / mib
		r.Camdeck = fmt.Sprintf("%.1f MiB more per camera (RSS %.0f MiB at %d cameras, %.0f MiB at %d)",
			slope, a.rss/mib, a.n, c.rss/mib, c.n)
		if ff.ok() {
			r.Ratio = fmt.Sprintf("%.2f", slope/ff.Med)
		}
	case len(b.scaleRuns) == 0:
		r.Camdeck = "needs the recording part (5): run with -only record,memory"
	default:
		r.Camdeck = "n/a: fewer than two counts of the scale test succeeded"
	}
	b.rows = append(b.rows, r)
}
