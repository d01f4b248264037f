package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
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

// profileSide is one process a profile samples: camdeck's helper (prog
// empty) or another program, with its environment and the cameras it has
// (its figures are divided by them, to read per camera).
type profileSide struct {
	label   string
	env     []string
	prog    string
	args    []string
	cameras int
	threads bool // list its busiest threads
}

// profileSpec says what to profile: the sides of the table (the first is
// camdeck's, whose hottest symbols, and Go profile if it is the helper,
// are shown too).
type profileSpec struct {
	title, name string
	sides       []profileSide
	warmup      time.Duration // before sampling; it defaults to the live runs' warm-up
}

// profileRun profiles one path outside the measured runs, each side in a
// run of its own: perf on camdeck's helper and on ffmpeg doing the same
// work, which splits their CPU by shared object (decoding in libavcodec,
// conversion in libswscale, camdeck's Go code, the kernel) into
// comparable shares of a core; then a Go CPU profile (pprof) of the
// helper for its Go side. It adds a Markdown section to the results.
func (b *bench) profileRun(sp profileSpec) {
	if sp.warmup == 0 {
		sp.warmup = b.cfg.Warmup
	}
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "profiles"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<details><summary>Profile: %s</summary>\n\n", sp.title)
	for _, side := range sp.sides {
		cmd := filepath.Base(orHelper(side.prog)) + " " + strings.Join(side.args, " ")
		fmt.Fprintf(&s, "- %s: `%s`\n", side.label, strings.TrimSpace(strings.Join(side.env, " ")+" "+cmd))
	}
	fmt.Fprintf(&s, "\n%v per profile, each in a run of its own, after a warm-up of %v; the figures of a side with "+
		"several cameras are per camera.\n\n", profileFor, sp.warmup)
	main := sp.sides[0]
	if _, err := exec.LookPath("perf"); err == nil {
		var cols []column
		var files []string
		for i, side := range sp.sides {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.perf.data", sp.name, i+1))
			p, err := b.perfSide(side, path, sp.warmup)
			if err != nil {
				log.Printf("  profile %s (%s): perf: %v", sp.name, side.label, err)
				continue
			}
			p.scale(1 / float64(max(1, side.cameras)))
			cols = append(cols, column{side.label, p})
			files = append(files, "`"+rel(path)+"`")
		}
		if len(cols) > 0 {
			fmt.Fprintf(&s, "CPU by shared object, %% of one core (`perf record -F %d -p PID`, all threads; %s):\n\n%s\n",
				perfFreq, strings.Join(files, ", "), dsoTable(cols))
			if main.threads && cols[0].name == main.label {
				fmt.Fprintf(&s, "Threads of %s that switch most (thread 2 of a Go program is the runtime's sysmon, "+
					"the first thread it starts):\n\n%s\n", main.label, threadTable(cols[0].p.threads))
			}
			out, err := exec.Command("perf", "report", "-i", filepath.Join(dir, sp.name+"-1.perf.data"), "--no-children",
				"--sort", "dso,sym", "--percent-limit", "1.5", "--stdio").Output()
			if err == nil {
				fmt.Fprintf(&s, "Hottest symbols of %s (libav's are stripped and show as addresses; "+
					"`finish_task_switch` is CPU charged to thread wake-ups and switches):\n\n```\n%s```\n\n",
					main.label, keepLines(string(out), func(l string) bool { return !strings.HasPrefix(l, "#") }))
			}
		}
	}
	if main.prog == "" { // only the helper writes a Go profile
		s.WriteString(b.pprofSide(main, filepath.Join(dir, sp.name+".pprof")))
	}
	s.WriteString("</details>\n")
	b.extra = append(b.extra, s.String())
}

