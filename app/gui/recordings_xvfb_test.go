package gui

import (
	"image"
	"path/filepath"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/rectest"
	"github.com/camdeck/camdeck/internal/xvfb"
)

// TestRecordingsWindow records the demo clip (with rectest, at once),
// opens its Recordings view (V) in camdeck under Xvfb, presses play, and
// checks that the video area of two screenshots differs: the recording
// plays in the window.
func TestRecordingsWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an X server and the app")
	}
	dir := t.TempDir()
	// Six seconds in two segments, ending a second ago.
	rectest.Record(t, filepath.Join(dir, "rec"), "Demo", time.Now().Add(-7*time.Second), 6*time.Second, 3*time.Second, false)
	p := camdeck.DemoProfile()
	p.Name = "Demo"
	w := startWindow(t, dir, p)
	screen, x := w.screen, w.x
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
