package recorder

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// TestConstantRTPTimestampsStampedByArrival: every unit carries the same
// RTP time (a server stamping a raw stream once) and arrives at 25 fps
// with some jitter. Every frame is recorded, at its arrival: the file's
// presentation times increase at about the real rate.
func TestConstantRTPTimestampsStampedByArrival(t *testing.T) {
	// Without B-frames: arrival order is decode order, and only the slice
	// headers could tell a B-frame's place in presentation order.
	raw := filepath.Join(t.TempDir(), "noB.264")
	fftest.Make(t, raw, "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "4", "-c:v", "libx264", "-bf", "0", "-g", "50")
	clip, err := democam.LoadClip(raw)
	if err != nil {
		t.Fatal(err)
	}
	rec := &Recorder{manual: true}
	s := newSynthClip(t, rec, clip)
	s.pts = func(int) int64 { return 123456 }
	const n = 10 * 25
	for i := range n {
		u := s.unit(i)
		u.Arrival = u.Arrival.Add(time.Duration(i%3) * 5 * time.Millisecond)
		rec.OnUnit(u)
	}
	rec.Close()
	files := s.files()
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	frames := probeFrames(t, files[0])
	if len(frames) != n {
		t.Fatalf("%d frames in the file, %d sent", len(frames), n)
	}
	first, last := frames[0].PTS, frames[0].PTS
	for _, f := range frames {
		first, last = min(first, f.PTS), max(last, f.PTS)
	}
	// 249 frame intervals of 40 ms at 90 kHz: 896400 ticks, ±2%.
	if span := last - first; span < 878000 || span > 914000 {
		t.Fatalf("presentation spans %d ticks, want about %d (the real rate)", span, 249*3600)
	}
	// Every frame decodes (framecrc decodes and keeps the file's times;
	// the null muxer's 1/25 s grid would merge frames stamped 39.7 ms
	// apart, which says nothing of the file).
	// framecrc, not DecodesClean: its null muxer reports "non
	// monotonically increasing dts" for this file of jittered arrival
	// times, and framecrc, which decodes every frame too, does not.
	if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", files[0], "-f", "framecrc", "-"); err != nil || stderr != "" {
		t.Fatalf("ffmpeg decoding %s: %v\n%s", files[0], err, stderr)
	}
}
