package decode

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkPlaybackSeek measures a click on the timeline: from Seek (a
// mid-GOP time, so the decoder runs forward from the keyframe before) to
// the frame in the slot, scaled to a 960x540 view. It reports the median
// of 20 seeks as ms/seek (issue 12 asks for at most 300 ms).
func BenchmarkPlaybackSeek(b *testing.B) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	segs, _ := recordDemo(b, 2*time.Second, 6*time.Second, t0)
	p := startPlayback(b, segs)
	p.Decoder.SetOutputSize(960, 540)
	end := segs[len(segs)-1].End().Sub(t0)
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		took = took[:0]
		for k := range 20 {
			at := t0.Add(end * time.Duration(2*k+1) / 41) // spread over the recording, mostly mid-GOP
			start := time.Now()
			if err := p.Seek(at); err != nil {
				b.Fatal(err)
			}
			f := p.Decoder.Slot.Take()
			took = append(took, time.Since(start))
			if f == nil {
				b.Fatal("no frame after a seek")
			}
			p.Decoder.Slot.Release(f.Image)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/float64(time.Millisecond), "ms/seek")
}
