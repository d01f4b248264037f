package recorder

import (
	"bytes"
	"testing"
	"time"

	"github.com/camdeck/camdeck/player"
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

// TestOnMotionKeepsAudio: the pre-record buffer keeps the audio with the
// video, so a file recorded on motion has sound from its first frame, not
// from the moment the event was confirmed. 28 s of the clip with G.711
// audio (20 ms a unit), an event at 12-15.5 s confirmed at 14 s: the file
// spans 6-26 s, and its audio the same 20 s, from the first frame on.
// Before, the audio began at 14 s.
func TestOnMotionKeepsAudio(t *testing.T) {
	rec := &Recorder{OnMotion: true, manual: true}
	s := newSynth(t, rec)
	at := &player.Track{Codec: player.CodecG711A, ClockRate: 8000, SampleRate: 8000, Channels: 1}
	rec.OnStream([]*player.Track{s.track, at})
	sec := func(x float64) time.Time { return s.t0.Add(time.Duration(x * float64(time.Second))) }
	k := 0
	feed := func(to float64) {
		for s.n < int(to*25) {
			s.feed(1)
			for ; k*160*25 <= s.n*8000; k++ { // the audio up to the frame's time
				rec.OnUnit(&player.Unit{Track: at, Data: [][]byte{bytes.Repeat([]byte{0xd5}, 160)}, PTS: int64(k) * 160,
					Arrival: s.t0.Add(time.Duration(k) * 20 * time.Millisecond)})
			}
		}
	}
	feed(14)
	rec.Trigger(sec(12))
	feed(16)
	rec.Release(sec(15.5))
	feed(28)
	rec.Close()

	files := s.files()
	if len(files) != 1 {
		t.Fatalf("files %v, want 1", files)
	}
	_, parts := readParts(t, files[0])
	var video, audio, audioStart int64 = 0, 0, -1
	for _, p := range parts {
		for _, tr := range p.Tracks {
			for _, sm := range tr.Samples {
				if tr.ID == 1 {
					video += int64(sm.Duration)
				} else {
					if audioStart < 0 {
						audioStart = int64(tr.BaseTime)
					}
					audio += int64(sm.Duration)
				}
			}
		}
	}
	v, a := time.Duration(video)*time.Second/90000, time.Duration(audio)*time.Second/8000
	first := time.Duration(audioStart) * time.Second / 8000
	t.Logf("video %v, audio %v from %v", v, a, first)
	if v < 19*time.Second || v > 21*time.Second {
		t.Fatalf("video %v, want 20 s (6-26 s)", v)
	}
	if d := a - v; d < -100*time.Millisecond || d > 100*time.Millisecond || first > 40*time.Millisecond {
		t.Errorf("audio %v from %v into the file, video %v: want the same span from the first frame", a, first, v)
	}
}
