// Package pulse starts a private PulseAudio server for tests: a null sink
// as its only output, reached through its own socket, and ALSA's pulse
// plugin pointed at it, so that a program playing to ALSA's default
// device (oto) plays into the sink, and parec records what it played
// from the sink's monitor.
package pulse

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Rate and Channels of the sink and of a Capture (mono s16le).
const (
	Rate = 48000
	sink = "camdeck_test"
)

// Server is a running PulseAudio with a null sink.
type Server struct {
	Dir    string // its runtime folder and the HOME holding .asoundrc
	Socket string
	cmd    *exec.Cmd
	log    *bytes.Buffer
}

// Start starts a server that stops when the test ends, and points this
// process's ALSA and PulseAudio clients at it (HOME, PULSE_SERVER and
// XDG_RUNTIME_DIR, with t.Setenv). Where pulseaudio is missing or cannot
// start, the test is skipped with the reason.
func Start(t *testing.T) *Server {
	t.Helper()
	bin, err := exec.LookPath("pulseaudio")
	if err != nil {
		t.Skipf("no sound server: pulseaudio is not installed (make deps installs it): %v", err)
	}
	if _, err := exec.LookPath("parec"); err != nil {
		t.Skipf("no sound server: parec is not installed (pulseaudio-utils): %v", err)
	}
	// A socket path has at most 107 bytes: t.TempDir's may be longer.
	dir, err := os.MkdirTemp("", "camdeck-pulse-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &Server{Dir: dir, Socket: filepath.Join(dir, "native"), log: &bytes.Buffer{}}
	for _, d := range []string{"run", "home"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// No default script (-n): only the socket and the sink. As root,
	// pulseaudio warns and runs; --disallow-exit keeps clients from
	// stopping it; no shared memory, which some containers lack.
	s.cmd = exec.Command(bin, "--daemonize=no", "--exit-idle-time=-1", "-n", "--system=false",
		"--disallow-exit", "--disable-shm=yes", "--use-pid-file=no", "--log-target=stderr",
		"--load=module-native-protocol-unix socket="+s.Socket+" auth-anonymous=1",
		fmt.Sprintf("--load=module-null-sink sink_name=%s rate=%d channels=2", sink, Rate))
	s.cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"), "XDG_RUNTIME_DIR="+filepath.Join(dir, "run"))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Skipf("no sound server: pulseaudio does not start: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// Its process group (Setpgid): the server and what it started.
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(s.Socket); err == nil {
			break
		}
		select {
		case <-exited:
			t.Skipf("no sound server: pulseaudio exited at start:\n%s", s.log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Skipf("no sound server: pulseaudio made no socket within 15 s:\n%s", s.log)
		}
	}

	server := "unix:" + s.Socket
	asoundrc := fmt.Sprintf("pcm.!default {\n\ttype pulse\n\tserver %q\n}\nctl.!default {\n\ttype pulse\n\tserver %q\n}\n", server, server)
	if err := os.WriteFile(filepath.Join(dir, "home", ".asoundrc"), []byte(asoundrc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("XDG_RUNTIME_DIR", filepath.Join(dir, "run"))
	t.Setenv("PULSE_SERVER", server)
	return s
}

// Log is what the server printed.
func (s *Server) Log() string { return s.log.String() }

// Capture records the sink's monitor with parec.
type Capture struct {
	// Started is when parec's first bytes came.
	Started time.Time
	cmd     *exec.Cmd
	cancel  context.CancelFunc
	mu      sync.Mutex
	pcm     []byte
	done    chan struct{}
}

// Capture starts recording what the sink plays, mono s16le at Rate.
func (s *Server) Capture(t *testing.T) *Capture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &Capture{cancel: cancel, done: make(chan struct{})}
	c.cmd = exec.CommandContext(ctx, "parec", "--device="+sink+".monitor", "--raw", "--format=s16le",
		fmt.Sprintf("--rate=%d", Rate), "--channels=1", "--latency-msec=10")
	c.cmd.Env = append(os.Environ(), "PULSE_SERVER=unix:"+s.Socket)
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	c.cmd.Stderr = &stderr
	if err := c.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("parec: %v", err)
	}
	first := make(chan struct{})
	go func() {
		defer close(c.done)
		buf := make([]byte, 4096)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				c.mu.Lock()
				if c.Started.IsZero() {
					c.Started = time.Now()
					close(first)
				}
				c.pcm = append(c.pcm, buf[:n]...)
				c.mu.Unlock()
			}
			if err != nil {
				return // parec ended
			}
		}
	}()
	t.Cleanup(func() { c.Stop() })
	select {
	case <-first:
	case <-c.done:
		t.Fatalf("parec ended before recording: %s", stderr.String())
	case <-time.After(15 * time.Second):
		t.Fatalf("parec recorded nothing within 15 s: %s", stderr.String())
	}
	return c
}

// Stop ends the recording and returns it.
func (c *Capture) Stop() []byte {
	c.cancel()
	<-c.done
	_ = c.cmd.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pcm
}
