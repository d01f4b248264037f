package gui

import (
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/pprofenv"
	"github.com/camdeck/camdeck/internal/reexec"
	"github.com/camdeck/camdeck/internal/xvfb"
)

// TestMain runs the window instead of the tests when TestRealWindow
// started this binary as camdeck (reexec.Command), so the test needs no
// build of the program.
func TestMain(m *testing.M) {
	reexec.Main(func(args []string) int {
		pprofenv.Start() // as main does
		return Main(args)
	})
	os.Exit(m.Run())
}

// TestRealWindow runs camdeck in a real X server (Xvfb) with two demo
// cameras, looks at its screen, and drives it with keys as a person
// would: snapshot, a recording that stops at its limit, and closing the
// window while recording. Files are judged by ffprobe.
func TestRealWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an X server and the app")
	}
	dir := t.TempDir()
	a, b := camdeck.DemoProfile(), camdeck.DemoProfile()
	a.Name, b.Name = "Demo A", "Demo B"
	a.Limit = camdeck.Duration(5 * time.Second)
	w := startWindow(t, dir, a, b)
	screen, x := w.screen, w.x

	// Both tiles show moving video.
	var shot1 image.Image
	poll.Until(t, 30*time.Second, "both tiles to show video", func() bool {
		shot1 = screen.Shot(t, dir, "1")
		return tilesShowVideo(shot1) == nil
	})
	time.Sleep(time.Second)
	shot2 := screen.Shot(t, dir, "2")
	if err := tilesShowVideo(shot2); err != nil {
		t.Fatal(err)
	}
	for i, r := range tileRegions(shot1.Bounds()) {
		if d := xvfb.Changed(shot1, shot2, r); d < 0.002 {
			t.Errorf("tile %d: %.2f%% of the pixels changed in 1 s: frozen", i+1, d*100)
		}
	}
	if out := os.Getenv("CAMDECK_SCREENSHOT"); out != "" {
		copyFile(t, filepath.Join(dir, "shot-2.png"), out)
	}

	// S: a full-resolution snapshot of the selected camera (the first).
	x("mousemove", "700", "200")
	x("key", "1", "s")
	snap := waitFile(t, filepath.Join(dir, "snap", "Demo_A_*.jpg"))
	rep, _, err := fftest.Probe(t, 10*time.Second, "-show_streams", snap)
	if err != nil || len(rep.Streams) != 1 || rep.Streams[0].Width != 1280 || rep.Streams[0].Height != 720 {
		t.Fatalf("snapshot %s: %v %+v", snap, err, rep)
	}

	// R: a recording that stops by itself at the 5 s limit.
	x("key", "r")
	rec := waitFile(t, filepath.Join(dir, "rec", "Demo_A", "*.mp4"))
	time.Sleep(8 * time.Second) // the limit, a keyframe interval, and margin
	if d := fftest.Recorded(t, rec, 25); d < 2.5 || d > 6 {
		t.Errorf("the 5 s recording lasts %.2f s", d)
	}

	// Closing the window while recording finishes the file.
	x("key", "2", "r")
	rec2 := waitFile(t, filepath.Join(dir, "rec", "Demo_B", "*.mp4"))
	time.Sleep(4 * time.Second)
	x("key", "ctrl+q")
	select {
	case <-w.exited:
		if w.err != nil {
			t.Fatalf("camdeck exited with %v", w.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("camdeck did not quit after Ctrl+Q")
	}
	if d := fftest.Recorded(t, rec2, 25); d < 1 {
		t.Errorf("the recording cut by closing lasts %.2f s", d)
	}
}

// realWindow is camdeck run as its own process (reexec) on a virtual X
// screen, with the profiles it was started with as its configuration.
type realWindow struct {
	t      *testing.T
	screen *xvfb.Server
	exited chan struct{} // closed when the process has ended
	err    error         // how it ended, once exited is closed
}

// startWindow saves profiles, recording and snapshotting under dir, as
// camdeck's configuration in dir and starts camdeck on a 1280x800 Xvfb
// screen. When the test ends it is killed unless it quit, and its log is
// shown if the test failed.
func startWindow(t *testing.T, dir string, profiles ...camdeck.Profile) *realWindow {
	t.Helper()
	return startWindowEnv(t, dir, nil, profiles...)
}

// startWindowEnv is startWindow with env added to camdeck's environment.
func startWindowEnv(t *testing.T, dir string, env []string, profiles ...camdeck.Profile) *realWindow {
	t.Helper()
	return startWindowOn(t, 1280, 800, dir, env, profiles...)
}

// startWindowOn is startWindowEnv on a screen of width by height.
func startWindowOn(t *testing.T, width, height int, dir string, env []string, profiles ...camdeck.Profile) *realWindow {
	t.Helper()
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatalf("xdotool is not installed (make deps installs it)")
	}
	for i := range profiles {
		profiles[i].RecordDir, profiles[i].SnapshotDir = filepath.Join(dir, "rec"), filepath.Join(dir, "snap")
	}
	store := &camdeck.Store{Path: filepath.Join(dir, "config", "camdeck", camdeck.FileName)}
	if err := store.Save(profiles); err != nil {
		t.Fatal(err)
	}
	w := &realWindow{t: t, screen: xvfb.Start(t, width, height), exited: make(chan struct{})}
	app := reexec.Command(context.Background())
	app.Env = append(app.Env, w.screen.Env(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "HOME="+dir)
	app.Env = append(app.Env, env...)
	logf, err := os.Create(filepath.Join(dir, "camdeck.log"))
	if err != nil {
		t.Fatal(err)
	}
	app.Stdout, app.Stderr = logf, logf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w.err = app.Wait()
		close(w.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-w.exited:
		default:
			app.Process.Kill()
			<-w.exited
		}
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logf.Name())
			t.Logf("camdeck's log:\n%s", log)
		}
	})
	return w
}

// x runs xdotool with args on the window's screen.
func (w *realWindow) x(args ...string) {
	w.t.Helper()
	if _, stderr, err := runEnv(w.t, w.screen.Display(), 10*time.Second, "xdotool", args...); err != nil {
		w.t.Fatalf("xdotool %v: %v %s", args, err, stderr)
	}
}

// runEnv runs an X client on display with a deadline.
func runEnv(t *testing.T, display string, d time.Duration, name string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	return o.String(), e.String(), err
}

func waitFile(t *testing.T, pattern string) string {
	t.Helper()
	var found string
	poll.Until(t, 20*time.Second, pattern, func() bool {
		m, _ := filepath.Glob(pattern)
		if len(m) > 0 {
			found = m[0]
		}
		return found != ""
	})
	return found
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
}
