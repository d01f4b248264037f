package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/badpath"
	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/poll"
)

// TestRecordUncreatableName: a recordings folder that is a file, or a
// camera name too long for a file name, ends `record` with one line
// saying why and exit status 1, at once.
func TestRecordUncreatableName(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{})
	for _, c := range badpath.Cases {
		t.Run(c.Name, func(t *testing.T) {
			code, stdout, stderr := runWithin(t, 30*time.Second, "record", "--duration", "3s", "--out", c.Dir(t), c.Camera+"="+srv.URL())
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 1 || len(lines) != 1 || !strings.Contains(lines[0], "creating ") ||
				!strings.HasSuffix(lines[0], ": "+c.Want) {
				t.Fatalf("exit %d, stderr %q: want 1 and one line 'creating ...: %s'", code, stderr, c.Want)
			}
			if stdout != "" {
				t.Fatalf("stdout %q: no file was recorded", stdout)
			}
		})
	}
}

// TestRecordInterruptEveryState sends Ctrl-C to `record` while it
// connects to a camera that is not there, while it records, and while its
// camera is silent: each time it ends, and soon.
func TestRecordInterruptEveryState(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	// bound catches a command that does not end (it used to run for good);
	// it is generous for a loaded machine: the target is 1 s, and the time
	// taken is logged (0-50 ms with a CI run loading the machine, over 2 s
	// seen at a load average of 7 on 2 cores).
	const bound = 8 * time.Second
	cases := []struct {
		name  string
		setup func(t *testing.T, out string) *recordProc
	}{
		{"connecting", func(t *testing.T, out string) *recordProc {
			p := startRecord(t, "--out", out, "--timeout", "1s", "cam=rtsp://"+closedPort(t)+"/x")
			poll.Until(t, 30*time.Second, "a retrying line", func() bool { return strings.Contains(p.errText(), "(retrying)") })
			return p
		}},
		{"recording", func(t *testing.T, out string) *recordProc {
			srv := democam.StartForTest(t, &democam.Server{})
			p := startRecord(t, "--out", out, "cam="+srv.URL())
			time.Sleep(time.Until(waitRecording(t, out).Add(time.Second)))
			return p
		}},
		{"name that cannot be created", func(t *testing.T, out string) *recordProc {
			srv := democam.StartForTest(t, &democam.Server{})
			notDir := filepath.Join(out, "not-a-dir")
			if err := os.WriteFile(notDir, []byte("x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			p := startRecord(t, "--out", notDir, "cam="+srv.URL())
			time.Sleep(2 * time.Second) // connected and failed (or, before the fix, spinning)
			return p
		}},
		{"silent camera", func(t *testing.T, out string) *recordProc {
			srv := democam.StartForTest(t, &democam.Server{})
			p := startRecord(t, "--out", out, "--timeout", "30s", "cam="+srv.URL())
			time.Sleep(time.Until(waitRecording(t, out).Add(time.Second)))
			srv.Stall(time.Minute)
			time.Sleep(2 * time.Second) // into the silence: nothing to wait for
			return p
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.setup(t, t.TempDir())
			exited := make(chan error, 1)
			go func() { exited <- p.wait() }()
			start := time.Now()
			if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			select {
			case <-exited:
				t.Logf("ended %v after Ctrl-C", time.Since(start).Round(time.Millisecond))
			case <-time.After(bound):
				t.Fatalf("still running %v after Ctrl-C\n%s", bound, p.errText())
			}
		})
	}
}

// TestRecordDurationSilentCamera: the camera goes silent 3 s into an 8 s
// recording and keeps the connection open; `record` still ends when the
// 8 s are up, with the 3 s it got in a playable file.
func TestRecordDurationSilentCamera(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{})
	out := t.TempDir()
	p := startRecord(t, "--out", out, "--timeout", "30s", "--duration", "8s", "cam="+srv.URL())
	began := waitRecording(t, out)
	time.Sleep(time.Until(began.Add(3 * time.Second)))
	srv.Stall(time.Minute)
	exited := make(chan error, 1)
	go func() { exited <- p.wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("record: %v\n%s", err, p.errText())
		}
		t.Logf("ended %.2f s after the recording began", time.Since(began).Seconds())
	case <-time.After(time.Until(began.Add(8*time.Second + 10*time.Second))):
		t.Fatalf("still running %.1f s into an 8 s recording", time.Since(began).Seconds())
	}
	files, _ := filepath.Glob(filepath.Join(out, "cam", "*.mp4"))
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	if d := fftest.Duration(t, files[0]); d < 2.5 || d > 3.6 {
		t.Fatalf("%.2f s in the file; the camera sent about 3", d)
	}
	fftest.DecodesClean(t, files[0])
}

// TestRecordDurationNeverConnected: a camera that never answers does not
// keep `record --duration` running: when the duration is up with nothing
// recorded (and the connection timeout after it), the command says so in
// one line naming the camera and exits 1;
// another camera in the same command records its file in full.
func TestRecordDurationNeverConnected(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{})
	out := t.TempDir()
	start := time.Now()
	code, stdout, stderr := runWithin(t, 40*time.Second, "record", "--out", out, "--timeout", "3s", "--duration", "4s",
		"dead=rtsp://"+closedPort(t)+"/x", "live="+srv.URL())
	t.Logf("ended after %.1f s", time.Since(start).Seconds())
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stderr)
	}
	last := ""
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(l, "dead: ") && strings.Contains(l, "nothing recorded") {
			last = l
		}
	}
	if last == "" || !strings.Contains(last, "4s") {
		t.Fatalf("no line saying camera dead recorded nothing in its 4s:\n%s", stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "live", "*.mp4"))
	if len(files) != 1 || strings.TrimSpace(stdout) != files[0] {
		t.Fatalf("stdout %q, files %v: want the live camera's one file", stdout, files)
	}
	if d := fftest.Duration(t, files[0]); d < 3.5 || d > 4.1 {
		t.Fatalf("the live camera's file holds %.2f s of its 4 s", d)
	}
	if dead, _ := filepath.Glob(filepath.Join(out, "dead", "*.mp4")); len(dead) != 0 {
		t.Fatalf("files for the dead camera: %v", dead)
	}
}
