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

// profileSide is one process a profile samples: camdeck's helper (args)
// or ffmpeg (ffmpeg), with its environment and the cameras it has (its
// figures are divided by them, to read per camera).
type profileSide struct {
	label   string
	env     []string
	args    []string // camdeck-bench arguments
	ffmpeg  []string // or ffmpeg's
	cameras int
	threads bool // list its busiest threads
}

// profileSpec says what to profile: the sides of the table (the first is
// camdeck's, whose hottest symbols and Go profile are shown too).
type profileSpec struct {
	title, name string
	sides       []profileSide
	dur         time.Duration
}

// profileRun profiles one path outside the measured runs, each side in a
// run of its own: perf on camdeck's helper and on ffmpeg doing the same
// work, which splits their CPU by shared object (decoding in libavcodec,
// conversion in libswscale, camdeck's Go code, the kernel) into
// comparable shares of a core; then a Go CPU profile (pprof) of the
// helper for its Go side. It returns a Markdown section for the results.
func (b *bench) profileRun(sp profileSpec) string {
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "profiles"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<details><summary>Profile: %s</summary>\n\n", sp.title)
	for _, side := range sp.sides {
		cmd := "camdeck-bench " + strings.Join(side.args, " ")
		if side.ffmpeg != nil {
			cmd = "ffmpeg " + strings.Join(side.ffmpeg, " ")
		}
		fmt.Fprintf(&s, "- %s: `%s%s`\n", side.label, orEmpty(side.env != nil, strings.Join(side.env, " ")+" "), cmd)
	}
	fmt.Fprintf(&s, "\n%v per profile, each in a run of its own, after the warm-up.\n\n", sp.dur)

	main := sp.sides[0]
	if _, err := exec.LookPath("perf"); err == nil {
		var cols []column
		var files []string
		var threads string
		for i, side := range sp.sides {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.perf.data", sp.name, i+1))
			var p *perfProfile
			var err error
			if side.ffmpeg != nil {
				p, err = b.perfFFmpeg(side.ffmpeg, path, sp.dur)
			} else {
				p, err = b.perfHelper(side.env, side.args, path, sp.dur)
			}
			if err != nil {
				log.Printf("  profile %s (%s): perf: %v", sp.name, side.label, err)
				continue
			}
			if side.cameras > 1 {
				p.scale(1 / float64(side.cameras))
			}
			cols = append(cols, column{side.label, p})
			if i == 0 && side.threads {
				threads = fmt.Sprintf("Threads of %s that switch most (thread 2 of a Go program is the runtime's sysmon, "+
					"the first thread it starts):\n\n%s\n", side.label, threadTable(p.threads))
			}
			files = append(files, "`"+rel(path)+"`")
		}
		if len(cols) > 0 {
			fmt.Fprintf(&s, "CPU by shared object, %% of one core (`perf record -F %d -p PID`, all threads; %s):\n\n%s\n",
				perfFreq, strings.Join(files, ", "), dsoTable(cols))
			s.WriteString(threads)
			out, err := exec.Command("perf", "report", "-i", filepath.Join(dir, sp.name+"-1.perf.data"), "--no-children",
				"--sort", "dso,sym", "--percent-limit", "1.5", "--stdio").Output()
			if err == nil {
				fmt.Fprintf(&s, "Hottest symbols of %s (libav's are stripped and show as addresses; "+
					"`finish_task_switch` is CPU charged to thread wake-ups and switches):\n\n```\n%s```\n\n",
					main.label, perfTable(string(out)))
			}
		}
	}

	pprofPath := filepath.Join(dir, sp.name+".pprof")
	if err := b.pprofHelper(main.env, main.args, pprofPath, sp.dur); err != nil {
		log.Printf("  profile %s: pprof: %v", sp.name, err)
	} else {
		out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=32", b.helper, pprofPath).Output()
		if err == nil {
			fmt.Fprintf(&s, "Go CPU profile of %s (`%s`, `go tool pprof -top -cum`; cgo calls count under their Go caller, "+
				"libav's own threads are not seen):\n\n```\n%s```\n\n", main.label, rel(pprofPath), pprofTop(string(out)))
		}
	}
	s.WriteString("</details>\n")
	return s.String()
}

