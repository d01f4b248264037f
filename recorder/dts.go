package recorder

import "slices"

// dtsWarmup is the frames a stream's start is held back to learn its frame
// interval and how far B-frames reorder it: a few GOPs' worth of reorder
// patterns, under a second at camera rates.
const dtsWarmup = 16

// dtsWindow is the frames over which decode times may be found lagging
// their presentation times for good (frames lost, a faster camera clock)
// and catch up, and after which the step is refined.
const dtsWindow = 16

// dtsRefine is the frames after which the step is first refined from the
// fit of every frame so far, then again at each doubling: seldom, so
// steps stay regular, and late enough that B-frame patterns do not bias
// the fit.
const dtsRefine = 64

// dtsTimeline gives a stream's decode times on a regular step, strictly
// increasing and never after the presentation time, as players expect
// (FFmpeg warns of "non monotonically increasing dts" otherwise). The
// step is the median spacing of the first frames' presentation times,
// refined now and then to the slope of a least-squares fit over all
// frames (jitter averages out, B-frame reordering does not matter); the
// shift that makes room for B-frames is learnt
// from the first frames. A frame that presents earlier than the step
// allows is decoded at its presentation time instead.
type dtsTimeline struct {
	step    int64
	shift   int64 // presentation minus decode time, at least
	prev    int64
	offsets []int64 // pts - dts of the latest frames
	fit     slope
}

// slope fits pts = a + step*n by least squares, over every frame since
// the stream started (relative to the first, so sums stay small).
type slope struct {
	pts0                  int64
	n                     float64
	sn, sp, snn, snp, cnt float64
}

func (s *slope) add(pts int64) {
	if s.cnt == 0 {
		s.pts0 = pts
	}
	p := float64(pts - s.pts0)
	s.sn, s.sp, s.snn, s.snp = s.sn+s.n, s.sp+p, s.snn+s.n*s.n, s.snp+s.n*p
	s.n++
	s.cnt++
}

func (s *slope) value() (int64, bool) {
	d := s.cnt*s.snn - s.sn*s.sn
	if s.cnt < 2 || d == 0 {
		return 0, false
	}
	v := (s.cnt*s.snp - s.sn*s.sp) / d
	return int64(v + 0.5), v >= 1
}

// newDTSTimeline learns the timeline from the first frames' presentation
// times, in decoding order.
func newDTSTimeline(pts []int64, fallbackStep int64) *dtsTimeline {
	d := &dtsTimeline{step: max(fallbackStep, 1)}
	sorted := slices.Clone(pts)
	slices.Sort(sorted)
	var diffs []int64
	for i := 1; i < len(sorted); i++ {
		if v := sorted[i] - sorted[i-1]; v > 0 {
			diffs = append(diffs, v)
		}
	}
	if len(diffs) > 0 {
		slices.Sort(diffs)
		d.step = diffs[len(diffs)/2]
	}
	// Room for B-frames, and half a frame for timestamps that jitter more
	// than the first frames showed.
	for n, p := range pts {
		d.shift = max(d.shift, pts[0]+int64(n)*d.step-p)
	}
	d.shift += d.step / 2
	d.prev = pts[0] - d.shift - d.step
	return d
}

// next returns the decode time of the next frame in decoding order.
func (d *dtsTimeline) next(pts int64) int64 {
	d.fit.add(pts)
	if c := int(d.fit.cnt); c >= dtsRefine && c&(c-1) == 0 {
		// Over many frames the fit is exact to a tick, whatever the
		// jitter: the step follows it, rarely.
		if v, ok := d.fit.value(); ok && 200*abs(v-d.step) > d.step {
			d.step = v // off by more than 0.5%: B-frame patterns bias the fit less
		}
	}
	dts := d.prev + d.step
	if len(d.offsets) == dtsWindow {
		// Every recent frame presents at least a frame later than the
		// start needed: decode times lag (lost frames); catch up.
		if lag := slices.Min(d.offsets) - d.shift; lag > d.step {
			dts += lag
			d.offsets = d.offsets[:0]
		}
	}
	if dts > pts {
		dts = pts
	}
	dts = max(dts, d.prev+1)
	d.prev = dts
	if len(d.offsets) == dtsWindow {
		d.offsets = append(d.offsets[:0], d.offsets[1:]...)
	}
	d.offsets = append(d.offsets, pts-dts)
	return dts
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
