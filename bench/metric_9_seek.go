package main

import (
	"context"
	"fmt"
)

// seek measures figure 9: a click on the timeline to the first frame
// shown, BenchmarkPlaybackSeek in player/decode (Playback.Seek to a time,
// mostly mid-GOP, until the frame, scaled to a 960x540 view, is in the
// slot), the median of 20 seeks per run, against issue 12's 300 ms goal.
func (b *bench) seek(ctx context.Context) error {
	_, res, err := b.goBench(ctx, "-bench", "^BenchmarkPlaybackSeek$", "-benchtime", "1x", "-count", fmt.Sprint(b.cfg.Runs), "./player/decode")
	if err != nil {
		return err
	}
	s := summarize(metric(res["BenchmarkPlaybackSeek"], "ms/seek", 1))
	b.rows = append(b.rows, row{Metric: "9. Playback seek, timeline click → first frame in the slot (960x540, median of 20 seeks)",
		Camdeck: "`BenchmarkPlaybackSeek`: " + s.format("%.0f", "ms"), Reference: "issue 12's goal", Goal: goal("≤ 300 ms", s.Med <= 300)})
	return nil
}
