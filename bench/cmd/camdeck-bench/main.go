// Command camdeck-bench is camdeck's side of `make bench` where camdeck
// itself prints no counts to judge: each subcommand runs one part of the
// engine (watch live cameras, record, log frame arrivals) in a process of
// its own, so the harness can measure its CPU time and memory apart from
// the demo camera's (`camdeck serve`) and its own.
//
// Results are one JSON object on stdout; progress lines ("ready") go to
// stdout too, before it. SIGINT or SIGTERM ends a live run, which then
// prints its result.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"syscall"
)

// subcommand is one mode of the helper.
type subcommand struct {
	help string
	run  func(ctx context.Context, args []string) error
}

var subcommands = map[string]subcommand{}

func main() {
	if len(os.Args) < 2 || subcommands[os.Args[1]].run == nil {
		fmt.Fprintln(os.Stderr, "usage: camdeck-bench COMMAND [options]; commands:")
		names := make([]string, 0, len(subcommands))
		for n := range subcommands {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, subcommands[n].help)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := subcommands[os.Args[1]].run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "camdeck-bench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// emit prints v as the run's one-line JSON result.
func emit(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bench: result: %w", err)
	}
	_, err = fmt.Printf("%s\n", b)
	return err
}

// ready tells the harness that the measured phase starts now.
func ready() {
	fmt.Println("ready")
}

// startProfile writes a CPU profile to path until the returned function is
// called; an empty path profiles nothing.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
