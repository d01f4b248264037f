package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// benchstat is the pinned version `make bench` summarizes with.
const benchstat = "golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"

// microPackages hold the hot-path benchmarks (*_bench_test.go); figures
// 1 and 9 run theirs on their own.
var microPackages = []string{"./player/", "./player/decode/", "./recorder/"}

// micro runs the Go micro-benchmarks of the hot paths on the 1080p30 clip,
// keeps their raw output (benchstat's input: compare two runs with
// `benchstat old.txt new.txt`) and adds benchstat's summary to the results.
func (b *bench) micro(ctx context.Context) error {
	args := append([]string{"-bench", ".", "-skip", "BenchmarkDecodeClip|BenchmarkPlaybackSeek", "-benchmem",
		"-count", fmt.Sprint(b.cfg.MicroCount), "-benchtime", b.cfg.MicroTime}, microPackages...)
	out, _, err := b.goBench(ctx, args...)
	if err != nil {
		return err
	}
	raw := filepath.Join(filepath.Dir(b.cfg.Out), "micro.txt")
	if err := os.WriteFile(raw, []byte(out), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	summary, err := exec.CommandContext(ctx, "go", "run", benchstat, raw).CombinedOutput()
	if err != nil {
		log.Printf("  benchstat: %v (the raw output is in %s)", err, raw)
		summary = []byte(out)
	}
	b.extra = append(b.extra, fmt.Sprintf("## Micro-benchmarks\n\n`CAMDECK_BENCH_CLIP=<1080p30 clip> go test -run '^$' %s`, "+
		"summarized by `benchstat` (raw output: `%s`; compare runs with `benchstat old.txt new.txt`). "+
		"The scale rows compare camdeck's tile filter (bilinear) with cheaper ones; part write compares with and without the fsync per part.\n\n```\n%s```\n",
		strings.Join(args, " "), rel(raw), summary))
	return nil
}

// goBench runs `go test -run '^$'` with args (benchmarks, flags and
// packages) on the 1080p30 clip, and returns its output and each
// benchmark's results, one map of unit → value per line it printed
// ("ns/op", and what the benchmark reports with ReportMetric).
func (b *bench) goBench(ctx context.Context, args ...string) (string, map[string][]map[string]float64, error) {
	clip, _ := filepath.Abs(b.hd)
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-run", "^$"}, args...)...)
	cmd.Env = append(os.Environ(), "CAMDECK_BENCH_CLIP="+clip, "CAMDECK_BENCH_THREADS="+b.threadsArg())
	out, err := cmd.CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return "", nil, fmt.Errorf("bench: go test %s: %w: %s", strings.Join(args, " "), err, strings.Join(lines[max(0, len(lines)-20):], "\n"))
	}
	return string(out), parseBench(string(out)), nil
}

// parseBench reads go test's benchmark lines: a name with the -GOMAXPROCS
// suffix, the iterations, then value-unit pairs.
func parseBench(out string) map[string][]map[string]float64 {
	res := map[string][]map[string]float64{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				m[f[i+1]] = v
			}
		}
		res[name] = append(res[name], m)
	}
	return res
}

// metric collects one unit of a benchmark's runs, scaled by k.
func metric(runs []map[string]float64, unit string, k float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = nan()
		if v, ok := r[unit]; ok {
			out[i] = v * k
		}
	}
	return out
}
