package gui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
)

// rect is an object's place on the canvas.
type rect struct{ x, y, w, h float32 }

func rectOf(o fyne.CanvasObject) rect {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	s := o.Size()
	return rect{p.X, p.Y, s.Width, s.Height}
}

func (r rect) inside(o rect) bool {
	const eps = 0.5
	return r.x >= o.x-eps && r.y >= o.y-eps && r.x+r.w <= o.x+o.w+eps && r.y+r.h <= o.y+o.h+eps
}

func (r rect) String() string { return fmt.Sprintf("(%.0f,%.0f %.0fx%.0f)", r.x, r.y, r.w, r.h) }

// nineFailing is 9 cameras at 800x500 with long names, failing with a
// long error.
func nineFailing(t *testing.T) *harness {
	ps := make([]camdeck.Profile, 9)
	for i := range ps {
		ps[i] = profile(fmt.Sprintf("Front door camera over the garage %d", i+1))
	}
	h := newHarness(t, ps)
	h.win.Resize(fyne.NewSize(800, 500))
	for _, s := range h.streams {
		s.set(player.StateChange{State: player.StateFailed, Err: &player.Error{Camera: "x", Kind: player.ErrAuth,
			Detail: "401 Unauthorized: the camera refused the user name or the password it was given"}})
	}
	h.q.drain()
	return h
}

// TestTileMessageWrapsInside: a failed tile's message wraps within the
// tile, wider than a letter, and never reaches the caption, the toolbar
// or the tiles above.
func TestTileMessageWrapsInside(t *testing.T) {
	for _, n := range []int{1, 4, 9, 16} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			h := nineFailing(t)
			for i := 9; i < n; i++ {
				h.ui.addProfile(profile(fmt.Sprint("more ", i)))
				h.streams[len(h.streams)-1].set(player.StateChange{State: player.StateFailed,
					Err: &player.Error{Camera: "x", Kind: player.ErrAuth, Detail: "401 Unauthorized"}})
			}
			h.q.drain()
			for i := n; i < 9; i++ {
				h.ui.removeProfile(len(h.ui.cams) - 1)
			}
			h.ui.bg.Wait() // the saves
			for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 500}} {
				h.win.Resize(size)
				h.q.drain()
				for i, c := range h.ui.cams {
					tl := c.tile
					if !strings.HasPrefix(tl.message.Text, "error: authentication failed") || !tl.msgBox.Visible() {
						t.Fatalf("tile %d message %q", i, tl.message.Text)
					}
					tr, mr, br := rectOf(tl), rectOf(tl.message), rectOf(tl.bar)
					above := rect{tr.x, tr.y, tr.w, br.y - tr.y}
					if !mr.inside(above) {
						t.Fatalf("%v, %d cameras: tile %d message %v leaves the tile above its caption %v", size, n, i, mr, above)
					}
					if b := tl.retryBtn; b.Visible() && b.Size().Height > 0 {
						if r := rectOf(b); !r.inside(above) || (mr.y < r.y+r.h && r.y < mr.y+mr.h) {
							t.Fatalf("%v, %d cameras: tile %d retry %v overlaps the message %v or leaves %v", size, n, i, r, mr, above)
						}
					}
					if need := tl.message.MinSize().Height; mr.h < need-0.5 {
						t.Fatalf("%v, %d cameras: tile %d message %v shorter than its text (%.0f)", size, n, i, mr, need)
					}
					if mr.w < tr.w/2 {
						t.Fatalf("%v: tile %d message %v is narrow in a tile %v", size, i, mr, tr)
					}
				}
			}
		})
	}
}

// TestCaptionStaysLeftOfButtons: long names and states are cut before
// the tile's buttons.
func TestCaptionStaysLeftOfButtons(t *testing.T) {
	h := nineFailing(t)
	for _, size := range []fyne.Size{{Width: 800, Height: 500}, {Width: 1280, Height: 800}} {
		h.win.Resize(size)
		h.q.drain()
		for i, c := range h.ui.cams {
			tl := c.tile
			nr, sr, br := rectOf(tl.name), rectOf(tl.state), rectOf(tl.bar)
			buttons := rectOf(tl.snapBtn).x
			if tl.focusBtn.Visible() {
				buttons = rectOf(tl.focusBtn).x
			}
			if nr.w < 60 || nr.x+nr.w > buttons+0.5 || !nr.inside(br) {
				t.Fatalf("%v tile %d: name %v overlaps the buttons from x=%.0f (bar %v), or has no room", size, i, nr, buttons, br)
			}
			if tl.state.Visible() && (nr.x+nr.w > sr.x+0.5 || sr.x+sr.w > buttons+0.5 || !sr.inside(br)) {
				t.Fatalf("%v tile %d: state %v overlaps the name %v or the buttons from x=%.0f", size, i, sr, nr, buttons)
			}
		}
	}
}

