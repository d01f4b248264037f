// Package xvfb runs a virtual X server (Xvfb) and grabs its screen, for
// the tests that look at camdeck's real window and for the bench's GUI
// figures: one copy of starting, waiting and stopping, shared by both.
package xvfb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// readyTimeout bounds the wait for Xvfb to report its display; it is
	// ready within a second on a quiet machine, but a loaded 2-core one
	// running several builds can take many.
	readyTimeout = 30 * time.Second
	// stopTimeout is how long Close waits after SIGTERM before SIGKILL:
	// Xvfb exits at once on SIGTERM unless it is stopped or swapped out.
	stopTimeout = 5 * time.Second
)

// Server is one Xvfb process on a display number it chose itself.
// Configure it by its fields, then Start and Close it.
type Server struct {
	// Width and Height are the screen's size. They default to 1280x800.
	Width, Height int

	display string
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has been waited for
	err     error         // the process's exit, set before done closes

	mu     sync.Mutex
	stderr bytes.Buffer
}

// Start starts Xvfb and returns once it accepts clients. Xvfb picks a
// free display number itself (-displayfd), so parallel tests and a
// developer's own X servers do not collide.
func (s *Server) Start() error {
	if s.Width == 0 || s.Height == 0 {
		s.Width, s.Height = 1280, 800
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		return fmt.Errorf("xvfb: Xvfb is not installed (make deps installs it): %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("xvfb: %w", err)
	}
	defer r.Close()
	s.cmd = exec.Command("Xvfb", "-displayfd", "3",
		"-screen", "0", fmt.Sprintf("%dx%dx24", s.Width, s.Height), "-nolisten", "tcp")
	s.cmd.ExtraFiles = []*os.File{w} // fd 3
	s.cmd.Stderr = lockedWriter{s}
	// The server never outlives the test or bench that started it, even
	// when that one is killed.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err = s.cmd.Start()
	w.Close()
	if err != nil {
		return fmt.Errorf("xvfb: %w", err)
	}
	s.done = make(chan struct{})
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()

	line := make(chan string, 1)
	go func() {
		// Xvfb writes the number once it listens; the read ends at EOF
		// when Xvfb exits, because this process closed its copy of w.
		l, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(l)
	}()
	select {
	case n := <-line:
		if n == "" {
			s.Close()
			return fmt.Errorf("xvfb: Xvfb did not start: %s", s.tail())
		}
		s.display = ":" + n
		return nil
	case <-time.After(readyTimeout):
		s.Close()
		return fmt.Errorf("xvfb: Xvfb did not report its display within %v: %s", readyTimeout, s.tail())
	}
}

// Display is the server's display name (":N"), for DISPLAY.
func (s *Server) Display() string { return s.display }

// Env is the environment line that points X clients at the server.
func (s *Server) Env() string { return "DISPLAY=" + s.display }

// Pid is the Xvfb process's id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Close stops the server by its PID (SIGTERM, then SIGKILL if it lingers)
// and waits for it. It may be called more than once.
func (s *Server) Close() {
	if s.cmd == nil || s.done == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Exited reports whether the process has ended, and how.
func (s *Server) Exited() (bool, error) {
	select {
	case <-s.done:
		return true, s.err
	default:
		return false, nil
	}
}

// tail is the end of Xvfb's stderr, for errors.
func (s *Server) tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := bytes.TrimSpace(s.stderr.Bytes())
	if len(b) > 500 {
		b = b[len(b)-500:]
	}
	return string(b)
}

// lockedWriter collects Xvfb's stderr.
type lockedWriter struct{ s *Server }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.stderr.Len() > 64<<10 { // keep the start, where errors are
		return len(b), nil
	}
	return w.s.stderr.Write(b)
}

// errNotStarted is returned by what needs a running server.
var errNotStarted = errors.New("xvfb: the server is not running")
