// Command bench is `make bench`: it measures camdeck against FFmpeg on this
// machine, in the same run, on clips it encodes itself and streams from
// the demo camera, and prints one Markdown table that it also writes to
// bench/results.md with the machine and the date. README.md in this folder
// explains every figure.
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
	root    string // the module's folder
	helper  string // camdeck-bench binary
	hd, sd  string // clips
	machine machine
	rows    []row
	notes   []string // one paragraph per finding, under the table
	extra   []string // Markdown sections after the notes

	// Figures one part measures and another reports.
	liveRSS   []float64 // camdeck, one live camera (bytes), from the live runs
	live4RSS  []float64 // camdeck, four live cameras
	ffLiveRSS []float64 // ffmpeg, one live stream
	recRSS    []float64 // ffmpeg -c copy, one stream
	scaleRuns []scaleRun
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
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	b.root = root
	if err := os.Chdir(root); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	b.machine = describeMachine()
	others := busyProcesses(isOurs)
	log.Printf("%d CPUs (%s), load %s; other busy processes: %s",
		b.machine.CPUs, b.machine.Model, b.machine.LoadAvg, orNone(others))
	mon := startMonitor()
	if err := b.prepare(); err != nil {
		return err
	}
	parts := []struct {
		name string
		run  func(context.Context) error
	}{
		{"decode", b.decode},
		{"live", b.live},
		{"first", b.firstFrame},
		{"record", b.record},
		{"memory", b.memory},
		{"ffplay", b.ffplay},
		{"gui", b.gui},
		{"micro", b.micro},
	}
	for _, p := range parts {
		if !b.cfg.wants(p.name) {
			continue
		}
		t := time.Now()
		mon.setPart(p.name)
		log.Printf("%s...", p.name)
		if err := p.run(ctx); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("bench: interrupted: %w", ctx.Err())
			}
			log.Printf("%s failed: %v", p.name, err)
			b.rows = append(b.rows, row{Metric: p.name, Camdeck: "failed: " + oneLine(err)})
		}
		log.Printf("%s done in %v", p.name, time.Since(t).Round(time.Second))
	}
	mon.setPart("")
	during := mon.report()
	log.Printf("during the run, %s", during)
	return b.write(time.Since(start), others, during)
}

// prepare builds the helper and encodes the clips.
func (b *bench) prepare() error {
	bin := filepath.Join(b.cfg.Cache, "bin", "camdeck-bench")
	log.Printf("building %s", bin)
	cmd := exec.Command("go", "build", "-o", bin, "./bench/cmd/camdeck-bench")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bench: building the helper: %w: %s", err, out)
	}
	b.helper, _ = filepath.Abs(bin)
	log.Printf("encoding clips (once; kept in %s)", b.cfg.Cache)
	var err error
	if b.hd, err = clipHD.make(filepath.Join(b.cfg.Cache, "clips")); err != nil {
		return err
	}
	if b.sd, err = clipSD.make(filepath.Join(b.cfg.Cache, "clips")); err != nil {
		return err
	}
	return nil
}

// write prints the table and writes the results file.
func (b *bench) write(took time.Duration, before []string, during string) error {
	m := b.machine
	var s strings.Builder
	fmt.Fprintf(&s, "# camdeck vs FFmpeg: `make bench`\n\n")
	fmt.Fprintf(&s, "- Date: %s\n", m.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&s, "- Machine: %d CPUs (nproc), %s; Linux %s\n", m.CPUs, m.Model, m.Kernel)
	fmt.Fprintf(&s, "- Software: %s, FFmpeg %s (libx264 clips, libavcodec both sides)\n", m.Go, m.FFmpeg)
	fmt.Fprintf(&s, "- Run: `make bench`%s, %v; %d runs per side, decoder threads %d both sides\n",
		b.flagsNote(), took.Round(time.Second), b.cfg.Runs, b.cfg.Threads)
	fmt.Fprintf(&s, "- Load average before: %s; other busy processes before: %s\n", m.LoadAvg, orNone(before))
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

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("bench: no go.mod above the current folder")
		}
		dir = parent
	}
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
