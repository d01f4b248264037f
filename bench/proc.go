package main

import (
	"bufio"
	"bytes"
	"context"
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

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on every Linux the bench targets).
const clockTick = 10 * time.Millisecond

// proc is one measured child process: camdeck's helper, ffmpeg, the demo
// server. Its stdout is read line by line; its stderr is kept for errors
// and for ffmpeg's statistics.
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

// lockedWriter appends to the proc's stderr buffer.
type lockedWriter struct{ p *proc }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.stderr.Write(b)
}

// startProc starts a command with extra environment variables.
func startProc(env []string, name string, args ...string) (*proc, error) {
	p := &proc{name: name, lines: make(chan string, 4096), done: make(chan struct{})}
	p.cmd = exec.Command(name, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = lockedWriter{p}
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

// pid is the child's process id.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// line waits for the next stdout line, at most timeout.
func (p *proc) line(timeout time.Duration) (string, error) {
	select {
	case l, ok := <-p.lines:
		if !ok {
			return "", fmt.Errorf("bench: %s ended early: %s", p.name, p.tail())
		}
		return l, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("bench: %s: no output after %v", p.name, timeout)
	}
}

// startHelper starts camdeck-bench with args and waits, at most within,
// for it to print "ready"; a helper that does not get ready is stopped.
func (b *bench) startHelper(env []string, within time.Duration, args ...string) (*proc, error) {
	p, err := startProc(env, b.helper, args...)
	if err != nil {
		return nil, err
	}
	if err := p.waitLine("ready", within); err != nil {
		p.stop(5 * time.Second)
		return nil, err
	}
	return p, nil
}

// waitLine waits for a stdout line equal to want.
func (p *proc) waitLine(want string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		l, err := p.line(time.Until(deadline))
		if err != nil {
			return err
		}
		if l == want {
			return nil
		}
	}
}

// tail is the end of the child's stderr, for error messages.
func (p *proc) tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := strings.TrimSpace(p.stderr.String())
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

// cpu is the CPU time (user + system, all threads) the child used so far.
// It sums the nanosecond run times of the child's threads
// (/proc/PID/task/*/schedstat); /proc/PID/stat has the same figure in
// 10 ms ticks only, too coarse for a recorder at 1% of a core, and is the
// fallback. A thread that ends between two readings takes its time with
// it: the bench's children keep their threads for their whole run.
func (p *proc) cpu() (time.Duration, error) {
	if d, err := schedTime(p.pid()); err == nil {
		return d, nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid()))
	if err != nil {
		return 0, fmt.Errorf("bench: %s: %w", p.name, err)
	}
	// The command name may hold spaces: fields count from after its ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bench: %s: short /proc stat", p.name)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64) // field 14, utime
	st, err2 := strconv.ParseInt(f[12], 10, 64) // field 15, stime
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("bench: %s: %w", p.name, err)
	}
	return time.Duration(ut+st) * clockTick, nil
}

// schedTime sums the CPU time of every thread of a process.
func schedTime(pid int) (time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name() + "/schedstat")
		if err != nil {
			continue // the thread ended
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0, errors.New("bench: empty schedstat")
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, err
		}
		total += ns
	}
	return time.Duration(total), nil
}

// rss is the child's resident set size in bytes.
func (p *proc) rss() (int64, error) {
	return rssOf(p.pid())
}

func rssOf(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: rss: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("bench: rss: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("bench: rss: no VmRSS")
}

// cpuWindow measures the child's CPU time over a wallclock window and
// returns it as a fraction of one core.
func (p *proc) cpuWindow(window time.Duration) (float64, error) {
	c0, err := p.cpu()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	select {
	case <-time.After(window):
	case <-p.done:
		return 0, fmt.Errorf("bench: %s ended during the measurement: %s", p.name, p.tail())
	}
	c1, err := p.cpu()
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
// and its CPU time from rusage.
func (p *proc) wait(timeout time.Duration) (wall, cpu time.Duration, err error) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return 0, 0, fmt.Errorf("bench: %s: still running after %v", p.name, timeout)
	}
	wall = time.Since(p.start)
	p.mu.Lock()
	err = p.err
	p.mu.Unlock()
	if err != nil {
		return 0, 0, fmt.Errorf("bench: %s: %w: %s", p.name, err, p.tail())
	}
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return wall, cpu, nil
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

// sleepCtx sleeps d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
