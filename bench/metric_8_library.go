package main

import (
	"context"
	"fmt"
	"log"
)

// library measures figure 8, the recordings library's numbers of issue 12
// (library/bench_test.go, on 30 days of one-minute segments of one
// camera, 43,200 files written once for the benchmark into the temporary
// folder): the timeline query against its 50 ms goal, the index rebuild
// from the files against its 30 s goal, and the export of an hour across
// 60 segments against `ffmpeg -f concat -c copy` of the same files, timed
// in the same benchmark run.
func (b *bench) library(ctx context.Context) error {
	_, res, err := b.goBench(ctx, "-bench", "^(BenchmarkRebuild|BenchmarkExportHour)$", "-benchtime", "1x",
		"-count", fmt.Sprint(b.cfg.Runs), "-timeout", "60m", "./library")
	if err != nil {
		return err
	}
	// The timeline query is short: its runs repeat it for 1 s each.
	_, tl, err := b.goBench(ctx, "-bench", "^BenchmarkTimeline$", "-count", fmt.Sprint(b.cfg.Runs), "-timeout", "60m", "./library")
	if err != nil {
		return err
	}
	query, rebuild := summarize(metric(tl["BenchmarkTimeline"], "ns/op", 1e-6)), summarize(metric(res["BenchmarkRebuild"], "ns/op", 1e-9))
	exp := res["BenchmarkExportHour"]
	ratio := summarize(metric(exp, "ratio", 1))
	log.Printf("  timeline %.1f ms, rebuild %.1f s, export ratio %.2f", query.Med, rebuild.Med, ratio.Med)
	b.rows = append(b.rows,
		row{Metric: "8a. Timeline query, one camera over 30 days of 1-minute segments (43,200 files)",
			Camdeck: "`BenchmarkTimeline`: " + query.format("%.1f", "ms"), Reference: "issue 12's goal", Goal: goal("≤ 50 ms", query.Med <= 50)},
		row{Metric: "8b. Index rebuild from those 43,200 files", Camdeck: "`BenchmarkRebuild`: " + rebuild.format("%.1f", "s"),
			Reference: "issue 12's goal", Goal: goal("≤ 30 s", rebuild.Med <= 30)},
		row{Metric: "8c. Export of 1 hour across 60 segments to one MP4", Camdeck: "`BenchmarkExportHour`: " +
			summarize(metric(exp, "export-ms", 1)).format("%.0f", "ms"),
			Reference: "`ffmpeg -f concat -safe 0 -i list.txt -c copy`: " + summarize(metric(exp, "ffmpeg-ms", 1)).format("%.0f", "ms"),
			Ratio:     ratio.format("%.2f", ""), Goal: goal("≤ 0.5", ratio.Med <= 0.5)},
	)
	b.note("Library (8): `go test -run '^$' -bench 'BenchmarkTimeline|BenchmarkRebuild|BenchmarkExportHour' ./library`, %d runs each "+
		"(rebuild and export once per run, the query repeated for 1 s per run); the segments are made once, in $TMPDIR/camdeck-bench-library. "+
		"MediaMTX's `/list` over the same span is not measured: it would need the 43,200 files recorded by MediaMTX.", b.cfg.Runs)
	return nil
}