// pprofSide runs the helper with a Go CPU profile of its measured phase
// and returns pprof's top functions as Markdown.
func (b *bench) pprofSide(side profileSide, path string) string {
	p, err := b.startHelper(side.env, 60*time.Second, append(side.args, "-cpuprofile", path)...)
	if err != nil {
		log.Printf("  profile: pprof: %v", err)
		return ""
	}
	time.Sleep(profileFor)
	p.stop(30 * time.Second)
	out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=32", b.helper, path).Output()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("Go CPU profile of %s (`%s`, `go tool pprof -top -cum`; cgo calls count under their Go caller, "+
		"libav's own threads are not seen):\n\n```\n%s```\n\n", side.label, rel(path),
		keepLines(string(out), func(l string) bool {
			return !strings.HasPrefix(l, "File:") && !strings.HasPrefix(l, "Build ID:") &&
				!strings.HasPrefix(l, "Type:") && !strings.HasPrefix(l, "Time:")
		}))
}

// perfSide starts one side, samples it with perf after the warm-up and
// stops it.
func (b *bench) perfSide(side profileSide, path string, warmup time.Duration) (*perfProfile, error) {
	var p *proc
	var err error
	if side.prog != "" {
		p, err = startProc(side.env, side.prog, side.args...)
	} else {
		p, err = b.startHelper(side.env, 60*time.Second, side.args...)
	}
	if err != nil {
		return nil, err
	}
	defer p.stop(30 * time.Second)
	time.Sleep(time.Until(p.start.Add(warmup)))
	if p.exited() {
		return nil, fmt.Errorf("bench: %s ended: %s", p.name, p.tail())
	}
	return perfRecord(p.pid(), path, profileFor)
}

// perfProfile is a process's CPU by stage, in fractions of one core, and
// its context switches per second over the same time.
type perfProfile struct {
	cpu      map[string]float64
	switches float64
	threads  []threadStat // busiest first
}

// threadStat is one thread's share of a process's work over a profile.
type threadStat struct {
	order    int // 1 for the main thread, 2 for the next one started, ...
	switches float64
	cpu      float64 // of one core
}

func (p *perfProfile) scale(k float64) {
	for s := range p.cpu {
		p.cpu[s] *= k
	}
	p.switches *= k
}

// column is one side of a profile table.
type column struct {
	name string
	p    *perfProfile
}