func orEmpty(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// perfHelper samples a helper run with perf once it is ready and returns
// its CPU by shared object.
func (b *bench) perfHelper(env, args []string, path string, dur time.Duration) (*perfProfile, error) {
	p, err := b.startHelper(env, 60*time.Second, args...)
	if err != nil {
		return nil, err
	}
	defer p.stop(30 * time.Second)
	time.Sleep(time.Until(p.start.Add(b.cfg.Warmup)))
	return perfRecord(p.pid(), path, dur)
}

// perfFFmpeg samples ffmpeg after the warm-up.
func (b *bench) perfFFmpeg(args []string, path string, dur time.Duration) (*perfProfile, error) {
	p, err := startProc(nil, "ffmpeg", args...)
	if err != nil {
		return nil, err
	}
	defer p.stop(20 * time.Second)
	time.Sleep(b.cfg.Warmup)
	if p.exited() {
		return nil, fmt.Errorf("bench: ffmpeg ended: %s", p.tail())
	}
	return perfRecord(p.pid(), path, dur)
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
	cs0, th0 := contextSwitches(pid), threadTimes(pid)
	perf, err := startProc(nil, "perf", "record", "-q", "-F", strconv.Itoa(perfFreq), "-o", path,
		"-p", strconv.Itoa(pid), "--", "sleep", fmt.Sprint(dur.Seconds()))
	if err != nil {
		return nil, err
	}
	if _, _, err := perf.wait(dur + 30*time.Second); err != nil {
		return nil, err
	}
	switches := float64(contextSwitches(pid)-cs0) / dur.Seconds()
	threads := threadDelta(th0, threadTimes(pid), dur)
	out, err := exec.Command("perf", "report", "-i", path, "--no-children", "--sort", "dso", "-n", "--stdio").Output()
	if err != nil {
		return nil, fmt.Errorf("bench: perf report: %w", err)
	}
	cpu := map[string]float64{}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || strings.HasPrefix(f[0], "#") || !strings.HasSuffix(f[0], "%") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		cpu[stage(strings.Join(f[2:], " "))] += float64(n) / (perfFreq * dur.Seconds())
	}
	return &perfProfile{cpu: cpu, switches: switches, threads: threads}, nil
}

// stage names what a shared object does on these paths.
func stage(dso string) string {
	switch {
	case strings.HasPrefix(dso, "libavcodec"):
		return "decode (libavcodec)"
	case strings.HasPrefix(dso, "libswscale"):
		return "convert/scale (libswscale)"
	case strings.HasPrefix(dso, "libavfilter"):
		return "filters (libavfilter)"
	case strings.HasPrefix(dso, "libavformat"):
		return "RTSP, demux, mux (libavformat)"
	case strings.HasPrefix(dso, "libavutil"):
		return "libavutil"
	case strings.HasPrefix(dso, "camdeck-bench"):
		return "camdeck Go code (RTSP, depacketize, queues, mux, runtime)"
	case dso == "ffmpeg":
		return "ffmpeg's own code"
	case dso == "camdeck":
		return "camdeck Go code (Fyne, engine, runtime)"
	case dso == "ffplay" || strings.HasPrefix(dso, "libSDL2"):
		return "ffplay and SDL"
	case strings.Contains(dso, "swrast") || strings.Contains(dso, "gallium") || strings.Contains(dso, "llvmpipe") ||
		strings.HasPrefix(dso, "libLLVM") || strings.Contains(dso, "dri"):
		return "drawing: Mesa software OpenGL (llvmpipe)"
	case strings.HasPrefix(dso, "libGL") || strings.HasPrefix(dso, "libX") || strings.HasPrefix(dso, "libxcb") ||
		strings.HasPrefix(dso, "libglfw"):
		return "OpenGL/X11 client libraries"
	case strings.HasPrefix(dso, "[JIT]") || strings.HasPrefix(dso, "[unknown]"):
		return "JIT code (llvmpipe shaders) and unknown"
	case strings.Contains(dso, "kernel"):
		return "kernel (syscalls, network, scheduling)"
	case strings.HasPrefix(dso, "libc"):
		return "libc (memcpy, locks)"
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
	s.WriteString("| stage |")
	for _, c := range cols {
		s.WriteString(" " + c.name + " |")
	}
	s.WriteString("\n|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, k := range list {
		s.WriteString("| " + k + " |")
		for _, c := range cols {
			fmt.Fprintf(&s, " %.1f%% |", 100*c.p.cpu[k])
		}
		s.WriteString("\n")
	}
	s.WriteString("| **total** |")
	for _, c := range cols {
		t := 0.0
		for _, v := range c.p.cpu {
			t += v
		}
		fmt.Fprintf(&s, " **%.1f%%** |", 100*t)
	}
	s.WriteString("\n| context switches per second (all threads) |")
	for _, c := range cols {
		fmt.Fprintf(&s, " %.0f |", c.p.switches)
	}
	s.WriteString("\n")
	return s.String()
}

// threadTimes reads every thread's context switches and CPU time.
func threadTimes(pid int) map[int][2]int64 {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, _ := os.ReadDir(dir)
	out := map[int][2]int64{}
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var cs, ns int64
		if b, err := os.ReadFile(dir + "/" + e.Name() + "/status"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
					c, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
					cs += c
				}
			}
		}
		if b, err := os.ReadFile(dir + "/" + e.Name() + "/schedstat"); err == nil {
			if f := strings.Fields(string(b)); len(f) > 0 {
				ns, _ = strconv.ParseInt(f[0], 10, 64)
			}
		}
		out[tid] = [2]int64{cs, ns}
	}
	return out
}

