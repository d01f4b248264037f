package cli

import (
	"bytes"
	"context"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/reexec"
)

// recordProc is `camdeck record` running as its own process.
type recordProc struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	cancel         context.CancelFunc
	done           chan struct{} // closed when the process has ended
	err            error         // its exit, once done is closed
}

// ended tells whether the process has ended, without waiting.
func (p *recordProc) ended() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to end and returns how it ended. Any number
// of goroutines may wait: the process is waited for once.
func (p *recordProc) wait() error {
	<-p.done
	return p.err
}

// errText is what the process has printed on stderr so far.
func (p *recordProc) errText() string { return p.stderr.String() }

// lockedBuffer is a bytes.Buffer that a test reads while the process
// writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startRecord(t *testing.T, args ...string) *recordProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	p := &recordProc{cancel: cancel, done: make(chan struct{})}
	p.cmd = reexec.Command(ctx, append([]string{"record"}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	return p
}

// waitRecording waits until a recording file appears under dir (its init
// segment is written 16 frames after the first keyframe) and returns the time it did:
// process start-up and connecting are not recording time.
func waitRecording(t *testing.T, dir string) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*", "*.mp4"))
		if len(files) > 0 {
			return time.Now()
		}
		if time.Now().After(deadline) {
			t.Fatal("no recording started within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRecordThreeCameras records three cameras in one process, each with
// its own limit, while one camera jumps its timestamps an hour forward and
// another 10 s back: every file lasts its limit.
func TestRecordThreeCameras(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	a := democam.StartForTest(t, &democam.Server{})
	b := democam.StartForTest(t, &democam.Server{JumpAfter: 3 * time.Second, JumpBy: time.Hour})
	c := democam.StartForTest(t, &democam.Server{JumpAfter: 3 * time.Second, JumpBy: -10 * time.Second})
	out := t.TempDir()
	limits := map[string]float64{"a": 6, "b": 8, "c": 10}

	p := startRecord(t, "--out", out, "--duration", "6s", "a="+a.URL(),
		"--duration", "8s", "b="+b.URL(), "--duration", "10s", "c="+c.URL())
	if err := p.wait(); err != nil {
		t.Fatalf("record: %v\n%s", err, p.stderr.String())
	}
	if n := len(strings.Fields(p.stdout.String())); n != 3 {
		t.Fatalf("stdout lists %d files, want 3:\n%s", n, p.stdout.String())
	}
	for name, limit := range limits {
		files, _ := filepath.Glob(filepath.Join(out, name, "*.mp4"))
		if len(files) != 1 {
			t.Fatalf("camera %s: %d files", name, len(files))
		}
		d := fftest.Duration(t, files[0])
		if math.Abs(d-limit) > 0.3 {
			t.Fatalf("camera %s: %.2f s recorded, limit %.0f s", name, d, limit)
		}
		t.Logf("camera %s: limit %.0f s, recorded %.3f s", name, limit, d)
		fftest.DecodesClean(t, files[0])
	}
}

// TestRecordKill9 kills `camdeck record` without warning 7 s into the
// recording: the file plays and holds all but the last part.
func TestRecordKill9(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{})
	out := t.TempDir()
	p := startRecord(t, "--out", out, "cam="+srv.URL())
	time.Sleep(time.Until(waitRecording(t, out).Add(7 * time.Second)))
	file := kill9(t, p, out)
	d := fftest.Duration(t, file)
	if d < 5.5 {
		t.Fatalf("%.2f s survived the kill, want at least 5.5", d)
	}
	t.Logf("%.3f s survived kill -9 at 7 s", d)
	fftest.DecodesClean(t, file)
}

// kill9 kills `record` without warning, as a power cut would, and returns
// the one file it was writing for camera cam under out.
func kill9(t *testing.T, p *recordProc, out string) string {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.wait()
	files, _ := filepath.Glob(filepath.Join(out, "cam", "*.mp4"))
	if len(files) != 1 {
		t.Fatalf("%d files after kill -9, want 1", len(files))
	}
	return files[0]
}

// TestRecordInterrupt stops `camdeck record` with Ctrl-C 4 s into the
// recording: it exits 0, prints the file, and the file is finished (its
// duration is written).
func TestRecordInterrupt(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{})
	out := t.TempDir()
	p := startRecord(t, "--out", out, "cam="+srv.URL())
	time.Sleep(time.Until(waitRecording(t, out).Add(4 * time.Second)))
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(); err != nil {
		t.Fatalf("record: %v\n%s", err, p.stderr.String())
	}
	file := strings.TrimSpace(p.stdout.String())
	if !strings.HasPrefix(file, filepath.Join(out, "cam")+"/") {
		t.Fatalf("stdout %q: want the file's path", p.stdout.String())
	}
	// The file appears once the first frames have taught the recorder its
	// decode timeline (dtsWarmup, 16 frames): up to 0.64 s after they came.
	if d := fftest.Duration(t, file); d < 3 || d > 5.1 {
		t.Fatalf("%.2f s recorded in 4 s", d)
	}
	fftest.DecodesClean(t, file)
}
