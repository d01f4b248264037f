package gui

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/reexec"
	"github.com/camdeck/camdeck/internal/xvfb"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

// TestRecordingsWindow records the demo camera, opens its Recordings view
// (V) in camdeck under Xvfb, presses play, and checks that the video area
// of two screenshots differs: the recording plays in the window.
func TestRecordingsWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an X server and the app")
	}
	dir := t.TempDir()
	srv := &democam.Server{}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	rec := &recorder.Recorder{Dir: filepath.Join(dir, "rec"), Camera: "Demo", Segment: 3 * time.Second,
		Duration: 6 * time.Second, OnLimit: func() { close(done) }, OnError: func(err error) { t.Errorf("recorder: %v", err) }}
	s := &player.Session{URL: srv.URL(), Logf: t.Logf}
	s.AddSink(rec, 256)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		t.Fatal("no recording")
	}
	s.Close()
	srv.Close()

	p := camdeck.DemoProfile()
	p.Name, p.RecordDir, p.SnapshotDir = "Demo", filepath.Join(dir, "rec"), filepath.Join(dir, "snap")
	store := &camdeck.Store{Path: filepath.Join(dir, "config", "camdeck", camdeck.FileName)}
	if err := store.Save([]camdeck.Profile{p}); err != nil {
		t.Fatal(err)
	}
	screen := xvfb.Start(t, 1280, 800)
	app := reexec.Command(context.Background())
	app.Env = append(app.Env, screen.Env(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "HOME="+dir)
	logf, _ := os.Create(filepath.Join(dir, "camdeck.log"))
	app.Stdout, app.Stderr = logf, logf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		app.Process.Kill()
		app.Wait()
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(logf.Name())
			t.Logf("camdeck's log:\n%s", log)
		}
	}()
	x := func(args ...string) {
		t.Helper()
		if _, stderr, err := runEnv(t, screen.Display(), 10*time.Second, "xdotool", args...); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, stderr)
		}
	}
	// The Recordings window opens at the top left, 780x470: video above,
	// the timeline and two rows of buttons below (play is the fourth
	// control of the first).
	video := image.Rect(100, 10, 680, 330)
	// Paused on its first frame, it covers the live tile: the area shows a
	// picture that stays still for a second.
	// Keys go to the window once it shows the live camera (a key pressed
	// before the window is mapped is lost; on a loaded machine that takes
	// longer than any fixed wait).
	live := image.Rect(300, 150, 1200, 650)
	poll.Until(t, 30*time.Second, "the live camera in the main window", func() bool {
		return nonUniform(screen.Shot(t, dir, "live"), live)
	})
	x("key", "1", "v")
	pressed := time.Now()
	var before image.Image
	poll.Until(t, 60*time.Second, "the Recordings window, paused", func() bool {
		if time.Since(pressed) > 10*time.Second {
			// A loaded machine starts the app slowly: a key sent before
			// its window took the keyboard is lost. Another view over
			// the first changes nothing.
			x("key", "1", "v")
			pressed = time.Now()
		}
		a := screen.Shot(t, dir, "rec-0")
		time.Sleep(time.Second)
		before = screen.Shot(t, dir, "rec-1")
		return nonUniform(before, video) && xvfb.Changed(a, before, video) == 0
	})
	x("mousemove", "232", "408", "click", "1")
	poll.Until(t, 20*time.Second, "the recording to play", func() bool {
		after := screen.Shot(t, dir, "rec-2")
		return xvfb.Changed(before, after, video) > 0.002
	})
}

// nonUniform tells whether r of img holds more than one colour.
func nonUniform(img image.Image, r image.Rectangle) bool {
	c := img.At(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y; y += 7 {
		for x := r.Min.X; x < r.Max.X; x += 7 {
			if img.At(x, y) != c {
				return true
			}
		}
	}
	return false
}
