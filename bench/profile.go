package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// perfFreq is perf's sampling rate: a prime, so it does not beat with the
// 30 fps work or the 100 Hz scheduler tick.
const perfFreq = 499

// profileFor is how long each side of a profile is sampled.
const profileFor = 10 * time.Second

// profile profiles one path outside the measured runs, each side in a run
// of its own: perf on each side, which splits their CPU by shared object
// (decoding in libavcodec, conversion in libswscale, drawing in Mesa,
// camdeck's Go code, the kernel) into comparable shares of a core, and the hottest symbols
// of the first side (Go functions by name: perf reads the Go symbol
// table). It adds a Markdown section to the results.
func (b *bench) profile(title, name string, warmup time.Duration, sides ...side) {
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "profiles"))
	os.MkdirAll(dir, 0o755)
	var s strings.Builder
	fmt.Fprintf(&s, "<details><summary>Profile: %s</summary>\n\n", title)
	for _, sd := range sides {
		prog := sd.prog
		if prog == "" {
			prog = b.self
		}
		fmt.Fprintf(&s, "- %s: `%s`\n", sd.label, strings.TrimSpace(strings.Join(append(append(sd.env, filepath.Base(prog)), sd.args...), " ")))
	}
	fmt.Fprintf(&s, "\n%v per profile, each in a run of its own, after a warm-up of %v; the figures of a side with "+
		"several cameras are per camera.\n\n", profileFor, warmup)
	if _, err := exec.LookPath("perf"); err == nil {
		cpu, switches := map[string][]float64{}, make([]float64, len(sides))
		var files []string
		for i, sd := range sides {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.perf.data", name, i+1))
			shares, sw, err := b.perfSide(sd, path, warmup)
			if err != nil {
				log.Printf("  profile %s (%s): perf: %v", name, sd.label, err)
				continue
			}
			k := 1 / float64(max(1, sd.cameras))
			for st, v := range shares {
				if cpu[st] == nil {
					cpu[st] = make([]float64, len(sides))
				}
				cpu[st][i] += v * k
			}
			switches[i] = sw * k
			files = append(files, "`"+rel(path)+"`")
		}
		fmt.Fprintf(&s, "CPU by shared object, %% of one core (`perf record -F %d -p PID`, all threads; %s):\n\n%s\n",
			perfFreq, strings.Join(files, ", "), stageTable(sides, cpu, switches))
		out, err := exec.Command("perf", "report", "-i", filepath.Join(dir, name+"-1.perf.data"), "--no-children",
			"--sort", "dso,sym", "--percent-limit", "1.5", "--stdio").Output()
		if err == nil {
			fmt.Fprintf(&s, "Hottest symbols of %s (libav's are stripped and show as addresses; "+
				"`finish_task_switch` is CPU charged to thread wake-ups and switches):\n\n```\n%s```\n\n", sides[0].label, keepLines(string(out), "#"))
		}
	}
	b.extra = append(b.extra, s.String()+"</details>\n")
}

// perfSide starts one side, samples it with perf after the warm-up and
// stops it; it returns the side's CPU by shared object and its context
// switches per second.
func (b *bench) perfSide(sd side, path string, warmup time.Duration) (map[string]float64, float64, error) {
	p, err := b.launch(sd, 60*time.Second)
	if err != nil {
		return nil, 0, err
	}
	defer p.stop(30 * time.Second)
	time.Sleep(time.Until(p.start.Add(warmup)))
	cs0 := contextSwitches(p.pid())
	if _, _, _, err := runProc(profileFor+30*time.Second, nil, "perf", "record", "-q", "-F", strconv.Itoa(perfFreq), "-o", path,
		"-p", strconv.Itoa(p.pid()), "--", "sleep", fmt.Sprint(profileFor.Seconds())); err != nil {
		return nil, 0, err
	}
	sw := float64(contextSwitches(p.pid())-cs0) / profileFor.Seconds()
	out, err := exec.Command("perf", "report", "-i", path, "--no-children", "--sort", "dso", "-n", "--stdio").Output()
	if err != nil {
		return nil, 0, fmt.Errorf("bench: perf report: %w", err)
	}
	cpu := map[string]float64{}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && strings.HasSuffix(f[0], "%") {
			if n, err := strconv.Atoi(f[1]); err == nil {
				dso := strings.Join(f[2:], " ")
				if strings.HasPrefix(dso, "[JIT]") {
					dso = "[JIT] (llvmpipe's shaders)"
				}
				cpu[dso] += float64(n) / (perfFreq * profileFor.Seconds())
			}
		}
	}
	return cpu, sw, nil
}

// stageTable renders the CPU by shared object of each side, biggest first.
// camdeck-bench is camdeck's engine (the bench's helpers); camdeck is the
// window.
func stageTable(sides []side, cpu map[string][]float64, switches []float64) string {
	total := func(v []float64) (t float64) {
		for _, x := range v {
			t += x
		}
		return t
	}
	var names []string
	for st, v := range cpu {
		if total(v) >= 0.001 {
			names = append(names, st)
		}
	}
	sort.Slice(names, func(i, j int) bool { return total(cpu[names[i]]) > total(cpu[names[j]]) })
	var s strings.Builder
	line := func(name string, cell func(i int) string) {
		s.WriteString("| " + name + " |")
		for i := range sides {
			s.WriteString(" " + cell(i) + " |")
		}
		s.WriteString("\n")
	}
	line("shared object", func(i int) string { return sides[i].label })
	s.WriteString("|---|" + strings.Repeat("---|", len(sides)) + "\n")
	sum := make([]float64, len(sides))
	for _, st := range names {
		line(st, func(i int) string { sum[i] += cpu[st][i]; return fmt.Sprintf("%.1f%%", 100*cpu[st][i]) })
	}
	line("**total**", func(i int) string { return fmt.Sprintf("**%.1f%%**", 100*sum[i]) })
	line("context switches per second (all threads)", func(i int) string { return fmt.Sprintf("%.0f", switches[i]) })
	return s.String()
}

// keepLines keeps the non-empty lines of out that start with none of
// the prefixes.
func keepLines(out string, prefixes ...string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(t, p) }) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
