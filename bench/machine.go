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

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on every Linux the bench targets).
const clockTick = 10 * time.Millisecond

// monitorEvery is how often the monitor looks at the other processes.
const monitorEvery = 2 * time.Second

// machine describes where the bench ran.
type machine struct {
	CPUs                      int
	Model, Kernel, Go, FFmpeg string
	Date                      time.Time
	LoadAvg                   string // 1, 5, 15 minutes, at the start
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Model: "unknown", Go: runtime.Version(), Date: time.Now(), LoadAvg: "?"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-version").Output(); err == nil {
		m.FFmpeg = strings.Fields(strings.TrimPrefix(string(out), "ffmpeg version ") + " ?")[0]
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil && len(strings.Fields(string(b))) >= 3 {
		m.LoadAvg = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return m
}

// monitor watches, for the whole run, the CPU the machine's other
// processes use (anything not started by the bench), and when: figures
// taken while other work ran are less sure, and the results say so.
type monitor struct {
	stop, done chan struct{}
	start      time.Time

	mu    sync.Mutex
	part  string                   // the part running now
	busy  map[string]time.Duration // by command name, those that used 10% of a core over an interval
	when  map[string]map[string]bool
	parts map[string]time.Duration // other processes' CPU during each part
	total time.Duration
}

func startMonitor() *monitor {
	m := &monitor{stop: make(chan struct{}), done: make(chan struct{}), start: time.Now(),
		busy: map[string]time.Duration{}, when: map[string]map[string]bool{}, parts: map[string]time.Duration{}}
	go m.run()
	return m
}

// setPart names the part the bench is running.
func (m *monitor) setPart(p string) {
	m.mu.Lock()
	m.part = p
	m.mu.Unlock()
}

func (m *monitor) run() {
	defer close(m.done)
	prev := procTimes()
	t := time.NewTicker(monitorEvery)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		cur := procTimes()
		m.mu.Lock()
		for pid, pt := range cur {
			old, ok := prev[pid]
			d := time.Duration(pt.ticks-old.ticks) * clockTick
			if !ok || d <= 0 || isOurs(pid, cur) {
				continue
			}
			m.total += d
			m.parts[m.part] += d
			if d*10 >= monitorEvery { // 10% of a core: worth naming
				m.busy[pt.comm] += d
				if m.when[pt.comm] == nil {
					m.when[pt.comm] = map[string]bool{}
				}
				m.when[pt.comm][m.part] = true
			}
		}
		m.mu.Unlock()
		prev = cur
	}
}

// report stops the monitor and describes what else ran.
func (m *monitor) report() string {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	s := fmt.Sprintf("other processes used %.0f%% of one core on average", 100*m.total.Seconds()/time.Since(m.start).Seconds())
	var names []string
	for n := range m.busy {
		names = append(names, n)
	}
	if len(names) == 0 {
		return s + "; none used more than 10% of a core at any time"
	}
	sort.Slice(names, func(i, j int) bool { return m.busy[names[i]] > m.busy[names[j]] })
	for i, n := range names[:min(len(names), 6)] {
		var parts []string
		for p := range m.when[n] {
			if p == "" {
				p = "set-up"
			}
			parts = append(parts, p)
		}
		sort.Strings(parts)
		names[i] = fmt.Sprintf("%s (%.0f CPU-s, during %s)", n, m.busy[n].Seconds(), strings.Join(parts, ", "))
	}
	var during []string
	for _, p := range metricNames {
		if d := m.parts[p]; d >= time.Second {
			during = append(during, fmt.Sprintf("%s %.0f", p, d.Seconds()))
		}
	}
	return s + "; busy at times: " + strings.Join(names[:min(len(names), 6)], "; ") +
		". Their CPU-seconds by part: " + strings.Join(during, ", ")
}

// procTime is a process's name and CPU ticks so far.
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
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The command name may hold spaces: fields count from after its ')'.
		s := string(b)
		i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if i < 0 || j < i {
			continue
		}
		f := strings.Fields(s[j+1:])
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		ut, _ := strconv.ParseInt(f[11], 10, 64) // field 14, utime
		st, _ := strconv.ParseInt(f[12], 10, 64) // field 15, stime
		out[pid] = procTime{comm: s[i+1 : j], ppid: ppid, ticks: ut + st}
	}
	return out
}

// isOurs tells whether pid is the bench or one of its descendants.
func isOurs(pid int, procs map[int]procTime) bool {
	self := os.Getpid()
	for i := 0; i < 64 && pid > 1; i++ {
		if pid == self {
			return true
		}
		pid = procs[pid].ppid
	}
	return false
}
