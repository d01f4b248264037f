package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
)

// TestRetryNow: a camera with a wrong password, or backing off, has a
// Retry now button inside its tile that connects it again at once; a
// live one has none. A recording goes on after the retry.
func TestRetryNow(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	h.win.Resize(fyne.NewSize(800, 500))
	h.liveAll()
	for _, c := range h.ui.cams {
		if c.tile.retryBtn.Visible() {
			t.Fatal("a live camera offers a retry")
		}
	}
	gate, yard := h.streams[0], h.streams[1]
	gate.set(player.StateChange{State: player.StateFailed, Err: &player.Error{Camera: "Gate", Kind: player.ErrAuth}})
	yard.set(player.StateChange{State: player.StateReconnecting, RetryAt: time.Now().Add(30 * time.Second),
		Err: &player.Error{Camera: "Yard", Kind: player.ErrUnreachable}})
	h.q.drain()
	test.Tap(h.ui.cams[1].tile.recBtn)
	for i, s := range []*fakeStream{gate, yard} {
		tl := h.ui.cams[i].tile
		if !tl.retryBtn.Visible() || !rectOf(tl.retryBtn).inside(rectOf(tl)) {
			t.Fatalf("tile %d: retry shown %v at %v in the tile %v", i, tl.retryBtn.Visible(), rectOf(tl.retryBtn), rectOf(tl))
		}
		if r, b := rectOf(tl.retryBtn), rectOf(tl.bar); r.y+r.h > b.y {
			t.Fatalf("tile %d: retry %v over the caption %v", i, r, b)
		}
		n := len(h.streams)
		test.Tap(tl.retryBtn)
		h.ui.bg.Wait()
		h.q.drain()
		if !s.isClosed() || len(h.streams) != n+1 || h.streams[n].cfg.URL != s.cfg.URL {
			t.Fatalf("tile %d: retry closed the old stream %v, opened %d", i, s.isClosed(), len(h.streams)-n)
		}
		if st := h.ui.cams[i].tile.state.Text; st != "connecting…" {
			t.Fatalf("tile %d after retry: %q", i, st)
		}
	}
	if h.ui.cams[1].rec == nil || len(h.recs) != 2 || !h.recs[0].isEnded() || !h.streams[len(h.streams)-1].has(h.recs[1]) {
		t.Fatal("the recording did not go on in the new stream")
	}
	h.ui.bg.Wait()
}

// TestCameraMenu: a right click on a tile offers the camera's actions,
// and each does what it says.
func TestCameraMenu(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	h.liveAll()
	tl := h.ui.cams[1].tile
	tl.TappedSecondary(&fyne.PointEvent{AbsolutePosition: rectOf(tl).pos()})
	if h.ui.selected != h.ui.cams[1] {
		t.Fatal("a right click does not select the camera")
	}
	m := h.ui.menu
	if m == nil || !m.Visible() || h.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no menu on the canvas")
	}
	menu := h.ui.cameraMenu(h.ui.cams[1])
	if len(m.Items) != len(menu.Items) {
		t.Fatalf("the menu shown has %d items, want %d", len(m.Items), len(menu.Items))
	}
	items := map[string]*fyne.MenuItem{}
	var labels []string
	for _, it := range menu.Items {
		items[it.Label] = it
		labels = append(labels, it.Label)
	}
	for _, want := range []string{"Edit…", "Snapshot", "Record", "Show recordings", "Retry now", "Remove…"} {
		if items[want] == nil {
			t.Fatalf("menu %q has no %q", labels, want)
		}
	}
	m.Hide()
	items["Record"].Action()
	if h.ui.cams[1].rec == nil {
		t.Fatal("Record did not record")
	}
	n := len(h.streams)
	items["Retry now"].Action()
	h.ui.bg.Wait()
	h.q.drain()
	if len(h.streams) != n+1 {
		t.Fatal("Retry now opened no stream")
	}
	items = nil
	for _, it := range h.ui.cameraMenu(h.ui.cams[1]).Items {
		if it.Label == "Stop recording" {
			it.Action()
		}
		if it.Label == "Remove…" {
			it.Action()
		}
	}
	if h.ui.cams[1].rec != nil || h.ui.modal != 1 {
		t.Fatalf("Stop recording left %v; Remove asked %d", h.ui.cams[1].rec != nil, h.ui.modal)
	}
	h.ui.bg.Wait()
}
