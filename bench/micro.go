package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// benchstat is the pinned version `make bench` summarizes with.
const benchstat = "golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"

// microPackages hold the hot-path benchmarks (*_bench_test.go).
var microPackages = []string{"./player/", "./player/decode/", "./recorder/"}

// micro runs the Go micro-benchmarks of the hot paths on the 1080p30 clip,
// keeps their raw output (benchstat's input: compare two runs with
// `benchstat old.txt new.txt`) and adds benchstat's summary to the results.
func (b *bench) micro(ctx context.Context) error {
	clip, _ := filepath.Abs(b.hd)
	args := append([]string{"test", "-run", "^$", "-bench", ".", "-skip", "BenchmarkDecodeClip", "-benchmem",
		"-count", fmt.Sprint(b.cfg.MicroCount), "-benchtime", b.cfg.MicroTime}, microPackages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), "CAMDECK_BENCH_CLIP="+clip)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("bench: go test -bench: %w: %s", err, lastLines(string(out), 20))
	}
	raw := filepath.Join(filepath.Dir(b.cfg.Out), "micro.txt")
	if err := os.WriteFile(raw, out, 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	summary, err := exec.CommandContext(ctx, "go", "run", benchstat, raw).CombinedOutput()
	if err != nil {
		log.Printf("  benchstat: %v (the raw output is in %s)", err, raw)
		summary = []byte(benchLines(string(out)))
	}
	b.extra = append(b.extra, fmt.Sprintf("## Micro-benchmarks\n\n"+
		"`CAMDECK_BENCH_CLIP=<1080p30 clip> go test -run '^$' -bench . -skip BenchmarkDecodeClip -benchmem -count %d -benchtime %s %s`, "+
		"summarized by `benchstat` (raw output: `%s`; compare runs with `benchstat old.txt new.txt`). "+
		"The scale rows compare camdeck's tile filter (bilinear) with cheaper ones; part write compares with and without the fsync per part.\n\n```\n%s```\n",
		b.cfg.MicroCount, b.cfg.MicroTime, strings.Join(microPackages, " "), rel(raw), summary))
	return nil
}

// benchLines keeps the benchmark result lines of go test's output.
func benchLines(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
