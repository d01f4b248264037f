package recorder

import (
	"math/rand/v2"
	"testing"
)

// TestDTSRegularOnJitteredTimestamps feeds the clip (B-frames) with its
// timestamps jittered by up to ±25% of a frame, as a camera that stamps
// frames when it has them. The file's decode times are
// strictly increasing, never after the presentation times, on a step
// that seldom changes, for the recorder and for ffprobe.
func TestDTSRegularOnJitteredTimestamps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.pts = func(i int) int64 {
		k, loop := i%len(s.clip.Frames), int64(i/len(s.clip.Frames))
		return s.clip.Frames[k].PTS + loop*s.clip.Duration + rng.Int64N(1800) - 900
	}
	s.feed(10 * 25)
	rec.Close()
	file := s.files()[0]

	_, parts := readParts(t, file)
	smp := videoSamples(parts)
	if len(smp) != 250 {
		t.Fatalf("%d frames, 250 fed", len(smp))
	}
	irregular := 0 // steps that differ from the one before
	for i, x := range smp {
		if x.PTSOffset < 0 || x.Duration == 0 {
			t.Fatalf("sample %d: duration %d, pts offset %d", i, x.Duration, x.PTSOffset)
		}
		if i > 0 && x.Duration != smp[i-1].Duration {
			irregular++
		}
	}
	t.Logf("the decode step changes %d times in %d frames", irregular, len(smp))
	if irregular > len(smp)/10 {
		t.Fatalf("the decode step changes %d times in %d frames", irregular, len(smp))
	}
	// FFmpeg's reading of the file agrees.
	pkts := probePackets(t, file)
	for i, p := range pkts {
		if p.DTS == nil || p.PTS == nil || *p.DTS > *p.PTS || (i > 0 && *p.DTS <= *pkts[i-1].DTS) {
			t.Fatalf("ffprobe packet %d: dts %v pts %v after dts %v", i, p.DTS, p.PTS, pkts[max(i-1, 0)].DTS)
		}
	}
}
