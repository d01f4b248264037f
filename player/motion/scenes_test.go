package motion

import (
	"os/exec"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

// TestEncodedScenes runs the detector over the motion scenes as a camera
// would send them (H.264 from ffmpeg), decoded and scaled to 160x90 grey
// by ffmpeg itself: every object an event that starts within 0.5 s of its
// truth, no event on noise and light changes.
func TestEncodedScenes(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatalf("ffmpeg is not installed (make deps installs it): %v", err)
	}
	dir := t.TempDir()
	for _, s := range fftest.Scenes {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			file := s.Make(t, dir)
			const w, h = 160, 90
			out, stderr, err := fftest.Run(t, 2*time.Minute, "ffmpeg", "-v", "error", "-i", file,
				"-vf", "scale=160:90:flags=area,format=gray", "-f", "rawvideo", "-")
			if err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, stderr)
			}
			pics := []byte(out)
			n := len(pics) / (w * h)
			if n != s.Seconds*fftest.SceneFPS {
				t.Fatalf("%d pictures, want %d", n, s.Seconds*fftest.SceneFPS)
			}
			var evs []Event
			d := &Detector{OnEnd: func(e Event) { evs = append(evs, e) }}
			// Two loops, as the demo camera plays it.
			for loop := range 2 {
				for i := range n {
					ts := float64(loop*n+i) / fftest.SceneFPS
					d.Feed(pics[i*w*h:(i+1)*w*h], w, h, w, at(ts))
				}
			}
			d.Flush()
			var want []fftest.Span
			for loop := range 2 {
				for _, o := range s.Objects {
					off := float64(loop * s.Seconds)
					want = append(want, fftest.Span{Start: o.Start + off, End: o.End + off})
				}
			}
			for _, e := range evs {
				t.Logf("event %.2f-%.2f score %.4f box %+v", sec(e.Start), sec(e.End), e.Score, e.Box)
			}
			if len(evs) != len(want) {
				t.Fatalf("%d events, want %d (%d global changes seen)", len(evs), len(want), d.Stats().Globals)
			}
			for i, e := range evs {
				if d := sec(e.Start) - want[i].Start; d < -0.05 || d > 0.5 {
					t.Errorf("event %d starts %.2f s after the object", i, d)
				}
			}
			if len(s.Global) > 0 && d.Stats().Globals == 0 {
				t.Errorf("no global change seen")
			}
		})
	}
}
