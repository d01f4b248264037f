package recorder

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
	"github.com/camdeck/camdeck/player"
)

// recordURL records a stream for a while and returns the file.
func recordURL(t *testing.T, url string, d time.Duration) string {
	t.Helper()
	done := make(chan struct{})
	rec := &Recorder{Dir: t.TempDir(), Camera: "cam", Duration: d, OnLimit: func() { close(done) },
		OnError: func(err error) { t.Errorf("recorder: %v", err) }}
	s := &player.Session{URL: url, Logf: t.Logf}
	s.AddSink(rec, 256)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	select {
	case <-done:
	case <-time.After(d + 20*time.Second):
		t.Fatalf("no recording: %+v", rec.Status())
	}
	return rec.Status().Path
}

// TestRecordH265AAC records H.265 video with AAC audio from GStreamer's
// RTSP server: hvc1 video (what Apple players open), the audio passed
// through, both the length of the recording.
func TestRecordH265AAC(t *testing.T) {
	t.Parallel()
	clip := fftest.Make(t, filepath.Join(t.TempDir(), "clip.mp4"),
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=30",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30",
		"-c:v", "libx265", "-preset", "veryfast", "-x265-params", "log-level=error:bframes=2", "-g", "50",
		"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k")
	file := recordURL(t, gstserver.StartWith(t, clip, "h265", true), 5*time.Second)

	r, stderr, err := fftest.Probe(t, 30*time.Second, "-show_streams", "-show_format", file)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, stderr)
	}
	if len(r.Streams) != 2 {
		t.Fatalf("%d streams, want video and audio", len(r.Streams))
	}
	v, a := r.Streams[0], r.Streams[1]
	if v.CodecName != "hevc" || v.CodecTag != "hvc1" || v.Width != 640 {
		t.Fatalf("video %+v, want hevc tagged hvc1", v)
	}
	if a.CodecName != "aac" {
		t.Fatalf("audio %+v, want aac", a)
	}
	vd, ad := fftest.Seconds(v.Duration), fftest.Seconds(a.Duration)
	if math.Abs(vd-5) > 0.3 || math.Abs(ad-vd) > 0.3 {
		t.Fatalf("video %.2f s, audio %.2f s, want both about 5 s", vd, ad)
	}
	// The audio that came while the recorder learnt the video's frame
	// interval (its first 16 frames) is in the file too.
	if as := fftest.Seconds(a.StartTime); as > 0.1 {
		t.Errorf("audio starts at %.3f s, want with the video at 0", as)
	}
	fftest.DecodesClean(t, file)
}

// TestChromiumPlays opens a recording in a <video> element of headless
// Chromium and waits for it to play to its end.
func TestChromiumPlays(t *testing.T) {
	t.Parallel()
	srv := &democam.Server{}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	file := recordURL(t, srv.URL(), 4*time.Second)
	want := fftest.Duration(t, file)
	r := chromiumPlay(t, file, false)
	if math.Abs(r.duration-want) > 0.1 || math.Abs(r.current-r.duration) > 0.1 {
		t.Fatalf("Chromium: duration %.3f s, ended at %.3f s; ffprobe says %.3f s", r.duration, r.current, want)
	}
}
