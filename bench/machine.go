package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// machine describes where the bench ran.
type machine struct {
	CPUs    int
	Model   string
	Kernel  string
	Go      string
	FFmpeg  string
	Date    time.Time
	LoadAvg string // 1, 5, 15 minutes, at the start
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), Model: "unknown", Go: runtime.Version(), Date: time.Now()}
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
		m.FFmpeg = strings.TrimPrefix(strings.SplitN(string(out), "\n", 2)[0], "ffmpeg version ")
		m.FFmpeg = strings.Fields(m.FFmpeg + " ?")[0]
	}
	m.LoadAvg = loadAvg()
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// busyProcesses lists the processes outside the bench that used more than
// 5% of a core over one second, so the report can say what else ran.
func busyProcesses(exclude func(pid int) bool) []string {
	first := procTimes()
	time.Sleep(time.Second)
	second := procTimes()
	type busy struct {
		name string
		pct  float64
	}
	var list []busy
	for pid, t := range second {
		if exclude(pid) {
			continue
		}
		prev, ok := first[pid]
		if !ok {
			continue
		}
		pct := float64(t.ticks-prev.ticks) * clockTick.Seconds() * 100
		if pct > 5 {
			list = append(list, busy{fmt.Sprintf("%s (pid %d)", t.comm, pid), pct})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].pct > list[j].pct })
	out := make([]string, len(list))
	for i, b := range list {
		out[i] = fmt.Sprintf("%s %.0f%%", b.name, b.pct)
	}
	return out
}

type procTime struct {
	comm  string
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
		s := string(b)
		i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if i < 0 || j < i {
			continue
		}
		f := strings.Fields(s[j+1:])
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = procTime{comm: s[i+1 : j], ticks: ut + st}
	}
	return out
}

// parentOf returns a process's parent pid, or 0.
func parentOf(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// isOurs tells whether pid is the bench or one of its descendants.
func isOurs(pid int) bool {
	self := os.Getpid()
	for i := 0; i < 64 && pid > 1; i++ {
		if pid == self {
			return true
		}
		pid = parentOf(pid)
	}
	return false
}
