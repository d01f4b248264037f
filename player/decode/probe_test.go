package decode

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// TestProbe: a probe of the demo camera returns its first picture at full
// size with the live state it came in; a probe of a closed port fails at
// once as unreachable, and both leave the session closed.
func TestProbe(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{})
	s := &player.Session{URL: srv.URL(), Once: true, Logf: t.Logf}
	res, err := Probe(context.Background(), s, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Frame.Image.Bounds(); b.Dx() != 1280 || b.Dy() != 720 || res.Frame.SourceWidth != 1280 {
		t.Fatalf("frame %v from %dx%d, want 1280x720", b, res.Frame.SourceWidth, res.Frame.SourceHeight)
	}
	if res.Live.State != player.StateLive || res.Live.Transport != "tcp" || len(res.Live.Tracks) != 1 || res.FirstFrame <= 0 {
		t.Fatalf("result %+v", res.Live)
	}
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the session still runs after the probe")
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	closed := &player.Session{URL: "rtsp://" + addr + "/x", Once: true, Timeout: 2 * time.Second, Logf: t.Logf}
	if _, err := Probe(context.Background(), closed, 2*time.Second); !errors.Is(err, player.ErrUnreachable) {
		t.Fatalf("probing a closed port: %v, want ErrUnreachable", err)
	}
}
