package recorder

import (
	"bytes"
	"testing"
	"time"
)

// TestOnMotion drives 40 s of the clip (25 fps, a keyframe every 2 s)
// into a recorder that records on motion, with events at 12-15.5 s, at
// 19-21 s (within the first one's post-roll: the same file) and from
// 39 s. The first file begins at the keyframe at or before 12 - 5 = 7 s
// (6 s) and ends at the first keyframe 10 s after 21 s (32 s); the second
// begins at 34 s. Each holds exactly the clip's frames of its span.
func TestOnMotion(t *testing.T) {
	rec := &Recorder{OnMotion: true, manual: true}
	s := newSynth(t, rec)
	sec := func(x float64) time.Time { return s.t0.Add(time.Duration(x * float64(time.Second))) }
	frames := func(x float64) int { return int(x * 25) }

	s.feed(frames(14))
	if st := rec.Status(); st.Recording || len(s.files()) != 0 {
		t.Fatalf("recording before any motion: %+v", st)
	}
	if st := rec.Status(); st.PreBytes <= 0 || st.PreDropped != 0 {
		t.Fatalf("pre-record buffer %d bytes, %d dropped: want some bytes, no drops under the cap", st.PreBytes, st.PreDropped)
	}
	rec.Trigger(sec(12))
	s.feed(frames(16) - s.n)
	rec.Release(sec(15.5))
	s.feed(frames(20) - s.n)
	rec.Trigger(sec(19))
	s.feed(frames(21) - s.n)
	rec.Release(sec(21))
	s.feed(frames(39.2) - s.n)
	rec.Trigger(sec(39))
	s.feed(frames(40) - s.n)
	rec.Close()

	files := s.files()
	s.mu.Lock()
	opens := append([]time.Time(nil), s.opens...)
	s.mu.Unlock()
	if len(files) != 2 || len(opens) != 2 {
		t.Fatalf("files %v, want 2", files)
	}
	for i, want := range []struct{ from, to float64 }{{6, 32}, {34, 40}} {
		if d := opens[i].Sub(sec(want.from)); d != 0 {
			t.Errorf("file %d starts %v after %.0f s", i, d, want.from)
		}
		_, parts := readParts(t, files[i])
		smp := videoSamples(parts)
		first, n := frames(want.from), frames(want.to)-frames(want.from)
		if len(smp) != n {
			t.Fatalf("file %d: %d frames, want %d (%.0f-%.0f s)", i, len(smp), n, want.from, want.to)
		}
		v := newVideoState(s.track)
		for j, sm := range smp {
			fr := s.clip.Frames[(first+j)%len(s.clip.Frames)]
			if !bytes.Equal(sm.Payload, v.payload(fr.NALUs)) || sm.IsNonSyncSample == fr.Key {
				t.Fatalf("file %d sample %d is not frame %d of the clip", i, j, first+j)
			}
		}
	}
}

// TestPreBytesCap: a buffer capped below the GOPs of Pre drops whole GOPs
// from its front and counts them; the file starts at the oldest GOP kept.
func TestPreBytesCap(t *testing.T) {
	clip := newSynth(t, &Recorder{manual: true}).clip
	gop := 0 // bytes of the clip's first two seconds
	for _, f := range clip.Frames[:50] {
		for _, n := range f.NALUs {
			gop += len(n)
		}
	}
	rec := &Recorder{OnMotion: true, manual: true, PreBytes: 2 * gop}
	s := newSynth(t, rec)
	s.feed(14 * 25)
	st := rec.Status()
	if st.PreBytes > 2*gop || st.PreBytes == 0 || st.PreDropped == 0 {
		t.Fatalf("buffer %d bytes (cap %d), %d units dropped", st.PreBytes, 2*gop, st.PreDropped)
	}
	rec.Trigger(s.t0.Add(12 * time.Second))
	s.feed(25)
	rec.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.opens) != 1 {
		t.Fatalf("%d files, want 1", len(s.opens))
	}
	// 6 s would be asked for; the cap keeps at most two GOPs, from 10 s or later.
	if start := s.opens[0].Sub(s.t0); start < 10*time.Second || start > 12*time.Second {
		t.Fatalf("file starts at %v, want 10-12 s", start)
	}
}