// TestCutTextHasTooltip: a name, state or message cut short shows all
// of it when the pointer rests on it; a name that fits has none.
func TestCutTextHasTooltip(t *testing.T) {
	h := nineFailing(t)
	tl := h.ui.cams[0].tile
	for _, l := range []*tipLabel{tl.name, tl.state} {
		if l == tl.state {
			h.win.Resize(fyne.NewSize(1280, 800)) // room for a state, not for all of it
			h.q.drain()
		}
		if !l.cut() || !l.Visible() {
			t.Fatalf("%q is not cut (shown %v) in a tile %v", l.Text, l.Visible(), tl.Size())
		}
		l.MouseIn(nil)
		h.q.until(t, "the tooltip", func() bool { return h.ui.tips.box.Visible() })
		if h.ui.tips.label.Text != l.Text {
			t.Fatalf("tooltip %q, want %q", h.ui.tips.label.Text, l.Text)
		}
		if r := rectOf(h.ui.tips.box); !r.inside(rectOf(h.ui.tips.layer)) {
			t.Fatalf("tooltip %v leaves the window", r)
		}
		l.MouseOut()
		if h.ui.tips.box.Visible() {
			t.Fatal("the tooltip stays after the pointer left")
		}
	}

	h.ui.replaceProfile(0, profile("Gate"))
	h.ui.bg.Wait()
	h.win.Resize(fyne.NewSize(1280, 800))
	h.q.drain()
	tl = h.ui.cams[0].tile
	if tl.name.cut() || tl.name.tipText() != "" {
		t.Fatalf("a short name %q (%v) has a tooltip", tl.name.Text, tl.name.Size())
	}
}

func (r rect) pos() fyne.Position { return fyne.NewPos(r.x+r.w/2, r.y+r.h/2) }

// TestTooltipGoesOnResize: a tooltip shown before the window changes
// size goes, instead of staying where its button was (or outside).
func TestTooltipGoesOnResize(t *testing.T) {
	h := nineFailing(t)
	h.win.Resize(fyne.NewSize(1280, 800))
	h.q.drain()
	b := h.ui.cams[8].tile.focusBtn
	b.MouseIn(nil)
	h.q.until(t, "the tooltip", func() bool { return h.ui.tips.box.Visible() })
	h.win.Resize(fyne.NewSize(800, 500))
	h.q.drain()
	if h.ui.tips.box.Visible() {
		t.Fatalf("tooltip %q still shown at %v after the window shrank", h.ui.tips.label.Text, rectOf(h.ui.tips.box))
	}
}

// TestTileReconnectMessageInside: the reconnecting message, whose
// countdown changes every second, stays above its Retry button in every
// tile (the selected one too) after the window shrinks, tick after tick;
// in a real window at 800x500 it was wrapped over the button.
func TestTileReconnectMessageInside(t *testing.T) {
	ps := make([]camdeck.Profile, 9)
	for i := range ps {
		ps[i] = profile(fmt.Sprintf("Camera %d", i+1))
	}
	h := newHarness(t, ps)
	h.win.Resize(fyne.NewSize(1280, 800))
	set := func(d time.Duration) {
		for _, s := range h.streams {
			s.set(player.StateChange{State: player.StateReconnecting, RetryAt: time.Now().Add(d),
				Err: &player.Error{Camera: "x", Kind: player.ErrUnreachable, Detail: "connection refused"}})
		}
		h.q.drain()
	}
	set(9 * time.Second)
	h.win.Resize(fyne.NewSize(800, 500))
	h.q.drain()
	for tick := 0; tick < 4; tick++ {
		set(time.Duration(4-tick) * time.Second)
		h.ui.tick()
		h.q.drain()
		for i, c := range h.ui.cams {
			tl := c.tile
			tr, mr, br := rectOf(tl), rectOf(tl.message), rectOf(tl.bar)
			above := rect{tr.x, tr.y, tr.w, br.y - tr.y}
			if !mr.inside(above) {
				t.Fatalf("tick %d: tile %d message %v leaves %v", tick, i, mr, above)
			}
			if need := tl.message.MinSize().Height; mr.h < need-0.5 {
				t.Fatalf("tick %d: tile %d message %v shorter than its text (%.0f): %q", tick, i, mr, need, tl.message.Text)
			}
			if b := tl.retryBtn; b.Visible() && b.Size().Height > 0 {
				if r := rectOf(b); mr.y < r.y+r.h && r.y < mr.y+mr.h {
					t.Fatalf("tick %d: tile %d retry %v overlaps the message %v %q", tick, i, r, mr, tl.message.Text)
				}
			}
		}
	}
}

// TestMessageLayoutIgnoresPreviousWrap: whether a tile's message leaves
// room for Retry is decided the same whatever the label showed before.
// A label left wrapped to three lines (from a layout without the button)
// made the next layout find no room and size the still visible button
// 0x0, drawn over the text: seen on the reconnecting tiles of a real
// window at 800x500.
func TestMessageLayoutIgnoresPreviousWrap(t *testing.T) {
	test.NewTempApp(t)
	l := newTipLabel(nil, fyne.TextStyle{})
	l.Text = "reconnecting in 3 s · unreachable: connection refused"
	btn := widget.NewButtonWithIcon("Retry now", theme.ViewRefreshIcon(), func() {})
	box := container.New(messageLayout{label: l, button: btn}, canvas.NewRectangle(overlayShade), l, btn)
	size := fyne.NewSize(188, 102)

	fresh := func() (fyne.Size, fyne.Size) {
		btn.Show()
		box.Resize(fyne.NewSize(1, 1))
		box.Resize(size)
		return l.Size(), btn.Size()
	}
	wantLabel, wantBtn := fresh()
	if wantBtn.Height == 0 {
		t.Fatalf("a %v tile gives Retry no room: label %v", size, wantLabel)
	}

	btn.Hide() // the label wraps to its full height
	box.Resize(fyne.NewSize(1, 1))
	box.Resize(size)
	btn.Show()
	box.Refresh()
	if gotLabel, gotBtn := l.Size(), btn.Size(); gotLabel != wantLabel || gotBtn != wantBtn {
		t.Fatalf("after a wrapped label: label %v, Retry %v; a fresh layout gives %v and %v", gotLabel, gotBtn, wantLabel, wantBtn)
	}
}
