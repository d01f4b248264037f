package gui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

func TestEditorAddEditRemove(t *testing.T) {
	h := newHarness(t, nil)
	if !h.ui.empty.Visible() {
		t.Fatal("no empty-state message without cameras")
	}

	e := h.ui.showEditor(-1, camdeck.DemoProfile())
	e.name.SetText("")
	test.Type(e.name, "Porch")
	e.url.SetText("")
	test.Type(e.url, "rtsp://127.0.0.1:8554/porch")
	test.Tap(e.saveBtn)
	if len(h.ui.cams) != 1 || h.ui.cams[0].prof.Name != "Porch" || len(h.ui.grid.Objects) != 1 {
		t.Fatalf("after add: %d cameras, %d tiles", len(h.ui.cams), len(h.ui.grid.Objects))
	}
	if h.ui.empty.Visible() {
		t.Error("empty-state message still shown")
	}
	h.ui.bg.Wait()
	saved, err := h.store.Load()
	if err != nil || len(saved) != 1 || saved[0].URL != "rtsp://127.0.0.1:8554/porch" {
		t.Fatalf("store after add: %v %+v", err, saved)
	}

	first := h.streams[0]
	e = h.ui.showEditor(0, h.ui.cams[0].prof)
	e.name.SetText("Back yard")
	e.segment.SetText("30m")
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()
	h.q.drain()
	if h.ui.cams[0].prof.Name != "Back yard" || h.ui.cams[0].prof.Segment != camdeck.Duration(30*time.Minute) {
		t.Fatalf("after edit: %+v", h.ui.cams[0].prof)
	}
	if !first.isClosed() {
		t.Error("editing did not close the old stream")
	}
	if saved, _ := h.store.Load(); saved[0].Name != "Back yard" {
		t.Fatalf("store after edit: %+v", saved)
	}

	h.ui.confirmRemove()
	if h.ui.modal != 1 {
		t.Fatal("remove asks no confirmation")
	}
	h.ui.removeProfile(0)
	h.ui.bg.Wait()
	h.q.drain()
	if len(h.ui.cams) != 0 || len(h.ui.grid.Objects) != 0 || !h.ui.empty.Visible() {
		t.Fatalf("after remove: %d cameras", len(h.ui.cams))
	}
	if saved, _ := h.store.Load(); len(saved) != 0 {
		t.Fatalf("store after remove: %+v", saved)
	}
}

func TestEditorValidation(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"no name", "name", "", "needs a name"},
		{"http URL", "url", "http://cam/x", "rtsp://"},
		{"no host", "url", "rtsp:///x", "no host"},
		{"bad sub-stream", "sub", "cam/x", "rtsp://"},
		{"short segment", "segment", "5s", "at least 10s"},
		{"not a duration", "limit", "soon", "like 90s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := h.ui.showEditor(-1, profile("ok"))
			entries := map[string]interface{ SetText(string) }{
				"name": e.name, "url": e.url, "sub": e.sub, "segment": e.segment, "limit": e.limit,
			}
			entries[tc.field].SetText(tc.value)
			test.Tap(e.saveBtn)
			if !e.errLabel.Visible() || !strings.Contains(e.errLabel.Text, tc.want) {
				t.Fatalf("error shown: %v %q, want %q", e.errLabel.Visible(), e.errLabel.Text, tc.want)
			}
			if len(h.ui.cams) != 0 {
				t.Fatal("an invalid profile was added")
			}
			e.close()
		})
	}

	t.Run("credentials leave the URL", func(t *testing.T) {
		e := h.ui.showEditor(-1, profile("ok"))
		e.url.SetText("rtsp://admin:hunter2@10.1.1.1/live")
		h.win.Canvas().Focus(e.url)
		h.win.Canvas().Focus(e.name)
		if e.url.Text != "rtsp://10.1.1.1/live" || e.user.Text != "admin" || e.pass.Text != "hunter2" {
			t.Fatalf("url %q user %q pass %q", e.url.Text, e.user.Text, e.pass.Text)
		}
		e.close()
	})
}