// threadDelta turns two readings into per-thread rates, busiest first.
func threadDelta(a, b map[int][2]int64, dur time.Duration) []threadStat {
	var tids []int
	for tid := range b {
		tids = append(tids, tid)
	}
	sort.Ints(tids)
	var out []threadStat
	for i, tid := range tids {
		out = append(out, threadStat{order: i + 1,
			switches: float64(b[tid][0]-a[tid][0]) / dur.Seconds(),
			cpu:      float64(b[tid][1]-a[tid][1]) / float64(dur)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].switches > out[j].switches })
	return out
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

// contextSwitches counts the voluntary and involuntary context switches
// of all of a process's threads so far.
func contextSwitches(pid int) int64 {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, _ := os.ReadDir(dir)
	var n int64
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name() + "/status")
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				c, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				n += c
			}
		}
	}
	return n
}

// pprofHelper runs the helper with a Go CPU profile of its measured phase.
func (b *bench) pprofHelper(env, args []string, path string, dur time.Duration) error {
	p, err := b.startHelper(env, 60*time.Second, append(args, "-cpuprofile", path)...)
	if err != nil {
		return err
	}
	defer p.stop(30 * time.Second)
	time.Sleep(dur)
	return nil
}

// perfTable keeps the lines of perf's report that carry figures.
func perfTable(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(t + "\n")
		}
	}
	return b.String()
}

// pprofTop drops pprof's header lines about the binary and the file.
func pprofTop(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Type:") ||
			strings.HasPrefix(l, "Time:") || l == "" {
			continue
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

func rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, path); err == nil {
			return r
		}
	}
	return path
}

// profileLive profiles the live path: one 1080p30 camera shown as a tile,
// ffmpeg doing the same, and camdeck on one Go thread (GOMAXPROCS=1), the
// what-if that tells the Go scheduler's share.
func (b *bench) profileLive(url string) {
	log.Printf("  profiling the live path")
	cam := []string{"live", "-url", url, "-size", tile, "-threads", b.threadsArg()}
	s := b.profileRun(profileSpec{
		title: "live path, one 1080p30 camera → 640x360 tile", name: "live",
		sides: []profileSide{
			{label: "camdeck", args: cam, threads: true},
			{label: "ffmpeg", ffmpeg: ffmpegArgs("-threads", b.threadsArg(), "-rtsp_transport", "tcp", "-i", url,
				"-vf", "scale="+colon(tile)+",format=rgba", "-f", "null", "-")},
			{label: "camdeck, GOMAXPROCS=1", env: []string{"GOMAXPROCS=1"}, args: cam},
		},
		dur: 10 * time.Second,
	})
	if s != "" {
		b.extra = append(b.extra, s)
	}
}
