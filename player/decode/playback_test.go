package decode

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

// recordDemo records the demo camera into segments of seg for d and
// returns them with starts chained from t0, and each frame's playback PTS
// as ffprobe (the judge) reads it from the files, in presentation order.
func recordDemo(t testing.TB, seg, d time.Duration, t0 time.Time) ([]Segment, []time.Duration) {
	t.Helper()
	srv := democam.StartForTest(t, &democam.Server{})
	var mu sync.Mutex
	var segs []Segment
	done := make(chan struct{})
	rec := &recorder.Recorder{Dir: t.TempDir(), Camera: "cam", Segment: seg, Duration: d,
		OnSegment: func(path string, dur time.Duration) {
			mu.Lock()
			segs = append(segs, Segment{Path: path, Duration: dur})
			mu.Unlock()
		},
		OnLimit: func() { close(done) },
		OnError: func(err error) { t.Errorf("recorder: %v", err) }}
	s := &player.Session{URL: srv.URL(), Logf: t.Logf}
	s.AddSink(rec, 256)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(d + 30*time.Second):
		t.Fatalf("no recording: %+v", rec.Status())
	}
	s.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(segs) < 2 {
		t.Fatalf("%d segments, want at least 2", len(segs))
	}
	var pts []time.Duration
	start := t0
	for i := range segs {
		segs[i].Start = start
		r, stderr, err := fftest.Probe(t, 30*time.Second, "-select_streams", "v", "-show_packets", "-show_streams", segs[i].Path)
		if err != nil {
			t.Fatalf("ffprobe: %v\n%s", err, stderr)
		}
		first := seconds(t, r.Streams[0].StartTime)
		var own []time.Duration
		for _, p := range r.Packets {
			own = append(own, start.Sub(t0)+seconds(t, p.PTSTime)-first)
		}
		slices.Sort(own)
		pts = append(pts, own...)
		start = start.Add(segs[i].Duration)
	}
	return slices.Clone(segs), pts
}

func seconds(t testing.TB, s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("ffprobe time %q: %v", s, err)
	}
	return time.Duration(f * float64(time.Second))
}

// near is true when two PTS are the same frame (ffprobe prints µs).
func near(a, b time.Duration) bool { return (a - b).Abs() < time.Millisecond }

