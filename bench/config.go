package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// config is how much the bench measures. The defaults are the full run;
// -quick is for development.
type config struct {
	Runs       int           // runs per side of every figure
	Warmup     time.Duration // from start to the measured window of a live run
	Window     time.Duration // measured window of a live run
	FirstRuns  int           // time-to-first-frame trials per side
	RecordN    []int         // camera counts of the recording scale test
	ScaleHold  time.Duration // how long each count records
	Threads    int           // decoder threads, both sides
	Only       []string      // parts or figure numbers to run; all if empty
	Out        string        // results file
	Cache      string        // clips, binaries, profiles
	Profile    bool          // profile the live, record and window paths
	MicroCount int           // go test -count of the micro-benchmarks
	MicroTime  string        // and their -benchtime
	Quick      bool
}

// envFlags names the environment variable whose words are read as extra
// flags, so `make bench CAMDECK_BENCH_FLAGS=-quick` works.
const envFlags = "CAMDECK_BENCH_FLAGS"

func parseConfig(args []string) (*config, error) {
	all := append(strings.Fields(os.Getenv(envFlags)), args...)
	c := &config{Quick: slices.ContainsFunc(all, func(a string) bool { return strings.TrimLeft(a, "-") == "quick" })}
	// def is a flag's default: the full run's, or the quick one's.
	def := func(full, quick string) string {
		if c.Quick {
			return quick
		}
		return full
	}
	dur := func(s string) time.Duration { d, _ := time.ParseDuration(s); return d }
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Bool("quick", false, "a few short runs, results in the cache folder: for development")
	fs.IntVar(&c.Runs, "runs", num(def("5", "2")), "runs per side of every figure (median, min-max)")
	fs.DurationVar(&c.Warmup, "warmup", dur(def("3s", "2s")), "live runs: time before the measured window")
	fs.DurationVar(&c.Window, "window", dur(def("6s", "3s")), "live runs: measured window")
	fs.IntVar(&c.FirstRuns, "first-runs", num(def("10", "3")), "time-to-first-frame trials per side")
	counts := fs.String("record-counts", def("8,16,32,64,128", "2,4"), "recording scale test: camera counts")
	fs.DurationVar(&c.ScaleHold, "record-hold", dur(def("8s", "5s")), "recording scale test: time per count")
	fs.IntVar(&c.Threads, "threads", runtime.NumCPU(), "decoder threads, both sides")
	only := fs.String("only", "", "comma-separated parts or figure numbers to run: "+partNames())
	fs.StringVar(&c.Cache, "cache", "bench/.cache", "folder for clips, binaries and profiles")
	fs.StringVar(&c.Out, "out", def("bench/results.md", ""), "results file (default: bench/results.md; quick: in the cache folder)")
	fs.BoolVar(&c.Profile, "profile", true, "profile (perf) the live, record and window paths")
	fs.IntVar(&c.MicroCount, "micro-count", num(def("6", "1")), "micro-benchmarks: go test -count")
	fs.StringVar(&c.MicroTime, "micro-time", def("200ms", "50ms"), "micro-benchmarks: go test -benchtime")
	if err := fs.Parse(all); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("bench: unexpected arguments %q", fs.Args())
	}
	if c.Out == "" {
		c.Out = c.Cache + "/results-quick.md"
	}
	for _, w := range strings.Split(*only, ",") {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		if !slices.ContainsFunc(parts, func(p part) bool { return p.is(w) }) {
			return nil, fmt.Errorf("bench: -only: unknown part or figure %q (%s)", w, partNames())
		}
		c.Only = append(c.Only, w)
	}
	for _, s := range strings.Split(*counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bench: -record-counts: bad count %q", s)
		}
		c.RecordN = append(c.RecordN, n)
	}
	if c.Runs < 1 || c.Threads < 1 {
		return nil, fmt.Errorf("bench: -runs and -threads must be positive")
	}
	return c, nil
}

// wants tells whether a part is to run.
func (c *config) wants(p part) bool {
	return len(c.Only) == 0 || slices.ContainsFunc(c.Only, p.is)
}
