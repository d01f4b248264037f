package gui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
)

// TestMessagesStack: stopping "Record all" on 4 cameras names every
// file, each message in the window and none over a tile's caption.
func TestMessagesStack(t *testing.T) {
	ps := make([]camdeck.Profile, 4)
	for i := range ps {
		ps[i] = profile(fmt.Sprint("cam", i+1))
	}
	h := newHarness(t, ps)
	h.win.Resize(fyne.NewSize(800, 500))
	h.liveAll()
	test.Tap(h.ui.recAllBtn)
	test.Tap(h.ui.recAllBtn)
	h.q.until(t, "four messages", func() bool { return len(h.ui.toast.shown()) == 4 })
	shown := h.ui.toast.shown()
	for i := range ps {
		want := fmt.Sprintf("cam%d.mp4", i+1)
		if !slices.ContainsFunc(shown, func(s string) bool { return strings.Contains(s, want) }) {
			t.Fatalf("messages %q do not name %s", shown, want)
		}
	}
	win := rect{0, 0, 800, 500}
	for _, it := range h.ui.toast.items {
		r := rectOf(it.box)
		if !r.inside(win) || r.w == 0 {
			t.Fatalf("message %v outside the window", r)
		}
		for _, c := range h.ui.cams {
			if b := rectOf(c.tile.bar); r.x < b.x+b.w && b.x < r.x+r.w && r.y < b.y+b.h && b.y < r.y+r.h {
				t.Fatalf("message %q %v covers %s's caption %v", it.label.Text, r, c.prof.Name, b)
			}
		}
	}
	for i, a := range h.ui.toast.items {
		for _, b := range h.ui.toast.items[i+1:] {
			ra, rb := rectOf(a.box), rectOf(b.box)
			if ra.y+ra.h > rb.y {
				t.Fatalf("messages overlap: %v %v", ra, rb)
			}
		}
	}
}
