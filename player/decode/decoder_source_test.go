package decode

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
	"github.com/camdeck/camdeck/player"
)

// waitFrames waits until dec has produced n frames in all.
func waitFrames(t *testing.T, dec *Decoder, n uint64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for dec.Stats().Frames < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d frames after %v, want %d", dec.Stats().Frames, within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDecodeDemo: the demo camera, over TCP and UDP, decodes to 1280x720
// frames without errors, and latency is measured.
func TestDecodeDemo(t *testing.T) {
	for _, tr := range []player.Transport{player.TransportTCP, player.TransportUDP} {
		t.Run(string(tr), func(t *testing.T) {
			t.Parallel()
			srv := democam.StartForTest(t, &democam.Server{})
			dec := watch(t, &player.Session{URL: srv.URL(), Transport: tr})
			waitFrames(t, dec, 50, 15*time.Second)
			ds := dec.Stats()
			if ds.Width != 1280 || ds.Height != 720 || ds.LatencyP50 <= 0 || ds.Errors != 0 {
				t.Fatalf("decoder stats %+v", ds)
			}
		})
	}
}

// TestJoinMidGOP: a shared camera is joined between keyframes; nothing
// before the first keyframe reaches libavcodec, so it reports no error.
func TestJoinMidGOP(t *testing.T) {
	t.Parallel()
	srv := democam.StartForTest(t, &democam.Server{Shared: true})
	time.Sleep(700 * time.Millisecond) // between the keyframes at 0 and 2 s
	dec := watch(t, &player.Session{URL: srv.URL()})
	waitFrames(t, dec, 10, 10*time.Second)
	if e := dec.Stats().Errors; e != 0 {
		t.Fatalf("%d decode errors: garbage was fed before the first keyframe", e)
	}
}

// TestInteropCodecs decodes H.264 (parameter sets only in the SDP), H.265
// and MJPEG from GStreamer's RTSP server through the same path.
func TestInteropCodecs(t *testing.T) {
	cases := []struct {
		name, video string
		enc         []string
		codec       string
	}{
		{"H.264 SDP-only parameter sets", "h264", []string{"-c:v", "libx264", "-bf", "2", "-g", "50", "-pix_fmt", "yuv420p"}, "H.264"},
		{"H.265", "h265", []string{"-c:v", "libx265", "-x265-params", "log-level=error", "-g", "50", "-pix_fmt", "yuv420p"}, "H.265"},
		{"MJPEG", "mjpeg", []string{"-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "5"}, "MJPEG"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"-f", "lavfi", "-i", "testsrc2=size=640x480:rate=25:duration=20", "-preset", "veryfast"}, c.enc...)
			if c.video == "mjpeg" {
				args = append([]string{"-f", "lavfi", "-i", "testsrc2=size=640x480:rate=25:duration=20"}, c.enc...)
			}
			clip := fftest.Make(t, filepath.Join(t.TempDir(), "clip.mp4"), args...)
			url := gstserver.StartWith(t, clip, c.video, false)
			sess := &player.Session{URL: url}
			dec := watch(t, sess)
			waitFrames(t, dec, 25, 15*time.Second)
			ds, st := dec.Stats(), sess.Stats()
			if ds.Width != 640 || ds.Height != 480 || ds.Errors != 0 || st.Codec != c.codec {
				t.Fatalf("decoder %+v, session %+v", ds, st)
			}
		})
	}
}

// TestResolutionChange: the camera switches resolution mid-stream (a new
// SPS in-band); the decoder follows without errors.
func TestResolutionChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	enc := []string{"-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", "50", "-pix_fmt", "yuv420p", "-f", "h264"}
	a := fftest.Make(t, filepath.Join(dir, "a.h264"), append([]string{"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2"}, enc...)...)
	b := fftest.Make(t, filepath.Join(dir, "b.h264"), append([]string{"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"}, enc...)...)
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	clip, err := democam.ParseAnnexB(append(ba, bb...), 25)
	if err != nil {
		t.Fatal(err)
	}
	srv := democam.StartForTest(t, &democam.Server{Clip: clip})
	dec := watch(t, &player.Session{URL: srv.URL()})
	dec.SetOutputSize(0, 0)

	seen := map[int]bool{}
	deadline := time.After(10 * time.Second)
	for !seen[640] || !seen[320] {
		select {
		case <-dec.Slot.Ready():
			if f := dec.Slot.Take(); f != nil {
				seen[f.SourceWidth] = true
				if f.Image.Bounds().Dx() != f.SourceWidth {
					t.Fatalf("a %d-wide frame was drawn %d wide", f.SourceWidth, f.Image.Bounds().Dx())
				}
				dec.Slot.Release(f.Image)
			}
		case <-deadline:
			t.Fatalf("widths seen %v, want 640 and 320", seen)
		}
	}
	if e := dec.Stats().Errors; e != 0 {
		t.Fatalf("%d decode errors across the change", e)
	}
}

// TestDecodeLiveCount: every frame of a 250-frame feed is decoded, none
// with an error, whatever the machine's speed (the queue holds the whole
// clip). The decoder holds back the last frames for B-frame reordering
// until more come, so it shows at most reorder fewer.
func TestDecodeLiveCount(t *testing.T) {
	const frames, reorder = 250, 2
	t.Parallel()
	srv := democam.StartForTest(t, &democam.Server{Frames: frames})
	s := &player.Session{URL: srv.URL(), Timeout: 60 * time.Second, Logf: t.Logf}
	dec := &Decoder{Slot: NewFrameSlot()}
	dec.SetOutputSize(640, 360)
	s.AddSink(dec, frames)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	waitFrames(t, dec, frames-reorder, 90*time.Second)
	if ds := dec.Stats(); ds.Errors != 0 || ds.Frames > frames {
		t.Fatalf("decoder stats %+v", ds)
	}
}
