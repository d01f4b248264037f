package recorder

import (
	"testing"
	"time"
)

// TestSegmentsOpenAndClose drives 13 s of the clip (a keyframe every 2 s)
// into 4 s segments with a made-up clock: each file is announced when it
// opens, with the wallclock time of its first frame, and when it is done;
// each starts with a keyframe; no frame is lost or repeated and the
// decode times run on a regular step, never after the presentation.
func TestSegmentsOpenAndClose(t *testing.T) {
	rec := &Recorder{Segment: 4 * time.Second, manual: true}
	s := newSynth(t, rec)
	s.feed(13 * 25)
	rec.Close()

	files := s.files()
	s.mu.Lock()
	opened, opens, done := s.opened, s.opens, s.done
	s.mu.Unlock()
	if len(files) != 4 || len(opened) != 4 || len(done) != 4 {
		t.Fatalf("files %v, opened %v, done %v: want 4 of each", files, opened, done)
	}
	total := 0
	for i, f := range files {
		if opened[i] != f || done[i] != f {
			t.Fatalf("file %d: %s, opened %s, done %s", i, f, opened[i], done[i])
		}
		if want := s.t0.Add(time.Duration(i) * 4 * time.Second); !opens[i].Equal(want) {
			t.Fatalf("file %d starts at %v, want %v", i, opens[i].Sub(s.t0), want.Sub(s.t0))
		}
		_, parts := readParts(t, f)
		smp := videoSamples(parts)
		if len(smp) == 0 || smp[0].IsNonSyncSample || smp[0].dts != 0 {
			t.Fatalf("%s does not start with a keyframe at 0", f)
		}
		for j := 1; j < len(smp); j++ {
			if smp[j].Duration != 3600 || smp[j].PTSOffset < 0 {
				t.Fatalf("%s sample %d: duration %d, pts offset %d: want a regular 3600 and never a DTS after the PTS",
					f, j, smp[j].Duration, smp[j].PTSOffset)
			}
			if smp[j].dts != smp[j-1].dts+int64(smp[j-1].Duration) {
				t.Fatalf("%s sample %d: dts %d after %d+%d", f, j, smp[j].dts, smp[j-1].dts, smp[j-1].Duration)
			}
		}
		total += len(smp)
	}
	if total != 13*25 {
		t.Fatalf("%d frames in the files, %d fed", total, 13*25)
	}
}

// TestSegmentsSplitOnMediaTime: a stall delays the keyframe that opens
// the third file by 600 ms and the next ones come in a burst; the split at
// 12 s still happens, since segments are measured on the recording's
// timeline, not by when frames happened to arrive.
func TestSegmentsSplitOnMediaTime(t *testing.T) {
	rec := &Recorder{Segment: 4 * time.Second, manual: true}
	s := newSynth(t, rec)
	const stallFrom, stallTo = 195, 215 // 8 s is frame 200, a keyframe
	s.late = func(i int) time.Duration {
		if i >= stallFrom && i < stallTo {
			return time.Duration(stallTo-i) * time.Second / 25
		}
		return 0
	}
	s.feed(13 * 25)
	rec.Close()
	files := s.files()
	if len(files) != 4 {
		t.Fatalf("%d files, want 4: %v", len(files), files)
	}
	total := 0
	for _, f := range files {
		total += countFrames(f)
	}
	if total != 13*25 {
		t.Fatalf("%d frames in the files, %d fed", total, 13*25)
	}
}

// TestDurationLimitInjectedClock: the limit fires on the recorder's clock
// although frames stopped long before, and not a moment earlier.
func TestDurationLimitInjectedClock(t *testing.T) {
	now := time.Now()
	rec := &Recorder{Duration: 10 * time.Second, manual: true, Now: func() time.Time { return now }}
	s := newSynth(t, rec)
	s.t0 = now
	s.feed(2 * 25)
	step := func(d time.Duration) {
		now = now.Add(d)
		rec.work.Lock()
		rec.onTime(now)
		rec.work.Unlock()
	}
	step(9*time.Second + 900*time.Millisecond)
	if s.limited != 0 || !rec.Status().Recording {
		t.Fatalf("the limit fired %v early", 100*time.Millisecond)
	}
	step(100 * time.Millisecond)
	if s.limited != 1 || rec.Status().Recording {
		t.Fatalf("the limit did not fire at 10 s: %+v", rec.Status())
	}
	if n := countFrames(s.files()[0]); n != 50 {
		t.Fatalf("%d frames in the file, 50 fed", n)
	}
}
