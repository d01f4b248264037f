// Command bench is `make bench`: it measures camdeck against FFmpeg on this
// machine, in the same run, on clips it encodes itself and streams from
// the demo camera (`camdeck serve`), and prints one Markdown table that it
// also writes to bench/results.md with the machine and the date.
// README.md in this folder explains every figure; figure N is measured in
// metric_N_*.go, and `-only N` runs only the part that measures it.
//
// Run with a helper's name first (helper.go), it is camdeck's side of a
// figure instead, in a process of its own.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// bench is one run of the whole bench.
type bench struct {
	cfg              *config
	self             string // this program, built, for its helpers
	camdeck, decoder string // the camdeck binary; player/decode's test binary (figure 1)
	hd, sd           string // clips
	machine          machine
	rows             []row
	notes            []string // one paragraph per finding, under the table
	extra            []string // Markdown sections after the notes

	// Figures one part measures and another reports (6).
	liveRSS, live4RSS, ffLiveRSS, recRSS []float64 // bytes
	liveCPU                              []float64 // % of a core per camera, figure 2 (for 10)
	scaleRuns                            []scaleRun
}

// part is one step of the bench, named and numbered by the figures it
// measures: -only takes either.
type part struct {
	name string
	figs []string
	run  func(*bench, context.Context) error
}

// parts in running order. 6 comes from the live (6a) and record (6b)
// runs.
var parts = []part{
	{"decode", []string{"1"}, (*bench).decode},
	{"live", []string{"2", "3", "6"}, (*bench).live},
	{"first", []string{"4"}, (*bench).firstFrame},
	{"record", []string{"5", "6"}, (*bench).record},
	{"ffplay", []string{"3", "3d"}, (*bench).ffplay},
	{"gui", []string{"7"}, (*bench).gui},
	{"library", []string{"8"}, (*bench).library},
	{"seek", []string{"9"}, (*bench).seek},
	{"motion", []string{"10"}, (*bench).motion},
	{"micro", nil, (*bench).micro},
}

func (p part) is(w string) bool { return w == p.name || slices.Contains(p.figs, w) }

func partNames() string {
	var s []string
	for _, p := range parts {
		s = append(s, strings.Join(append([]string{p.name}, p.figs...), "/"))
	}
	return strings.Join(s, ", ")
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	if len(os.Args) > 1 && helpers[os.Args[1]] != nil {
		os.Exit(runHelper(os.Args[1], os.Args[2:]))
	}
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
	if err := b.prepare(); err != nil {
		return err
	}
	b.machine = describeMachine()
	log.Printf("%d CPUs (%s), load %s", b.machine.CPUs, b.machine.Model, b.machine.LoadAvg)
	mon := startMonitor()
	for _, p := range parts {
		if !b.cfg.wants(p) {
			continue
		}
		t := time.Now()
		mon.setPart(p.name)
		log.Printf("%s...", p.name)
		if err := p.run(b, ctx); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("bench: interrupted: %w", ctx.Err())
			}
			log.Printf("%s failed: %v", p.name, err)
			b.rows = append(b.rows, row{Metric: p.name, Camdeck: "failed: " + strings.Join(strings.Fields(err.Error()), " ")})
		}
		log.Printf("%s done in %v", p.name, time.Since(t).Round(time.Second))
	}
	during := mon.report()
	log.Printf("during the run, %s", during)
	return b.write(time.Since(start), during)
}

// prepare finds the module's folder (the bench builds and writes relative
// to it), builds camdeck and figure 1's benchmark, and encodes the clips.
func (b *bench) prepare() error {
	for dir, _ := os.Getwd(); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			os.Chdir(dir)
			break
		}
		if filepath.Dir(dir) == dir {
			return fmt.Errorf("bench: no go.mod above the current folder")
		}
	}
	bin, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "bin"))
	b.camdeck, b.self, b.decoder = filepath.Join(bin, "camdeck"), filepath.Join(bin, "camdeck-bench"), filepath.Join(bin, "decode.test")
	// The helpers run from a build of this program: `go run` strips the
	// symbols perf names Go functions by.
	for _, build := range [][]string{{"build", "-o", b.camdeck, "."}, {"build", "-o", b.self, "./bench"},
		{"test", "-c", "-o", b.decoder, "./player/decode"}} {
		log.Printf("go %s", strings.Join(build, " "))
		if out, err := exec.Command("go", build...).CombinedOutput(); err != nil {
			return fmt.Errorf("bench: go %s: %w: %s", strings.Join(build, " "), err, out)
		}
	}
	log.Printf("encoding clips (once; kept in %s)", b.cfg.Cache)
	var err error
	if b.hd, err = clipHD.make(filepath.Join(b.cfg.Cache, "clips")); err == nil {
		b.sd, err = clipSD.make(filepath.Join(b.cfg.Cache, "clips"))
	}
	return err
}

// write prints the table and writes the results file.
func (b *bench) write(took time.Duration, during string) error {
	m := b.machine
	var s strings.Builder
	flags := strings.Join(append(strings.Fields(os.Getenv(envFlags)), os.Args[1:]...), " ")
	if flags != "" {
		flags = " with `" + flags + "`"
	}
	fmt.Fprintf(&s, "# camdeck vs FFmpeg: `make bench`\n\n- Date: %s\n", m.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&s, "- Machine: %d CPUs (nproc), %s; Linux %s\n", m.CPUs, m.Model, m.Kernel)
	fmt.Fprintf(&s, "- Software: %s, FFmpeg %s (libx264 clips, libavcodec both sides)\n", m.Go, m.FFmpeg)
	fmt.Fprintf(&s, "- Run: `make bench`%s, %v; %d runs per side, decoder threads %d both sides\n",
		flags, took.Round(time.Second), b.cfg.Runs, b.cfg.Threads)
	fmt.Fprintf(&s, "- Load average before: %s\n- During the run (sampled every %v): %s\n\n", m.LoadAvg, monitorEvery, during)
	s.WriteString("Figures: median of the runs, (min–max). Ratios are camdeck / reference, " +
		"taken run by run with the two sides run back to back, alternating which goes first.\n\n")
	sortRows(b.rows)
	s.WriteString(markdown(b.rows))
	if len(b.notes) > 0 {
		s.WriteString("\n## Notes\n\n- " + strings.Join(b.notes, "\n- ") + "\n")
	}
	for _, e := range b.extra {
		s.WriteString("\n" + e)
	}
	fmt.Print("\n" + s.String())
	os.MkdirAll(filepath.Dir(b.cfg.Out), 0o755)
	if err := os.WriteFile(b.cfg.Out, []byte(s.String()), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	log.Printf("wrote %s", b.cfg.Out)
	return nil
}

// note adds a finding under the table.
func (b *bench) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// fresh empties the cache's folder name and returns its absolute path.
func (b *bench) fresh(name string) string {
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, name))
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755) // a failure shows when it is written to
	return dir
}

func rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, path); err == nil {
			return r
		}
	}
	return path
}
