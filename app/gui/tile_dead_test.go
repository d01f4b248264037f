package gui

import (
	"image"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// TestDeadCameraDimmed: when a camera that showed pictures stops being
// live, its last frame is dimmed and the tile says how long ago it was
// live; live again, it is bright.
func TestDeadCameraDimmed(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate")})
	h.liveAll()
	tl := h.ui.cams[0].tile
	slot := tl.feed.slot
	slot.Put(&decode.Frame{Image: image.NewRGBA(image.Rect(0, 0, 64, 36)), SourceWidth: 64, SourceHeight: 36})
	tl.present(slot)
	if !tl.hasFrame || tl.dim.Visible() || tl.msgBox.Visible() {
		t.Fatalf("live with a picture: dimmed %v message %q", tl.dim.Visible(), tl.message.Text)
	}

	h.streams[0].set(player.StateChange{State: player.StateReconnecting, RetryAt: time.Now().Add(5 * time.Second),
		Err: &player.Error{Camera: "Gate", Kind: player.ErrTimeout}})
	h.q.drain()
	tl.lastShow = time.Now().Add(-42 * time.Second)
	h.ui.tick()
	if !tl.dim.Visible() || !tl.msgBox.Visible() {
		t.Fatalf("not live: dimmed %v, message shown %v", tl.dim.Visible(), tl.msgBox.Visible())
	}
	if !strings.HasPrefix(tl.message.Text, "reconnecting in") || !strings.HasSuffix(tl.message.Text, "live 42 s ago") {
		t.Fatalf("message %q", tl.message.Text)
	}
	if r, d := rectOf(tl.dim), rectOf(tl); r != d {
		t.Fatalf("the shade %v does not cover the tile %v", r, d)
	}

	h.streams[0].set(player.StateChange{State: player.StateLive, Transport: "tcp"})
	h.q.drain()
	if tl.dim.Visible() || tl.msgBox.Visible() {
		t.Fatal("live again, still dimmed")
	}
}
