package player

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
)

// TestConstantTimestamps: gst-rtsp-server serving a raw .264 stamps every
// packet with the same RTP time, a broken camera in miniature. Units are
// split by the marker bit and the start of a new access unit, not by a
// change of timestamp: every frame of the file is a unit of its own.
func TestConstantTimestamps(t *testing.T) {
	t.Parallel()
	const frames = 100
	raw := fftest.Make(t, filepath.Join(t.TempDir(), "clip.264"), "-f", "lavfi",
		"-i", "testsrc2=size=320x240:rate=25", "-frames:v", "100", "-c:v", "libx264", "-preset", "veryfast",
		"-bf", "0", "-g", "25", "-pix_fmt", "yuv420p", "-f", "h264")
	url := gstserver.StartWith(t, raw, "h264", false)
	sink := newEventSink(true)
	s := &Session{URL: url, Timeout: 30 * time.Second, Logf: t.Logf}
	s.AddSink(sink, frames)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	units := sink.waitVideo(t, frames, 60*time.Second)
	same := 0
	for i, u := range units {
		if i > 0 && u.PTS == units[0].PTS {
			same++
		}
		slices := 0
		for _, n := range u.Data {
			if typ := n[0] & 0x1f; typ == 1 || typ == 5 {
				slices++
			}
		}
		if slices != 1 {
			t.Fatalf("unit %d has %d slices, want 1 (one frame)", i, slices)
		}
	}
	t.Logf("%d units, %d with the first unit's PTS", len(units), same)
}

// TestNoMarkerConstantTimestamps: a camera that stamps every packet with
// one RTP time and never sets the marker bit still gives one unit per
// frame, each ended by the next frame's first slice.
func TestNoMarkerConstantTimestamps(t *testing.T) {
	t.Parallel()
	const frames = 50
	fc := startFakeCam(t, false)
	sink := newEventSink(true)
	s := &Session{URL: fc.URL(), Timeout: 30 * time.Second, Logf: t.Logf}
	s.AddSink(sink, frames)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fc.waitPlay(t)

	fc.writeFrames(t, frames, 5*time.Millisecond, func(p *rtp.Packet, _ int) { p.Timestamp, p.Marker = 1000, false })
	// The last frame waits for a next one that never comes.
	units := sink.waitVideo(t, frames-1, 30*time.Second)
	for i, u := range units {
		slices := 0
		for _, n := range u.Data {
			if typ := n[0] & 0x1f; typ == 1 || typ == 5 {
				slices++
			}
		}
		if slices != 1 || u.Key != fc.clip.Frames[i].Key {
			t.Fatalf("unit %d: %d slices, key %v; want frame %d", i, slices, u.Key, i)
		}
	}
}
