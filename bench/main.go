// Command bench is `make bench`: it measures camdeck against FFmpeg on this
// machine, in the same run, on clips it encodes itself and streams from
// the demo camera (`camdeck serve`), and prints one Markdown table that it
// also writes to bench/results.md with the machine and the date.
// README.md in this folder explains every figure; metric_N_*.go measures
// figure N.
//
// Flags (or the same words in $CAMDECK_BENCH_FLAGS) shorten it: -quick for
// a few short runs, -only decode,live to pick parts.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// bench is one run of the whole bench.
type bench struct {
	cfg     *config
	helper  string // camdeck-bench: the engine's parts in a process of their own
	camdeck string // the camdeck binary: the window and the demo camera
	decoder string // the player package's test binary: figure 1's benchmark
	hd, sd  string // clips
	machine machine
	rows    []row
	notes   []string // one paragraph per finding, under the table
	extra   []string // Markdown sections after the notes

	// Figures one part measures and another reports.
	liveRSS, live4RSS, ffLiveRSS []float64 // bytes: camdeck with 1 and 4 live cameras, ffmpeg with one
	recRSS                       []float64 // ffmpeg -c copy, one stream
	scaleRuns                    []scaleRun
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{cfg: cfg}
	if err := b.run(ctx); err != nil {
		log.Fatal(err)
	}
}

func (b *bench) run(ctx context.Context) error {
	start := time.Now()
	if err := chdirModuleRoot(); err != nil {
		return err
	}
	b.machine = describeMachine()
	log.Printf("%d CPUs (%s), load %s", b.machine.CPUs, b.machine.Model, b.machine.LoadAvg)
	mon := startMonitor()
	if err := b.prepare(); err != nil {
		return err
	}
	parts := map[string]func(context.Context) error{
		"decode": b.decode, "live": b.live, "first": b.firstFrame, "record": b.record,
		"memory": b.memory, "ffplay": b.ffplay, "gui": b.gui, "micro": b.micro,
	}
	for _, name := range metricNames {
		if !b.cfg.wants(name) {
			continue
		}
		t := time.Now()
		mon.setPart(name)
		log.Printf("%s...", name)
		if err := parts[name](ctx); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("bench: interrupted: %w", ctx.Err())
			}
			log.Printf("%s failed: %v", name, err)
			b.rows = append(b.rows, row{Metric: name, Camdeck: "failed: " + strings.Join(strings.Fields(err.Error()), " ")})
		}
		log.Printf("%s done in %v", name, time.Since(t).Round(time.Second))
	}
	mon.setPart("")
	during := mon.report()
	log.Printf("during the run, %s", during)
	return b.write(time.Since(start), during)
}

// decoderPackage holds figure 1's benchmark (BenchmarkDecodeClip).
const decoderPackage = "./player/decode"

// prepare builds camdeck, the helper and the decoder's benchmark, and
// encodes the clips.
func (b *bench) prepare() error {
	bin, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "bin"))
	b.camdeck, b.helper, b.decoder = filepath.Join(bin, "camdeck"), filepath.Join(bin, "camdeck-bench"), filepath.Join(bin, "player.test")
	for _, build := range [][]string{
		{"build", "-o", b.camdeck, "."},
		{"build", "-o", b.helper, "./bench/cmd/camdeck-bench"},
		{"test", "-c", "-o", b.decoder, decoderPackage},
	} {
		log.Printf("go %s", strings.Join(build, " "))
		if out, err := exec.Command("go", build...).CombinedOutput(); err != nil {
			return fmt.Errorf("bench: go %s: %w: %s", strings.Join(build, " "), err, out)
		}
	}
	log.Printf("encoding clips (once; kept in %s)", b.cfg.Cache)
	var err error
	if b.hd, err = clipHD.make(filepath.Join(b.cfg.Cache, "clips")); err != nil {
		return err
	}
	b.sd, err = clipSD.make(filepath.Join(b.cfg.Cache, "clips"))
	return err
}

// write prints the table and writes the results file.
func (b *bench) write(took time.Duration, during string) error {
	m := b.machine
	var s strings.Builder
	fmt.Fprintf(&s, "# camdeck vs FFmpeg: `make bench`\n\n")
	fmt.Fprintf(&s, "- Date: %s\n", m.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&s, "- Machine: %d CPUs (nproc), %s; Linux %s\n", m.CPUs, m.Model, m.Kernel)
	fmt.Fprintf(&s, "- Software: %s, FFmpeg %s (libx264 clips, libavcodec both sides)\n", m.Go, m.FFmpeg)
	fmt.Fprintf(&s, "- Run: `make bench`%s, %v; %d runs per side, decoder threads %d both sides\n",
		b.flagsNote(), took.Round(time.Second), b.cfg.Runs, b.cfg.Threads)
	fmt.Fprintf(&s, "- Load average before: %s\n", m.LoadAvg)
	fmt.Fprintf(&s, "- During the run (sampled every %v): %s\n\n", monitorEvery, during)
	fmt.Fprintf(&s, "Figures: median of the runs, (min–max). Ratios are camdeck / reference, ")
	fmt.Fprintf(&s, "taken run by run with the two sides run back to back, alternating which goes first.\n\n")
	sortRows(b.rows)
	s.WriteString(markdown(b.rows))
	if len(b.notes) > 0 {
		s.WriteString("\n## Notes\n\n")
		for _, n := range b.notes {
			s.WriteString("- " + n + "\n")
		}
	}
	for _, e := range b.extra {
		s.WriteString("\n" + e)
	}
	fmt.Print("\n" + s.String())
	if err := os.MkdirAll(filepath.Dir(b.cfg.Out), 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(b.cfg.Out, []byte(s.String()), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	log.Printf("wrote %s", b.cfg.Out)
	return nil
}

func (b *bench) flagsNote() string {
	words := append(strings.Fields(os.Getenv(envFlags)), os.Args[1:]...)
	if len(words) == 0 {
		return ""
	}
	return " with `" + strings.Join(words, " ") + "`"
}

// note adds a finding under the table.
func (b *bench) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// chdirModuleRoot makes the module's folder the current one: the bench
// builds and writes relative to it.
func chdirModuleRoot() error {
	dir, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return os.Chdir(dir)
		}
		if filepath.Dir(dir) == dir {
			return fmt.Errorf("bench: no go.mod above the current folder")
		}
		dir = filepath.Dir(dir)
	}
}