func TestRecordButton(t *testing.T) {
	p := profile("Porch")
	p.Limit = camdeck.Duration(time.Minute)
	h := newHarness(t, []camdeck.Profile{p})
	h.liveAll()
	tl := h.ui.cams[0].tile

	test.Tap(tl.recBtn)
	if len(h.recs) != 1 || !h.streams[0].has(h.recs[0]) {
		t.Fatal("the record button attached no recorder to the main stream")
	}
	if c := h.recs[0].cfg; c.Duration != time.Minute || c.Camera != "Porch" || c.Dir != "/nonexistent/rec" {
		t.Fatalf("recorder settings %+v", c)
	}
	if !tl.recDot.Visible() || !strings.HasPrefix(tl.recText.Text, "0:00") || tl.recBtn.tip != "Stop recording (R)" {
		t.Fatalf("recording shows dot %v text %q tip %q", tl.recDot.Visible(), tl.recText.Text, tl.recBtn.tip)
	}
	h.recs[0].set(recorder.Status{Recording: true, Path: "/nonexistent/rec/Porch.mp4", Elapsed: 72 * time.Second, Bytes: 3_400_000})
	h.ui.tick()
	if tl.recText.Text != "1:12 3.4 MB" {
		t.Fatalf("elapsed shows %q", tl.recText.Text)
	}

	test.Tap(tl.recBtn)
	h.q.until(t, "the recording to finish and its recorder closed", func() bool { return h.recs[0].isClosed() })
	if tl.recDot.Visible() || tl.recText.Text != "" || tl.recBtn.tip != "Record (R)" {
		t.Fatalf("after stop: dot %v text %q", tl.recDot.Visible(), tl.recText.Text)
	}
	h.q.until(t, "the notification", func() bool { return strings.Contains(h.ui.toast.last, "Porch.mp4") })

	// The duration limit stops the recording by itself.
	test.Tap(tl.recBtn)
	h.recs[1].cfg.OnLimit()
	h.q.until(t, "the limit to stop the recording", func() bool {
		return h.recs[1].isEnded() && h.ui.cams[0].rec == nil
	})
}

func TestRecordAllAndCloseFinishes(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("a"), profile("b")})
	h.liveAll()
	test.Tap(h.ui.recAllBtn)
	if len(h.recs) != 2 || h.ui.recAllBtn.tip != "Stop all recordings" {
		t.Fatalf("record all started %d recordings", len(h.recs))
	}
	h.ui.requestClose()
	h.q.until(t, "closing to finish everything", func() bool {
		for _, s := range h.streams {
			if !s.isClosed() {
				return false
			}
		}
		return h.recs[0].isClosed() && h.recs[1].isClosed()
	})
}

func TestGridLayout(t *testing.T) {
	for _, tc := range []struct{ n, cols, rows int }{{1, 1, 1}, {2, 1, 2}, {4, 2, 2}, {9, 3, 3}, {16, 4, 4}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			ps := make([]camdeck.Profile, tc.n)
			for i := range ps {
				ps[i] = profile(fmt.Sprint("cam", i))
			}
			h := newHarness(t, ps)
			xs, ys := map[float32]bool{}, map[float32]bool{}
			area := h.ui.grid.Size()
			for _, o := range h.ui.grid.Objects {
				p, s := o.Position(), o.Size()
				xs[p.X], ys[p.Y] = true, true
				if p.X < 0 || p.Y < 0 || p.X+s.Width > area.Width+0.5 || p.Y+s.Height > area.Height+0.5 {
					t.Fatalf("tile at %v size %v leaves the grid %v", p, s, area)
				}
				if s.Width < area.Width/float32(tc.cols)-gridGap-1 {
					t.Fatalf("tile %v too narrow in %v", s, area)
				}
			}
			if len(xs) != tc.cols || len(ys) != tc.rows {
				t.Fatalf("%d tiles in %d columns x %d rows, want %dx%d", tc.n, len(xs), len(ys), tc.cols, tc.rows)
			}
		})
	}
	if c, r := gridShape(3, 400, 1200); c != 1 || r != 3 {
		t.Errorf("3 tiles in a tall area: %dx%d, want a column", c, r)
	}
	if c, r := gridShape(2, 1600, 500); c != 2 || r != 1 {
		t.Errorf("2 tiles in a wide area: %dx%d, want a row", c, r)
	}
}

