package democam

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

func TestDefaultClip(t *testing.T) {
	c, err := DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	if c.Width != 1280 || c.Height != 720 || len(c.Frames) != 250 {
		t.Fatalf("clip %dx%d with %d frames, want 1280x720 with 250", c.Width, c.Height, len(c.Frames))
	}
	if fps := c.FPS(); math.Abs(fps-25) > 0.01 {
		t.Fatalf("fps %v, want 25", fps)
	}
	reordered := 0
	for i := 1; i < len(c.Frames); i++ {
		if c.Frames[i].DTS <= c.Frames[i-1].DTS {
			t.Fatalf("frame %d: DTS not increasing", i)
		}
		if c.Frames[i].PTS < c.Frames[i].DTS {
			t.Fatalf("frame %d: PTS before DTS", i)
		}
		if c.Frames[i].PTS < c.Frames[i-1].PTS {
			reordered++
		}
	}
	if reordered == 0 {
		t.Fatal("no B-frames: the clip must exercise reordering")
	}
}

func TestProbeTransports(t *testing.T) {
	s := StartForTest(t, &Server{})
	for _, transport := range []string{"tcp", "udp"} {
		t.Run(transport, func(t *testing.T) {
			r, stderr, err := fftest.Probe(t, 20*time.Second,
				"-rtsp_transport", transport, "-show_streams", s.URL())
			if err != nil {
				t.Fatalf("ffprobe: %v\n%s", err, stderr)
			}
			if len(r.Streams) != 1 {
				t.Fatalf("%d streams, want 1", len(r.Streams))
			}
			st := r.Streams[0]
			if st.CodecName != "h264" || st.Width != 1280 || st.Height != 720 {
				t.Fatalf("stream %s %dx%d, want h264 1280x720", st.CodecName, st.Width, st.Height)
			}
			if fps := fftest.Rate(st.RFrameRate); math.Abs(fps-25) > 0.5 {
				t.Fatalf("frame rate %s, want 25", st.RFrameRate)
			}
		})
	}
}

// TestFFmpegCopy records 6 s with ffmpeg's own remuxer: the stream's
// timestamps must be clean enough for it (no DTS complaints, no lost frames).
func TestFFmpegCopy(t *testing.T) {
	s := StartForTest(t, &Server{})
	out := filepath.Join(t.TempDir(), "out.mp4")
	_, stderr, err := fftest.Run(t, 40*time.Second, "ffmpeg", "-hide_banner", "-nostdin",
		"-rtsp_transport", "tcp", "-i", s.URL(), "-c", "copy", "-t", "6", out)
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr, "non-monotonic") || strings.Contains(stderr, "Non-monotonic") {
		t.Fatalf("ffmpeg complained about DTS:\n%s", stderr)
	}
	r, stderr, err := fftest.Probe(t, 20*time.Second, "-count_frames", "-show_streams", out)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, stderr)
	}
	n := r.Streams[0].NbReadFrames
	if got := int(fftest.Seconds(n)); got < 148 || got > 152 {
		t.Fatalf("%s frames in 6 s, want 150±2", n)
	}
}

func TestDigestAuth(t *testing.T) {
	s := StartForTest(t, &Server{User: "admin", Pass: "s3cret"})

	_, stderr, err := fftest.Probe(t, 20*time.Second, "-rtsp_transport", "tcp", "-show_streams", s.URL())
	if err == nil || !strings.Contains(stderr, "401") {
		t.Fatalf("without credentials: err=%v, want a 401:\n%s", err, stderr)
	}

	r, stderr, err := fftest.Probe(t, 20*time.Second, "-rtsp_transport", "tcp", "-show_streams", s.URLWithCredentials())
	if err != nil {
		t.Fatalf("with credentials: %v\n%s", err, stderr)
	}
	if len(r.Streams) != 1 || r.Streams[0].Width != 1280 {
		t.Fatalf("with credentials: unexpected streams %+v", r.Streams)
	}
}

// largestStep is the largest difference between consecutive presentation
// times, B-frame reordering aside (3 frames).
func largestStep(ts []float64) (step float64) {
	for i := 1; i < len(ts); i++ {
		d := ts[i] - ts[i-1]
		if math.Abs(d) > math.Abs(step) {
			step = d
		}
	}
	return step
}

func TestMisbehaviour(t *testing.T) {
	cases := []struct {
		name  string
		srv   *Server
		check func(t *testing.T, ts []float64, elapsed time.Duration)
	}{
		{"jump forward", &Server{JumpAfter: 2 * time.Second, JumpBy: time.Hour}, func(t *testing.T, ts []float64, _ time.Duration) {
			if st := largestStep(ts); st < 3500 {
				t.Fatalf("largest PTS step %.3f s, want about +3600 s", st)
			}
		}},
		{"jump backward", &Server{JumpAfter: 2 * time.Second, JumpBy: -10 * time.Second}, func(t *testing.T, ts []float64, _ time.Duration) {
			if st := largestStep(ts); st > -9 {
				t.Fatalf("largest PTS step %.3f s, want about -10 s", st)
			}
		}},
		{"stall", &Server{StallAfter: 2 * time.Second, StallFor: 3 * time.Second}, func(t *testing.T, ts []float64, _ time.Duration) {
			if st := largestStep(ts); st < 2.5 || st > 3.5 {
				t.Fatalf("largest PTS step %.3f s, want a 3 s hole", st)
			}
		}},
		{"drop", &Server{DropAfter: 3 * time.Second}, func(t *testing.T, ts []float64, elapsed time.Duration) {
			if elapsed > 6*time.Second {
				t.Fatalf("the read lasted %v: the server did not drop it at 3 s", elapsed)
			}
			if len(ts) < 25 || len(ts) > 90 {
				t.Fatalf("%d packets before the drop, want at most 3 s worth", len(ts))
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := StartForTest(t, c.srv)
			start := time.Now()
			ts := fftest.PacketTimes(t, 8*time.Second, "-rtsp_transport", "tcp", s.URL())
			c.check(t, ts, time.Since(start))
		})
	}
}
