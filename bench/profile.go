package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// profileRun runs the helper once more, outside the measured runs, with a
// Go CPU profile (pprof) of its measured phase and, when perf works, a
// system-wide view of the same process by shared object: that splits the
// CPU between decoding (libavcodec), conversion (libswscale), camdeck's Go
// code (network, depacketizing, queues, muxing) and the kernel. It returns
// a Markdown section for the results.
func (b *bench) profileRun(title, name string, args []string, dur time.Duration) string {
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "profiles"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	pprofPath := filepath.Join(dir, name+".pprof")
	perfPath := filepath.Join(dir, name+".perf.data")
	var s strings.Builder
	fmt.Fprintf(&s, "<details><summary>Profile: %s</summary>\n\n", title)
	fmt.Fprintf(&s, "`camdeck-bench %s`, %v per profile, in runs of their own.\n\n", strings.Join(args, " "), dur)

	// perf first, in a run without the Go profiler, whose signals would
	// show up as kernel time.
	if _, err := exec.LookPath("perf"); err == nil {
		if err := b.perfRun(args, perfPath, dur); err != nil {
			log.Printf("  profile %s: perf: %v", name, err)
		} else {
			out, err := exec.Command("perf", "report", "-i", perfPath, "--no-children", "--sort", "dso",
				"--percent-limit", "0.5", "--stdio").Output()
			if err == nil {
				fmt.Fprintf(&s, "CPU by shared object (`perf record -p`, all threads; `%s`):\n\n```\n%s```\n\n",
					rel(perfPath), perfTable(string(out)))
			}
			out, err = exec.Command("perf", "report", "-i", perfPath, "--no-children", "--sort", "dso,sym",
				"--percent-limit", "1.5", "--stdio").Output()
			if err == nil {
				fmt.Fprintf(&s, "Hottest symbols (perf; libav's are stripped and show as addresses; "+
					"finish_task_switch is time charged to thread wake-ups and switches):\n\n```\n%s```\n\n",
					perfTable(string(out)))
			}
		}
	}

	p, err := startProc(nil, b.helper, append(args, "-cpuprofile", pprofPath)...)
	if err != nil {
		log.Printf("  profile %s: %v", name, err)
		return ""
	}
	if err := p.waitLine("ready", 60*time.Second); err != nil {
		p.stop(5 * time.Second)
		log.Printf("  profile %s: %v", name, err)
		return ""
	}
	time.Sleep(dur)
	p.stop(20 * time.Second)
	out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=22", b.helper, pprofPath).Output()
	if err == nil {
		fmt.Fprintf(&s, "Go CPU profile (`%s`, pprof -top; cgo calls count under their Go caller, libav's own threads are not seen):\n\n```\n%s```\n\n",
			rel(pprofPath), pprofTop(string(out)))
	}
	out, err = exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=30", b.helper, pprofPath).Output()
	if err == nil {
		fmt.Fprintf(&s, "By cumulative time (pprof -top -cum):\n\n```\n%s```\n\n", pprofTop(string(out)))
	}
	s.WriteString("</details>\n")
	return s.String()
}

// perfRun samples a helper run with perf once it is ready.
func (b *bench) perfRun(args []string, path string, dur time.Duration) error {
	p, err := startProc(nil, b.helper, args...)
	if err != nil {
		return err
	}
	defer p.stop(20 * time.Second)
	if err := p.waitLine("ready", 60*time.Second); err != nil {
		return err
	}
	perf, err := startProc(nil, "perf", "record", "-q", "-F", "499", "-o", path,
		"-p", fmt.Sprint(p.pid()), "--", "sleep", fmt.Sprint(dur.Seconds()))
	if err != nil {
		return err
	}
	_, _, err = perf.wait(dur + 30*time.Second)
	return err
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

// profileLive profiles the live path: one 1080p30 camera shown as a tile.
func (b *bench) profileLive(url string) {
	log.Printf("  profiling the live path")
	s := b.profileRun("live path, one 1080p30 camera → 640x360 tile", "live",
		[]string{"live", "-url", url, "-size", tile, "-threads", b.threadsArg()}, 10*time.Second)
	if s != "" {
		b.extra = append(b.extra, s)
	}
}
