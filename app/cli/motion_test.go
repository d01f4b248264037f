package cli

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/library"
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
	var truePos, falsePos, falseNeg, scenes int
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
				srv := democam.StartForTest(t, &democam.Server{Clip: clip, Shared: true})
				watch := time.Duration(loops*sc.Seconds)*time.Second + 500*time.Millisecond
				code, out, errOut := runWithin(t, watch+time.Minute,
					"motion", "--name", "cam "+sc.Name, "--duration", watch.String(), srv.URL())
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				// The scene's clock: when the feed sent its time 0.
				start := srv.Started()
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
				truePos, falsePos, falseNeg, scenes = truePos+tp, falsePos+fp, falseNeg+fn, scenes+1
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
		loops, scenes, truePos, falsePos, falseNeg, precision, recall)
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

// TestRecordOnMotion records the object scene around motion with a 2 s
// pre-record and a 3 s post-roll for two loops: an event per crossing,
// each printed with its file; each file begins (its first frame's prft
// wallclock) at least --pre before its event's start and holds the
// clip's frames from there without a gap or a repeat, and ffmpeg decodes
// it cleanly; the index holds the events with their thumbnails.
func TestRecordOnMotion(t *testing.T) {
	sc := fftest.Scenes[1] // an object crossing at 3 s of each 12 s loop
	dir := t.TempDir()
	clip, err := democam.LoadClip(sc.Make(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	srv := democam.StartForTest(t, &democam.Server{Clip: clip, Shared: true})
	out := t.TempDir()
	const pre, post = 2 * time.Second, 3 * time.Second
	code, stdout, stderr := runWithin(t, 2*time.Minute, "record", "--on-motion", "--pre", pre.String(), "--post", post.String(),
		"--out", out, "--index", filepath.Join(dir, "index.db"), "--duration", "24.5s", "cam="+srv.URL())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Logf("stdout:\n%sstderr:\n%s", stdout, stderr)
	if os.Getenv("KEEP") != "" {
		defer func() { t.Log(exec.Command("cp", "-r", out, os.Getenv("KEEP")).Run()) }()
	}
	var evs []struct {
		Camera, Start, End, File string
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ev struct{ Camera, Start, End, File string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		evs = append(evs, ev)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2 (one per crossing)", len(evs))
	}
	// The index has the events, newest first, each with a thumbnail.
	ix, err := library.Open(context.Background(), filepath.Join(dir, "index.db"), out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ix.Events(context.Background(), "cam", time.Time{}, time.Now().Add(time.Hour))
	ix.Close()
	if err != nil || len(rows) != len(evs) {
		t.Fatalf("%d events in the index (%v), %d printed", len(rows), err, len(evs))
	}
	for i, row := range rows {
		printed, _ := time.Parse(time.RFC3339Nano, evs[len(evs)-1-i].Start)
		if d := row.Start.Sub(printed); d < 0 || d >= time.Millisecond {
			t.Errorf("index row %d starts at %v, printed %v", i, row.Start, printed)
		}
		f, err := os.Open(row.Thumbnail)
		if err != nil {
			t.Fatalf("index row %d: thumbnail: %v", i, err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != fftest.SceneWidth/2 {
			t.Fatalf("thumbnail %s: %v, %v: want a JPEG %d wide", row.Thumbnail, err, img.Bounds(), fftest.SceneWidth/2)
		}
	}
	// Each event is also a file next to the recordings: an index made
	// again from the files has them.
	fresh, err := library.Open(context.Background(), filepath.Join(dir, "fresh.db"), out)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := fresh.Rescan(context.Background()); err != nil || rep.Events != len(evs) {
		t.Fatalf("a new index found %d event files (%v), want %d", rep.Events, err, len(evs))
	}
	again, err := fresh.Events(context.Background(), "cam", time.Time{}, time.Now().Add(time.Hour))
	fresh.Close()
	if err != nil || len(again) != len(rows) {
		t.Fatalf("a new index has %d events (%v), want %d", len(again), err, len(rows))
	}
	for i := range again {
		if !again[i].Start.Equal(rows[i].Start) || again[i].Thumbnail != rows[i].Thumbnail {
			t.Errorf("event %d again: %+v, want %+v", i, again[i], rows[i])
		}
	}

	// The frames of the clip by size, to find where a file's begin.
	v := clipSizes(clip)
	for i, ev := range evs {
		start, err := time.Parse(time.RFC3339Nano, ev.Start)
		if err != nil || ev.Camera != "cam" || ev.File == "" {
			t.Fatalf("event %d: %+v", i, ev)
		}
		if i > 0 && ev.File == evs[i-1].File {
			t.Fatalf("events 12 s apart share a file with a 3 s post-roll: %s", ev.File)
		}
		fftest.DecodesClean(t, ev.File)
		begin := firstPrft(t, ev.File)
		if lead := start.Sub(begin); lead < pre {
			t.Errorf("event %d: file begins %v before the event, want at least %v", i, lead, pre)
		} else {
			t.Logf("event %d: file begins %v before the event", i, lead)
		}
		r, stderr, err := fftest.Probe(t, time.Minute, "-select_streams", "v", "-show_packets", ev.File)
		if err != nil || len(r.Packets) == 0 {
			t.Fatalf("ffprobe %s: %v\n%s", ev.File, err, stderr)
		}
		k := findFrames(v, r.Packets)
		if k < 0 || !clip.Frames[k].Key {
			t.Fatalf("event %d: the file's frames are not a run of the clip's from a keyframe (at %d)", i, k)
		}
		// It goes on to the first keyframe --post after the event.
		end, _ := time.Parse(time.RFC3339Nano, ev.End)
		// The detector's clock and the recorder's are anchored on the same
		// first frame, but not to the millisecond: a frame's slack.
		const frame = time.Second / fftest.SceneFPS
		if span := time.Duration(len(r.Packets)) * frame; span < end.Sub(begin)+post-frame {
			t.Errorf("event %d: the file holds %v, want at least to %v after the event's end", i, span, post)
		}
	}
}

// clipSizes is each frame's MP4 sample size: its NAL units (not the
// parameter sets) with 4-byte lengths.
func clipSizes(c *democam.Clip) []int {
	out := make([]int, len(c.Frames))
	for i, f := range c.Frames {
		for _, n := range f.NALUs {
			if typ := n[0] & 0x1f; typ != 7 && typ != 8 {
				out[i] += 4 + len(n)
			}
		}
	}
	return out
}

// findFrames returns where in the clip (looped) the packets are a run of
// its frames, by size, or -1.
func findFrames(sizes []int, pkts []fftest.Packet) int {
	for k := range sizes {
		ok := true
		for j, p := range pkts {
			if n, _ := strconv.Atoi(p.Size); n != sizes[(k+j)%len(sizes)] {
				ok = false
				break
			}
		}
		if ok {
			return k
		}
	}
	return -1
}

// firstPrft is the wallclock of a recording's first part's prft box. The
// scenes have no B-frames, so it is the first frame's.
func firstPrft(t *testing.T, file string) time.Time {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off+8 <= len(b); {
		size := int(binary.BigEndian.Uint32(b[off:]))
		if size < 8 || off+size > len(b) {
			break
		}
		if string(b[off+4:off+8]) == "prft" && size >= 8+4+4+8 {
			ntp := binary.BigEndian.Uint64(b[off+16:])
			secs := time.Duration(ntp>>32) * time.Second
			frac := time.Duration((ntp & 0xffffffff) * uint64(time.Second) >> 32)
			return time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Add(secs + frac)
		}
		off += size
	}
	t.Fatalf("%s has no prft box", file)
	return time.Time{}
}

// TestMotionUsage: settings out of range are bad usage (exit 2) and say
// which, before any camera is opened.
func TestMotionUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string // in the one line, when the flag package does not answer itself
	}{
		{[]string{"motion", "--sensitivity", "11", "rtsp://127.0.0.1:1/x"}, "--sensitivity 11"},
		{[]string{"motion", "--min-duration", "-1s", "rtsp://127.0.0.1:1/x"}, "negative"},
		{[]string{"motion", "--min-area", "120", "rtsp://127.0.0.1:1/x"}, "0-100"},
		{[]string{"motion", "--mask", "0,0,2,2", "rtsp://127.0.0.1:1/x"}, ""},
		{[]string{"motion", "--mask", "0.5,0.5,0.2,0.9", "rtsp://127.0.0.1:1/x"}, ""},
		{[]string{"record", "--on-motion", "--pre", "-1s", "rtsp://127.0.0.1:1/x"}, "negative"},
		{[]string{"record", "--on-motion", "--sensitivity", "0", "rtsp://127.0.0.1:1/x"}, "--sensitivity 0"},
		// Any option's bad value (this exited 1 and printed its error twice).
		{[]string{"snapshot", "--timeout", "abc", "rtsp://127.0.0.1:1/x"}, ""},
		{[]string{"record", "--duration", "abc", "rtsp://127.0.0.1:1/x"}, ""},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errOut := runWithin(t, 30*time.Second, c.args...)
			if code != 2 {
				t.Fatalf("exit %d, %q: want 2", code, errOut)
			}
			if c.says != "" && (!strings.Contains(errOut, c.says) || strings.Count(errOut, "\n") != 1) {
				t.Fatalf("%q: want one line with %q", errOut, c.says)
			}
			if c.says == "" && strings.Count(errOut, "invalid value") != 1 {
				t.Fatalf("%q: want the bad value told once, with the usage", errOut)
			}
		})
	}
}
