package cli

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// motionLoopsEnv sets how many loops of each 12 s scene TestMotionScenes
// watches. The issue asks for 60 s of each (5 loops); make test watches 2
// (24 s, the scenes in parallel), which already has every object twice,
// every change of light four times and two loop seams, and keeps the
// package's test time down. CAMDECK_MOTION_LOOPS=5 runs the number.
const motionLoopsEnv = "CAMDECK_MOTION_LOOPS"

// TestMotionScenes runs `camdeck motion` on each generated scene served by
// the demo camera and scores its events against the scene's truth: every
// object is an event that starts at most 0.5 s after it appears, and
// nothing else is an event (no noise, no change of light). It logs
// precision and recall over the set.
func TestMotionScenes(t *testing.T) {
	loops := 2
	if v, err := strconv.Atoi(os.Getenv(motionLoopsEnv)); err == nil && v > 0 {
		loops = v
	}
	dir := t.TempDir()
	var mu sync.Mutex
	var truePos, falsePos, falseNeg int
	t.Run("scenes", func(t *testing.T) {
		for _, sc := range fftest.Scenes {
			t.Run(sc.Name, func(t *testing.T) {
				t.Parallel()
				clip, err := democam.LoadClip(sc.Make(t, dir))
				if err != nil {
					t.Fatal(err)
				}
				// Shared: the feed, and so the scene's clock, starts with
				// the server.
				srv := demo(t, &democam.Server{Clip: clip, Shared: true})
				start := time.Now()
				watch := time.Duration(loops*sc.Seconds)*time.Second + 500*time.Millisecond
				code, out, errOut := runWithin(t, watch+time.Minute,
					"motion", "--name", "cam "+sc.Name, "--duration", watch.String(), srv.URL())
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				var got []time.Time
				for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
					if line == "" {
						continue
					}
					var ev struct {
						Camera, Start, End string
						Score              float64
						Box                struct{ X, Y, W, H float64 }
					}
					if err := json.Unmarshal([]byte(line), &ev); err != nil {
						t.Fatalf("not a JSON line: %q: %v", line, err)
					}
					s, err1 := time.Parse(time.RFC3339Nano, ev.Start)
					e, err2 := time.Parse(time.RFC3339Nano, ev.End)
					if err1 != nil || err2 != nil || ev.Camera != "cam "+sc.Name || e.Before(s) ||
						ev.Score <= 0 || ev.Score > 1 || ev.Box.W <= 0 || ev.Box.H <= 0 {
						t.Fatalf("bad event %q", line)
					}
					t.Logf("event at %.2f-%.2f s of the feed, score %.4f, box %+v",
						s.Sub(start).Seconds(), e.Sub(start).Seconds(), ev.Score, ev.Box)
					got = append(got, s)
				}
				// The truth, in the feed's time.
				var want []time.Time
				for n := range loops {
					for _, o := range sc.Objects {
						want = append(want, start.Add(time.Duration((float64(n*sc.Seconds)+o.Start)*float64(time.Second))))
					}
				}
				tp, fp, fn := match(got, want, 500*time.Millisecond)
				mu.Lock()
				truePos, falsePos, falseNeg = truePos+tp, falsePos+fp, falseNeg+fn
				mu.Unlock()
				if fp > 0 || fn > 0 {
					t.Errorf("%d events for %d objects: %d right, %d false, %d missed", len(got), len(want), tp, fp, fn)
				}
			})
		}
	})
	precision, recall := 1.0, 1.0
	if truePos+falsePos > 0 {
		precision = float64(truePos) / float64(truePos+falsePos)
	}
	if truePos+falseNeg > 0 {
		recall = float64(truePos) / float64(truePos+falseNeg)
	}
	t.Logf("%d loops of %d scenes: %d objects found, %d false events, %d missed: precision %.2f, recall %.2f",
		loops, len(fftest.Scenes), truePos, falsePos, falseNeg, precision, recall)
}

// match pairs each true start with the first unpaired event that starts
// from 0.1 s before it (the clock's anchoring may be a few milliseconds
// early) to within after it.
func match(got, want []time.Time, within time.Duration) (tp, fp, fn int) {
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if !used[i] && g.Sub(w) >= -100*time.Millisecond && g.Sub(w) <= within {
				used[i], found = true, true
				break
			}
		}
		if found {
			tp++
		} else {
			fn++
		}
	}
	return tp, len(got) - tp, fn
}