// perfRecord samples a process for dur and returns its CPU by shared
// object.
func perfRecord(pid int, path string, dur time.Duration) (*perfProfile, error) {
	th0 := threadTimes(pid)
	perf, err := startProc(nil, "perf", "record", "-q", "-F", strconv.Itoa(perfFreq), "-o", path,
		"-p", strconv.Itoa(pid), "--", "sleep", fmt.Sprint(dur.Seconds()))
	if err != nil {
		return nil, err
	}
	if _, _, err := perf.wait(dur + 30*time.Second); err != nil {
		return nil, err
	}
	prof := &perfProfile{cpu: map[string]float64{}}
	th1 := threadTimes(pid)
	var tids []int
	for tid := range th1 {
		tids = append(tids, tid)
	}
	sort.Ints(tids)
	for i, tid := range tids {
		sw := float64(th1[tid].switches-th0[tid].switches) / dur.Seconds()
		prof.switches += sw
		prof.threads = append(prof.threads, threadStat{order: i + 1, switches: sw, cpu: float64(th1[tid].cpu-th0[tid].cpu) / float64(dur)})
	}
	sort.Slice(prof.threads, func(i, j int) bool { return prof.threads[i].switches > prof.threads[j].switches })
	out, err := exec.Command("perf", "report", "-i", path, "--no-children", "--sort", "dso", "-n", "--stdio").Output()
	if err != nil {
		return nil, fmt.Errorf("bench: perf report: %w", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasSuffix(f[0], "%") {
			continue
		}
		if n, err := strconv.Atoi(f[1]); err == nil {
			prof.cpu[stage(strings.Join(f[2:], " "))] += float64(n) / (perfFreq * dur.Seconds())
		}
	}
	return prof, nil
}

// stages name what a shared object does on these paths: the first whose
// test holds.
var stages = []struct {
	name string
	is   func(dso string) bool
}{
	{"decode (libavcodec)", prefix("libavcodec")},
	{"convert/scale (libswscale)", prefix("libswscale")},
	{"filters (libavfilter)", prefix("libavfilter")},
	{"RTSP, demux, mux (libavformat)", prefix("libavformat")},
	{"libavutil", prefix("libavutil")},
	{"camdeck Go code (RTSP, depacketize, queues, mux, runtime)", prefix("camdeck-bench")},
	{"ffmpeg's own code", func(d string) bool { return d == "ffmpeg" }},
	{"camdeck Go code (Fyne, engine, runtime)", func(d string) bool { return d == "camdeck" }},
	{"ffplay and SDL", func(d string) bool { return d == "ffplay" || strings.HasPrefix(d, "libSDL2") }},
	{"drawing: Mesa software OpenGL (llvmpipe)", func(d string) bool {
		return strings.Contains(d, "swrast") || strings.Contains(d, "gallium") || strings.Contains(d, "llvmpipe") ||
			strings.HasPrefix(d, "libLLVM") || strings.Contains(d, "dri")
	}},
	{"OpenGL/X11 client libraries", prefix("libGL", "libX", "libxcb", "libglfw")},
	{"JIT code (llvmpipe shaders) and unknown", prefix("[JIT]", "[unknown]")},
	{"kernel (syscalls, network, scheduling)", func(d string) bool { return strings.Contains(d, "kernel") }},
	{"libc (memcpy, locks)", prefix("libc")},
}

func prefix(ps ...string) func(string) bool {
	return func(d string) bool {
		for _, p := range ps {
			if strings.HasPrefix(d, p) {
				return true
			}
		}
		return false
	}
}

func stage(dso string) string {
	for _, s := range stages {
		if s.is(dso) {
			return s.name
		}
	}
	return "other (" + dso + ")"
}

// dsoTable renders the CPU by stage of each column.
func dsoTable(cols []column) string {
	total := map[string]float64{}
	for _, c := range cols {
		for k, v := range c.p.cpu {
			total[k] += v
		}
	}
	var list []string
	for k, v := range total {
		if v >= 0.001 {
			list = append(list, k)
		}
	}
	sort.Slice(list, func(i, j int) bool { return total[list[i]] > total[list[j]] })
	var s strings.Builder
	line := func(name string, cell func(c column) string) {
		s.WriteString("| " + name + " |")
		for _, c := range cols {
			s.WriteString(" " + cell(c) + " |")
		}
		s.WriteString("\n")
	}
	line("stage", func(c column) string { return c.name })
	s.WriteString("|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, k := range list {
		line(k, func(c column) string { return fmt.Sprintf("%.1f%%", 100*c.p.cpu[k]) })
	}
	line("**total**", func(c column) string {
		t := 0.0
		for _, v := range c.p.cpu {
			t += v
		}
		return fmt.Sprintf("**%.1f%%**", 100*t)
	})
	line("context switches per second (all threads)", func(c column) string { return fmt.Sprintf("%.0f", c.p.switches) })
	return s.String()
}

// threadTable renders the threads that switch most.
func threadTable(ts []threadStat) string {
	var s strings.Builder
	s.WriteString("| thread (in start order) | context switches/s | CPU, % of one core |\n|---|---|---|\n")
	for _, t := range ts[:min(len(ts), 5)] {
		fmt.Fprintf(&s, "| %d | %.0f | %.1f%% |\n", t.order, t.switches, 100*t.cpu)
	}
	return s.String()
}

// keepLines keeps the non-empty lines of out for which keep holds.
func keepLines(out string, keep func(string) bool) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(l); t != "" && keep(t) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// orHelper names the program of a profile side.
func orHelper(prog string) string {
	if prog == "" {
		return "camdeck-bench"
	}
	return prog
}

func rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, path); err == nil {
			return r
		}
	}
	return path
}
