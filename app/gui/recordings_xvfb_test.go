package gui

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/rectest"
	"github.com/camdeck/camdeck/internal/xvfb"
	"github.com/camdeck/camdeck/library"
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

// TestRecordingsWindowEvents records 30 s of the demo clip with three
// motion events in the index, opens its Recordings view (V) in camdeck
// under Xvfb at 1280x800 and at 800x500, and checks that the timeline
// shows three amber marks apart from each other and that the events list
// beside the video and the first frame are drawn. CAMDECK_SHOTS=dir keeps the last
// screenshots there, to look at.
func TestRecordingsWindowEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an X server and the app")
	}
	for _, size := range []image.Point{{1280, 800}, {800, 500}} {
		t.Run(fmt.Sprintf("%dx%d", size.X, size.Y), func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			ix, err := library.Open(context.Background(), filepath.Join(data, "camdeck", "index.db"), filepath.Join(dir, "rec"))
			if err != nil {
				t.Fatal(err)
			}
			if now := time.Now(); now.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())) < time.Minute {
				t.Skip("the events would fall on yesterday, and the view opens on today")
			}
			addTestEvents(t, ix, filepath.Join(dir, "rec"), time.Now().Add(-31*time.Second))
			ix.Close()
			p := camdeck.DemoProfile()
			p.Name = "Demo"
			w := startWindowOn(t, size.X, size.Y, dir, []string{"XDG_DATA_HOME=" + data}, p)
			live := image.Rect(300, 150, min(1200, size.X-20), min(650, size.Y-20))
			poll.Until(t, 30*time.Second, "the live camera in the main window", func() bool {
				return nonUniform(w.screen.Shot(t, dir, "live"), live)
			})
			w.x("key", "1", "v")
			pressed := time.Now()
			var shot image.Image
			poll.Until(t, 60*time.Second, "the Recordings window with three marks", func() bool {
				if time.Since(pressed) > 10*time.Second {
					w.x("key", "1", "v")
					pressed = time.Now()
				}
				shot = w.screen.Shot(t, dir, "events")
				return len(amberRuns(shot, image.Rect(0, 0, 780, 470))) == 3 &&
					nonUniform(shot, image.Rect(20, 60, 500, 300)) // and the first frame
			})
			if keep := os.Getenv("CAMDECK_SHOTS"); keep != "" {
				w.screen.Shot(t, keep, fmt.Sprintf("events-%dx%d", size.X, size.Y))
			}
			// The list: right of the video, left of the window's edge.
			if !nonUniform(shot, image.Rect(780-eventListWidth+10, 40, 770, 200)) {
				t.Errorf("the events list's area is blank")
			}
		})
	}
}

// amberRuns are the horizontal runs of markColor pixels on the row of r
// that has the most of them.
func amberRuns(img image.Image, r image.Rectangle) [][2]int {
	var best [][2]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		var runs [][2]int
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 != uint32(markColor.R) || cg>>8 != uint32(markColor.G) || cb>>8 != uint32(markColor.B) {
				continue
			}
			if n := len(runs); n > 0 && runs[n-1][1] == x {
				runs[n-1][1] = x + 1
			} else {
				runs = append(runs, [2]int{x, x + 1})
			}
		}
		if len(runs) > len(best) {
			best = runs
		}
	}
	return best
}
