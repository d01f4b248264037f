package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// monitorEvery is how often the monitor looks at the other processes.
const monitorEvery = 2 * time.Second

// monitor watches, for the whole run, the CPU the machine's other
// processes use (anything not started by the bench), and when: figures
// taken while other work ran are less sure, and the results say so.
type monitor struct {
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	part  string               // the part running now
	busy  map[string]*busyProc // by command name
	total time.Duration        // CPU of other processes
	start time.Time
	parts map[string]time.Duration // other processes' CPU during each part
}

// busyProc is another command that used a fair share of a core.
type busyProc struct {
	cpu   time.Duration
	parts map[string]bool
}

func startMonitor() *monitor {
	m := &monitor{stop: make(chan struct{}), done: make(chan struct{}), busy: map[string]*busyProc{},
		start: time.Now(), parts: map[string]time.Duration{}}
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
			if !ok || isOurs(pid) {
				continue
			}
			d := time.Duration(pt.ticks-old.ticks) * clockTick
			if d <= 0 {
				continue
			}
			m.total += d
			m.parts[m.part] += d
			// 10% of a core over the interval: worth naming.
			if d*10 >= monitorEvery {
				b := m.busy[pt.comm]
				if b == nil {
					b = &busyProc{parts: map[string]bool{}}
					m.busy[pt.comm] = b
				}
				b.cpu += d
				b.parts[m.part] = true
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
	wall := time.Since(m.start)
	s := fmt.Sprintf("other processes used %.0f%% of one core on average", 100*m.total.Seconds()/wall.Seconds())
	type entry struct {
		name string
		b    *busyProc
	}
	var list []entry
	for n, b := range m.busy {
		list = append(list, entry{n, b})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].b.cpu > list[j].b.cpu })
	if len(list) == 0 {
		return s + "; none used more than 10% of a core at any time"
	}
	var names []string
	for _, e := range list[:min(len(list), 6)] {
		var parts []string
		for p := range e.b.parts {
			parts = append(parts, p)
		}
		sort.Strings(parts)
		names = append(names, fmt.Sprintf("%s (%.0f CPU-s, during %s)", e.name, e.b.cpu.Seconds(), strings.Join(parts, ", ")))
	}
	var during []string
	for _, p := range metricNames {
		if d := m.parts[p]; d >= time.Second {
			during = append(during, fmt.Sprintf("%s %.0f", p, d.Seconds()))
		}
	}
	return s + "; busy at times: " + strings.Join(names, "; ") + ". Their CPU-seconds by part: " + strings.Join(during, ", ")
}
