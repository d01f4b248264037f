package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// config is how much the bench measures. The defaults are the full run
// (under 15 minutes on 2 cores); -quick is for development.
type config struct {
	Runs       int           // runs per side of every figure
	Warmup     time.Duration // from start to the measured window of a live run
	Window     time.Duration // measured window of a live run
	FirstRuns  int           // time-to-first-frame trials per side
	RecordN    []int         // camera counts of the recording scale test
	ScaleHold  time.Duration // how long each count records
	Threads    int           // decoder threads, both sides
	Only       map[string]bool
	Out        string // results file
	Cache      string // clips, binaries, profiles
	Profile    bool   // write CPU profiles of the live and record paths
	MicroCount int    // go test -count
	MicroTime  string // go test -benchtime
	Quick      bool
}

// metricNames are the parts -only can select, in running order.
var metricNames = []string{"decode", "live", "first", "record", "memory", "ffplay", "gui", "micro"}

// envFlags names the environment variable whose words are read as extra
// flags, so `make bench CAMDECK_BENCH_FLAGS=-quick` works.
const envFlags = "CAMDECK_BENCH_FLAGS"

func parseConfig(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "a few short runs, results in the cache folder: for development")
	fs.IntVar(&c.Runs, "runs", 5, "runs per side of every figure (median, min-max)")
	fs.DurationVar(&c.Warmup, "warmup", 3*time.Second, "live runs: time before the measured window")
	fs.DurationVar(&c.Window, "window", 6*time.Second, "live runs: measured window")
	fs.IntVar(&c.FirstRuns, "first-runs", 10, "time-to-first-frame trials per side")
	counts := fs.String("record-counts", "8,16,32,64,128", "recording scale test: camera counts")
	fs.DurationVar(&c.ScaleHold, "record-hold", 8*time.Second, "recording scale test: time per count")
	fs.IntVar(&c.Threads, "threads", runtime.NumCPU(), "decoder threads, both sides")
	only := fs.String("only", "", "comma-separated parts to run: "+strings.Join(metricNames, ","))
	fs.StringVar(&c.Out, "out", "", "results file (default bench/results.md; quick: the cache folder)")
	fs.StringVar(&c.Cache, "cache", "bench/.cache", "folder for clips, binaries and profiles")
	fs.BoolVar(&c.Profile, "profile", true, "write CPU profiles (pprof, perf) of the live and record paths")
	fs.IntVar(&c.MicroCount, "micro-count", 6, "micro-benchmarks: go test -count")
	fs.StringVar(&c.MicroTime, "micro-time", "200ms", "micro-benchmarks: go test -benchtime")
	all := append(strings.Fields(os.Getenv(envFlags)), args...)
	if err := fs.Parse(all); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("bench: unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *quick {
		c.Quick = true
		c.quickDefaults(set)
		if !set["record-counts"] {
			*counts = "2,4"
		}
	}
	if c.Out == "" {
		c.Out = "bench/results.md"
		if c.Quick {
			c.Out = c.Cache + "/results-quick.md"
		}
	}
	if *only != "" {
		c.Only = map[string]bool{}
		for _, m := range strings.Split(*only, ",") {
			if !contains(metricNames, m) {
				return nil, fmt.Errorf("bench: -only: unknown part %q", m)
			}
			c.Only[m] = true
		}
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

// quickDefaults shortens what the command line did not set.
func (c *config) quickDefaults(set map[string]bool) {
	if !set["runs"] {
		c.Runs = 2
	}
	if !set["warmup"] {
		c.Warmup = 2 * time.Second
	}
	if !set["window"] {
		c.Window = 3 * time.Second
	}
	if !set["first-runs"] {
		c.FirstRuns = 3
	}
	if !set["record-hold"] {
		c.ScaleHold = 5 * time.Second
	}
	if !set["micro-count"] {
		c.MicroCount = 1
	}
	if !set["micro-time"] {
		c.MicroTime = "50ms"
	}
}

// wants tells whether a part is to run.
func (c *config) wants(name string) bool {
	return c.Only == nil || c.Only[name]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
