package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one measured child process: camdeck, its bench helper, ffmpeg.
// Its stdout is read line by line; its stderr is kept for errors and for
// ffmpeg's statistics.
type proc struct {
	name  string
	cmd   *exec.Cmd
	start time.Time
	lines chan string // stdout, closed at EOF

	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

func (p *proc) Write(b []byte) (int, error) { // stderr
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.Write(b)
}

// startProc starts a command with extra environment variables.
func startProc(env []string, name string, args ...string) (*proc, error) {
	p := &proc{name: name, lines: make(chan string, 4096), done: make(chan struct{})}
	p.cmd = exec.Command(name, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = p
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the bench
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", name, err)
	}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: %s: %w", name, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		err := p.cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// waitLine waits, at most timeout, for a stdout line for which want
// holds, and returns it.
func (p *proc) waitLine(timeout time.Duration, want func(string) bool) (string, error) {
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return "", fmt.Errorf("bench: %s ended early: %s", p.name, p.tail())
			}
			if want(l) {
				return l, nil
			}
		case <-deadline:
			return "", fmt.Errorf("bench: %s: no expected output after %v", p.name, timeout)
		}
	}
}

// startHelper starts camdeck-bench with args and waits, at most within,
// for it to print "ready"; a helper that does not get ready is stopped.
func (b *bench) startHelper(env []string, within time.Duration, args ...string) (*proc, error) {
	p, err := startProc(env, b.helper, args...)
	if err != nil {
		return nil, err
	}
	if _, err := p.waitLine(within, func(l string) bool { return l == "ready" }); err != nil {
		p.stop(5 * time.Second)
		return nil, err
	}
	return p, nil
}

// tail is the end of the child's stderr, for error messages.
func (p *proc) tail() string {
	s := strings.TrimSpace(p.errOutput())
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

// errOutput is all of the child's stderr.
func (p *proc) errOutput() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// schedTime is the CPU time (user + system) of all of a process's threads
// so far: the sum of their nanosecond run times in
// /proc/PID/task/*/schedstat (/proc/PID/stat counts 10 ms ticks, too
// coarse for a recorder at 1% of a core). A thread that ends between two
// readings takes its time with it: the bench's children keep theirs.
func schedTime(pid int) (time.Duration, error) {
	var total time.Duration
	for _, t := range threadTimes(pid) {
		total += t.cpu
	}
	if total == 0 {
		return 0, fmt.Errorf("bench: no CPU time for process %d", pid)
	}
	return total, nil
}

// rss is the child's resident set size in bytes.
func (p *proc) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return 0, fmt.Errorf("bench: rss: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("bench: rss: no VmRSS")
}

// cpuWindow measures the child's CPU time over a wallclock window and
// returns it as a fraction of one core.
func (p *proc) cpuWindow(window time.Duration) (float64, error) {
	c0, err := schedTime(p.pid())
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	select {
	case <-time.After(window):
	case <-p.done:
		return 0, fmt.Errorf("bench: %s ended during the measurement: %s", p.name, p.tail())
	}
	c1, err := schedTime(p.pid())
	if err != nil {
		return 0, err
	}
	return (c1 - c0).Seconds() / time.Since(t0).Seconds(), nil
}

// stop asks the child to finish (SIGINT, as Ctrl-C would), waits at most
// timeout, then kills it. It returns the lines the child still printed.
func (p *proc) stop(timeout time.Duration) []string {
	_ = p.cmd.Process.Signal(os.Interrupt)
	var rest []string
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				<-p.done
				return rest
			}
			rest = append(rest, l)
		case <-deadline:
			_ = p.cmd.Process.Kill()
			for l := range p.lines {
				rest = append(rest, l)
			}
			<-p.done
			return rest
		}
	}
}

// wait waits for the child to exit by itself, at most timeout (then it is
// killed and an error returned), and returns its wall time since start
// and the lines it printed.
func (p *proc) wait(timeout time.Duration) (time.Duration, []string, error) {
	var lines []string
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-p.lines:
			if ok {
				lines = append(lines, l)
				continue
			}
			<-p.done
			wall := time.Since(p.start)
			p.mu.Lock()
			err := p.err
			p.mu.Unlock()
			if err != nil {
				return 0, lines, fmt.Errorf("bench: %s: %w: %s", p.name, err, p.tail())
			}
			return wall, lines, nil
		case <-deadline:
			_ = p.cmd.Process.Kill()
			<-p.done
			return 0, lines, fmt.Errorf("bench: %s: still running after %v", p.name, timeout)
		}
	}
}

// exited tells whether the child has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// threadTime is one thread's context switches and CPU time so far.
type threadTime struct {
	switches int64
	cpu      time.Duration
}

// threadTimes reads every thread of a process, by thread id.
func threadTimes(pid int) map[int]threadTime {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, _ := os.ReadDir(dir)
	out := map[int]threadTime{}
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var t threadTime
		if b, err := os.ReadFile(dir + "/" + e.Name() + "/status"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
					c, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
					t.switches += c
				}
			}
		}
		if b, err := os.ReadFile(dir + "/" + e.Name() + "/schedstat"); err == nil {
			if f := strings.Fields(string(b)); len(f) > 0 {
				ns, _ := strconv.ParseInt(f[0], 10, 64)
				t.cpu = time.Duration(ns)
			}
		}
		out[tid] = t
	}
	return out
}

// contextSwitches counts the context switches of all of a process's
// threads so far.
func contextSwitches(pid int) int64 {
	var n int64
	for _, t := range threadTimes(pid) {
		n += t.switches
	}
	return n
}