func startPlayback(t testing.TB, segs []Segment) *Playback {
	t.Helper()
	dec := &Decoder{Slot: NewFrameSlot()}
	dec.SetOutputSize(320, 180)
	p := &Playback{Decoder: dec, Segments: segs, Logf: t.Logf}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// TestPlaybackScrub seeks back and forth within the GOPs of a recording
// of the demo camera, as dragging on the timeline does: into a GOP's
// second part that no read has reached yet, and again into a GOP just
// seeked into. Each seek shows exactly the first frame at or after the
// time asked. It failed with an sidx of one reference per GOP: FFmpeg
// skipped the parts of a GOP after its first.
func TestPlaybackScrub(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	segs, pts := recordDemo(t, 6*time.Second, 7*time.Second, t0)
	if segs[0].Duration < 5600*time.Millisecond {
		t.Fatalf("the first file lasts %v, want about 6 s", segs[0].Duration)
	}
	p := startPlayback(t, segs)
	for _, ms := range []int{200, 1500, 4300, 4100, 4800, 2600, 1100, 5500} {
		target := time.Duration(ms) * time.Millisecond
		want := pts[slices.IndexFunc(pts, func(d time.Duration) bool { return d >= target-time.Microsecond })]
		if err := p.Seek(t0.Add(target)); err != nil {
			t.Fatal(err)
		}
		if f := p.Decoder.Slot.Take(); f == nil || !near(f.PTS, want) {
			t.Fatalf("seek to %v showed %+v, want the frame at %v", target, f, want)
		}
	}
}

// TestPlaybackSeekStepAndBoundary plays a real recording of the demo
// camera: a seek mid-GOP shows exactly the first frame at or after the
// time asked, Step shows the next one, and playing from the start crosses
// the segment boundaries showing every frame of every file, in order.
func TestPlaybackSeekStepAndBoundary(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	segs, pts := recordDemo(t, 2*time.Second, 5*time.Second, t0)
	p := startPlayback(t, segs)
	slot := p.Decoder.Slot

	target := segs[1].Start.Add(1030 * time.Millisecond).Sub(t0) // mid-GOP in the second file
	want := pts[slices.IndexFunc(pts, func(d time.Duration) bool { return d >= target-time.Microsecond })]
	if err := p.Seek(t0.Add(target)); err != nil {
		t.Fatal(err)
	}
	f := slot.Take()
	if f == nil || !near(f.PTS, want) {
		t.Fatalf("seek to %v showed %+v, want the frame at %v", target, f, want)
	}
	if got := p.Wallclock(f.PTS); !near(got.Sub(t0), want) || f.Image.Bounds().Dx() != 320 {
		t.Fatalf("wallclock %v, image %v", got, f.Image.Bounds())
	}
	if err := p.Step(); err != nil {
		t.Fatal(err)
	}
	next := pts[slices.Index(pts, want)+1]
	if f := slot.Take(); f == nil || !near(f.PTS, next) {
		t.Fatalf("step showed %+v, want the frame at %v", f, next)
	}

	if err := p.Seek(t0); err != nil {
		t.Fatal(err)
	}
	slot.Take()
	before := p.Decoder.Stats().Frames
	p.SetSpeed(4)
	p.Play()
	var last time.Duration = -1
	var seen []time.Duration
	deadline := time.After(60 * time.Second)
	for p.Playing() {
		select {
		case <-slot.Ready():
			if f := slot.Take(); f != nil {
				if f.PTS <= last {
					t.Fatalf("frame at %v after %v: out of order", f.PTS, last)
				}
				last = f.PTS
				seen = append(seen, f.PTS)
				slot.Release(f.Image)
			}
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("still playing after 60 s")
		}
	}
	if f := slot.Take(); f != nil { // the last frame, put as playing ended
		if f.PTS <= last {
			t.Fatalf("frame at %v after %v: out of order", f.PTS, last)
		}
		last = f.PTS
		seen = append(seen, f.PTS)
	}
	if shown := p.Decoder.Stats().Frames - before + 1; shown != uint64(len(pts)) {
		for _, w := range pts {
			if !slices.ContainsFunc(seen, func(d time.Duration) bool { return near(d, w) }) {
				t.Logf("not seen: %v", w)
			}
		}
		t.Fatalf("played %d frames across %d files, ffprobe counts %d", shown, len(segs), len(pts))
	}
	if !near(last, pts[len(pts)-1]) || p.Decoder.Stats().Errors != 0 {
		t.Fatalf("last frame %v, want %v; %d decode errors", last, pts[len(pts)-1], p.Decoder.Stats().Errors)
	}
}

// TestPlaybackCloseDuringSeek closes a playback while a seek runs on it,
// as closing the Recordings view during a drag does. Seek must return
// only once the playback goroutine is done writing its result: it
// returned at Close, and the race detector caught Seek reading the error
// the seek was still writing (seen in a CI run of TestRecordingsViewExport).
func TestPlaybackCloseDuringSeek(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	segs, _ := recordDemo(t, 2*time.Second, 4*time.Second, t0)
	for i := range 20 {
		dec := &Decoder{Slot: NewFrameSlot()}
		dec.SetOutputSize(320, 180)
		p := &Playback{Decoder: dec, Segments: segs, Logf: t.Logf}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		seeked := make(chan error, 1)
		go func() { seeked <- p.Seek(t0.Add(time.Duration(1900+i*50) * time.Millisecond)) }()
		time.Sleep(time.Duration(i%5) * time.Millisecond)
		p.Close()
		select {
		case <-seeked: // done, or cut short: either is fine, a race is not
		case <-time.After(30 * time.Second):
			t.Fatal("Seek did not return after Close")
		}
	}
}