func TestTileStatesAndStats(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate")})
	tl := h.ui.cams[0].tile
	s := h.streams[0]
	if tl.state.Text != "connecting…" || !tl.msgBox.Visible() {
		t.Fatalf("state %q", tl.state.Text)
	}
	if tl.name.Text != "Gate" {
		t.Fatalf("name %q", tl.name.Text)
	}
	err := &player.Error{Camera: "Gate", Kind: player.ErrUnreachable, Detail: "connection refused"}
	s.set(player.StateChange{State: player.StateReconnecting, Err: err, RetryAt: time.Now().Add(3 * time.Second)})
	h.q.drain()
	if want := "reconnecting in 3 s · unreachable: connection refused"; tl.state.Text != want {
		t.Fatalf("state %q, want %q", tl.state.Text, want)
	}
	s.set(player.StateChange{State: player.StateFailed, Err: &player.Error{Camera: "Gate", Kind: player.ErrAuth, Detail: "401 Unauthorized"}})
	h.q.drain()
	if tl.message.Text != "error: authentication failed: 401 Unauthorized" {
		t.Fatalf("message %q", tl.message.Text)
	}
	s.set(player.StateChange{State: player.StateLive, Transport: "tcp"})
	h.q.drain()
	if tl.state.Text != "live · tcp" || tl.statsBox.Visible() {
		t.Fatalf("live: %q stats %v", tl.state.Text, tl.statsBox.Visible())
	}
	test.Tap(h.ui.statsBtn)
	if !tl.statsBox.Visible() || !strings.Contains(tl.stats.Text, "25.0 fps  2.00 Mb/s") || !strings.Contains(tl.stats.Text, "latency") {
		t.Fatalf("stats %q", tl.stats.Text)
	}
}

func TestShortcuts(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("a"), profile("b")})
	h.liveAll()
	ui := h.ui
	ui.typedRune('2')
	if ui.selected != ui.cams[1] {
		t.Fatal("2 did not select the second camera")
	}
	ui.typedRune('r')
	if ui.cams[1].rec == nil || ui.cams[0].rec != nil {
		t.Fatal("R did not record the selected camera")
	}
	ui.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if ui.focused != ui.cams[1] || ui.cams[0].tile.Visible() {
		t.Fatal("Enter did not focus the selected camera")
	}
	if ui.cams[1].tile.Size().Width < ui.grid.Size().Width-1 {
		t.Fatal("the focused tile does not fill the grid")
	}
	ui.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if ui.focused != nil || !ui.cams[0].tile.Visible() {
		t.Fatal("Escape did not go back to the grid")
	}
	ui.typedKey(&fyne.KeyEvent{Name: fyne.KeyF11})
	if !h.win.FullScreen() || ui.sidebar.Visible() {
		t.Fatal("F11 did not go full screen")
	}
	ui.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.win.FullScreen() {
		t.Fatal("Escape did not leave full screen")
	}
	ui.typedRune('r')
	h.q.until(t, "R to stop the recording", func() bool { return h.recs[0].isEnded() })

	ui.modal++
	ui.typedRune('r')
	if ui.cams[1].rec != nil {
		t.Fatal("a shortcut acted under a dialog")
	}
}

func TestSubStreamFocusUsesMain(t *testing.T) {
	p := profile("Porch")
	p.SubURL = "rtsp://127.0.0.1:1/sub"
	h := newHarness(t, []camdeck.Profile{p})
	if len(h.streams) != 1 || h.streams[0].cfg.URL != p.SubURL {
		t.Fatalf("the tile did not open the sub-stream: %+v", h.streams)
	}
	h.ui.toggleFocus(h.ui.cams[0])
	if len(h.streams) != 2 || h.streams[1].cfg.URL != p.URL || h.ui.cams[0].tile.feed != h.ui.cams[0].main {
		t.Fatal("the focused view does not show the main stream")
	}
	h.ui.toggleFocus(h.ui.cams[0])
	h.ui.bg.Wait()
	if !h.streams[1].isClosed() || h.streams[0].isClosed() {
		t.Fatal("back in the grid, the main stream is still open or the sub-stream closed")
	}
}
