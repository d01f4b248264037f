package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// machine describes where the bench ran.
type machine struct {
	CPUs                               int
	Model, Kernel, Go, FFmpeg, LoadAvg string
	Date                               time.Time
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Model: "unknown", Go: runtime.Version(), Date: time.Now(), LoadAvg: "?"}
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			m.Model = strings.TrimSpace(v)
			break
		}
	}
	b, _ = os.ReadFile("/proc/sys/kernel/osrelease")
	m.Kernel = strings.TrimSpace(string(b))
	out, _ := exec.Command("ffmpeg", "-hide_banner", "-version").Output()
	m.FFmpeg = strings.Fields(strings.TrimPrefix(string(out), "ffmpeg version ") + " ?")[0]
	if f := strings.Fields(readString("/proc/loadavg")); len(f) >= 3 {
		m.LoadAvg = strings.Join(f[:3], " ")
	}
	return m
}

func readString(path string) string { b, _ := os.ReadFile(path); return string(b) }

// monitorEvery is how often the monitor looks at the other processes.
const monitorEvery = 2 * time.Second

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ).
const clockTick = 10 * time.Millisecond

// monitor watches, for the whole run, the CPU the machine's other
// processes use (any not started by the bench), and during which part:
// figures taken while other work ran are less sure, and the results say so.
type monitor struct {
	stop, done chan struct{}
	start      time.Time

	mu    sync.Mutex
	part  string                   // the part running now
	busy  map[string]time.Duration // by command, over the intervals it used 10% of a core
	parts map[string]time.Duration // all others' CPU during each part
	total time.Duration
}

func startMonitor() *monitor {
	m := &monitor{stop: make(chan struct{}), done: make(chan struct{}), start: time.Now(), part: "set-up",
		busy: map[string]time.Duration{}, parts: map[string]time.Duration{}}
	go func() {
		defer close(m.done)
		t := time.NewTicker(monitorEvery)
		defer t.Stop()
		for prev := procTimes(); ; {
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
			cur := procTimes()
			m.mu.Lock()
			for pid, pt := range cur {
				if old, ok := prev[pid]; ok && pt.ticks > old.ticks && !isOurs(pid, cur) {
					d := time.Duration(pt.ticks-old.ticks) * clockTick
					m.total += d
					m.parts[m.part] += d
					if d*10 >= monitorEvery {
						m.busy[pt.comm] += d
					}
				}
			}
			m.mu.Unlock()
			prev = cur
		}
	}()
	return m
}

func (m *monitor) setPart(p string) {
	m.mu.Lock()
	m.part = p
	m.mu.Unlock()
}

// report stops the monitor and says what else ran.
func (m *monitor) report() string {
	close(m.stop)
	<-m.done
	s := fmt.Sprintf("other processes used %.0f%% of one core on average", 100*m.total.Seconds()/time.Since(m.start).Seconds())
	var names, byPart []string
	for n := range m.busy {
		names = append(names, n)
	}
	if len(names) == 0 {
		return s + "; none used more than 10% of a core at any time"
	}
	sort.Slice(names, func(i, j int) bool { return m.busy[names[i]] > m.busy[names[j]] })
	names = names[:min(len(names), 6)]
	for i, n := range names {
		names[i] = fmt.Sprintf("%s (%.0f CPU-s)", n, m.busy[n].Seconds())
	}
	for _, p := range append([]part{{name: "set-up"}}, parts...) {
		if d := m.parts[p.name]; d >= time.Second {
			byPart = append(byPart, fmt.Sprintf("%s %.0f", p.name, d.Seconds()))
		}
	}
	return s + "; busy at times: " + strings.Join(names, ", ") + ". All others' CPU-seconds by part: " + strings.Join(byPart, ", ")
}

// procTime is a process's name, parent and CPU ticks so far.
type procTime struct {
	comm  string
	ppid  int
	ticks int64
}

func procTimes() map[int]procTime {
	ents, _ := os.ReadDir("/proc")
	out := map[int]procTime{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		s := readString("/proc/" + e.Name() + "/stat")
		// The command name may hold spaces: fields count from after its ')'.
		i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if err != nil || i < 0 || j < i {
			continue
		}
		if f := strings.Fields(s[j+1:]); len(f) >= 13 {
			ppid, _ := strconv.Atoi(f[1])
			ut, _ := strconv.ParseInt(f[11], 10, 64) // field 14, utime
			st, _ := strconv.ParseInt(f[12], 10, 64) // field 15, stime
			out[pid] = procTime{comm: s[i+1 : j], ppid: ppid, ticks: ut + st}
		}
	}
	return out
}

// isOurs tells whether pid is the bench or one of its descendants.
func isOurs(pid int, procs map[int]procTime) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		if pid == os.Getpid() {
			return true
		}
		pid = procs[pid].ppid
	}
	return false
}
