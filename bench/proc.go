package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is one measured child process: camdeck, the bench's own helper,
// ffmpeg. Its stdout is read line by line; its stderr is kept for errors
// and ffmpeg's statistics.
type proc struct {
	name  string
	cmd   *exec.Cmd
	start time.Time
	lines chan string // stdout, closed at EOF
	done  chan struct{}

	mu     sync.Mutex
	stderr bytes.Buffer
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
	if err == nil {
		p.start = time.Now()
		err = p.cmd.Start()
	}
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", name, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// side is one process of a figure: one of the bench's helpers (helper.go;
// prog empty) or another program, and the cameras it has (profiles divide
// by them, to read per camera).
type side struct {
	label, prog string
	env, args   []string
	cameras     int
}

// launch starts a side; a helper is waited for, at most within, until it
// prints "ready".
func (b *bench) launch(sd side, within time.Duration) (*proc, error) {
	if sd.prog != "" {
		return startProc(sd.env, sd.prog, sd.args...)
	}
	p, err := startProc(sd.env, b.self, sd.args...)
	if err == nil {
		if _, err = p.waitLine(within, func(l string) bool { return l == "ready" }); err != nil {
			p.stop(5 * time.Second)
		}
	}
	return p, err
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// waitLine waits, at most timeout, for a stdout line for which want holds.
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

// end waits at most timeout for the child to exit, then kills it; it
// returns the lines the child printed meanwhile.
func (p *proc) end(timeout time.Duration) []string {
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
			deadline = nil
		}
	}
}

// stop asks the child to finish (SIGINT, as Ctrl-C would) and ends it.
func (p *proc) stop(timeout time.Duration) []string {
	_ = p.cmd.Process.Signal(os.Interrupt)
	return p.end(timeout)
}

// runProc starts a command, lets it exit by itself (or kills it after
// timeout) and returns its wall time from exec to exit and the lines it
// printed.
func runProc(timeout time.Duration, env []string, name string, args ...string) (*proc, time.Duration, []string, error) {
	p, err := startProc(env, name, args...)
	if err != nil {
		return nil, 0, nil, err
	}
	lines := p.end(timeout)
	if wall := time.Since(p.start); p.cmd.ProcessState.Success() {
		return p, wall, lines, nil
	}
	return p, 0, lines, fmt.Errorf("bench: %s: %v: %s", p.name, p.cmd.ProcessState, p.tail())
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail is the end of the child's stderr, for error messages.
func (p *proc) tail() string {
	s := strings.TrimSpace(p.errOutput())
	if len(s) > 400 {
		s = "..." + s[len(s)-400:]
	}
	return s
}

func (p *proc) errOutput() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// rss is the child's resident set size in bytes.
func (p *proc) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.Join(errors.New("bench: no VmRSS"), err)
}

// cpuWindow measures the child's CPU time over a wallclock window, as a
// fraction of one core.
func (p *proc) cpuWindow(window time.Duration) (float64, error) {
	c0, t0 := schedTime(p.pid()), time.Now()
	select {
	case <-time.After(window):
	case <-p.done:
		return 0, fmt.Errorf("bench: %s ended during the measurement: %s", p.name, p.tail())
	}
	c1 := schedTime(p.pid())
	if c1 == 0 {
		return 0, fmt.Errorf("bench: no CPU time for %s", p.name)
	}
	return (c1 - c0).Seconds() / time.Since(t0).Seconds(), nil
}

// threadTime is one thread's context switches and CPU time so far.
type threadTime struct {
	switches int64
	cpu      time.Duration
}

// threadTimes reads every thread of a process, by thread id. CPU time is
// the nanosecond run time of /proc/PID/task/TID/schedstat: /proc/PID/stat
// counts 10 ms ticks, too coarse for a recorder at 1% of a core.
func threadTimes(pid int) map[int]threadTime {
	dir := fmt.Sprintf("/proc/%d/task/", pid)
	ents, _ := os.ReadDir(dir)
	out := map[int]threadTime{}
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var t threadTime
		b, _ := os.ReadFile(dir + e.Name() + "/status")
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				c, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				t.switches += c
			}
		}
		b, _ = os.ReadFile(dir + e.Name() + "/schedstat")
		if f := strings.Fields(string(b)); len(f) > 0 {
			ns, _ := strconv.ParseInt(f[0], 10, 64)
			t.cpu = time.Duration(ns)
		}
		out[tid] = t
	}
	return out
}

// schedTime is the CPU time of all of a process's threads so far (0 if it
// is gone). A thread that ends takes its time with it: the bench's
// children keep theirs.
func schedTime(pid int) (total time.Duration) {
	for _, t := range threadTimes(pid) {
		total += t.cpu
	}
	return total
}

func contextSwitches(pid int) (n int64) {
	for _, t := range threadTimes(pid) {
		n += t.switches
	}
	return n
}

// server is the demo camera, `camdeck serve` (internal/democam), in a
// process of its own so that its CPU is never counted for either side.
type server struct {
	p       *proc
	url     string
	started time.Time // about when its shared feed started: keyframes follow every GOP
}

// startServer serves clip over TCP, shared: one live feed that readers
// join mid-GOP, as with a real camera.
func (b *bench) startServer(clip string) (*server, error) {
	p, err := startProc(nil, b.camdeck, "serve", "--addr", "127.0.0.1:0", "--shared", "--tcp-only", clip)
	if err != nil {
		return nil, err
	}
	url, err := p.waitLine(30*time.Second, func(l string) bool { return strings.HasPrefix(l, "rtsp://") })
	if err != nil {
		p.stop(5 * time.Second)
		return nil, err
	}
	return &server{p: p, url: url, started: time.Now()}, nil
}

func (s *server) close() { s.p.stop(5 * time.Second) }

// helperResult reads a helper's JSON result, its last line.
func helperResult(lines []string, v any) error {
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], "{") {
		return fmt.Errorf("bench: the helper printed no result")
	}
	return json.Unmarshal([]byte(lines[len(lines)-1]), v)
}

var frameRE = regexp.MustCompile(`frame=\s*(\d+)`)

// ffmpegFrames reads the last frame count of ffmpeg's statistics.
func ffmpegFrames(stderr string) (int, error) {
	m := frameRE.FindAllStringSubmatch(stderr, -1)
	if len(m) == 0 {
		return 0, fmt.Errorf("bench: no frame count in ffmpeg's output")
	}
	return strconv.Atoi(m[len(m)-1][1])
}

// ffmpegArgs starts every ffmpeg command line of the bench: no banner, no
// keyboard, progress statistics on (for the frame count).
func ffmpegArgs(args ...string) []string {
	return append([]string{"-hide_banner", "-nostdin", "-stats"}, args...)
}

func (b *bench) threadsArg() string { return strconv.Itoa(b.cfg.Threads) }

// trialOrder runs the two sides of trial i back to back, alternating
// which goes first.
func trialOrder(i int, a, b func()) {
	if i%2 == 1 {
		a, b = b, a
	}
	a()
	b()
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
