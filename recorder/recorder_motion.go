package recorder

import (
	"time"

	"github.com/camdeck/camdeck/player"
)

// gateAudio holds an audio unit in the pre-record buffer while no event
// is being recorded; it returns true when it did.
func (r *Recorder) gateAudio(u *player.Unit) bool {
	if r.gate {
		return false
	}
	st := r.st
	r.buf.pushAudio(u, st.clock.Offset(u.PTS*st.clock.Rate/int64(u.Track.ClockRate)))
	r.update(func(s *Status) { s.PreBytes = r.buf.bytes })
	return true
}

// gateVideo holds a video unit in the pre-record buffer while no event
// is being recorded, and ends the file Post after a Release. It returns
// true when the unit was held, not recorded. The file ends at the first
// keyframe Post after a Release: its last GOP is whole, and the next file
// (from the buffer) can begin with that keyframe.
func (r *Recorder) gateVideo(u *player.Unit, pts, dts int64, changed bool) bool {
	st := r.st
	wall := st.clock.Wall(pts)
	// A file ends at a keyframe, so the next one can start there.
	if r.gate && !r.closeAt.IsZero() && u.Key && !wall.Before(r.closeAt) {
		if r.seg != nil {
			r.closeSegment(dts - r.seg.dts0)
		}
		r.gate, r.closeAt = false, time.Time{}
		st.needKey = true
		r.update(func(s *Status) { s.Recording = false })
	}
	if r.gate {
		return false
	}
	if r.buf.max == 0 {
		r.buf.max = orDefault(r.PreBytes, DefaultPreBytes)
	}
	r.buf.keep = st.clock.ticks(orDefault(r.Pre, DefaultPre) + preSlack)
	r.buf.push(preUnit{u: u, pts: pts, dts: dts, changed: changed, wall: wall})
	r.update(func(s *Status) { s.PreBytes, s.PreDropped = r.buf.bytes, r.buf.dropped })
	return true
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Trigger starts recording an event that began at start (OnMotion): the
// file begins with the buffered video from the keyframe at or before Pre
// earlier, or goes on if one is open (a new event within the post-roll).
// It is safe from any goroutine.
func (r *Recorder) Trigger(start time.Time) {
	r.work.Lock()
	defer r.work.Unlock()
	if !r.OnMotion || r.stopped || r.closed {
		return
	}
	r.closeAt = time.Time{}
	if r.gate {
		return
	}
	r.gate = true
	if r.st == nil || r.st.dts == nil {
		return // the first units are still held back; they are recorded when they go
	}
	video, audio := r.buf.take(start.Add(-orDefault(r.Pre, DefaultPre)))
	for _, p := range video {
		// Audio by its time, between the frames: a part holds both.
		for len(audio) > 0 && audio[0].at <= p.dts && r.seg != nil {
			r.audioUnit(audio[0].u)
			audio = audio[1:]
		}
		if r.stopped || r.st == nil || !r.gate {
			break
		}
		r.writeVideo(p.u, p.pts, p.dts, p.changed)
	}
	for _, a := range audio {
		if r.stopped || r.st == nil || !r.gate {
			break
		}
		r.audioUnit(a.u)
	}
	r.update(func(s *Status) { s.PreBytes = r.buf.bytes })
	r.schedule(r.clock())
}

// Release says the event that Trigger started ended at end (OnMotion):
// the file ends at the first keyframe Post after it, unless Trigger comes
// first. It is safe from any goroutine.
func (r *Recorder) Release(end time.Time) {
	r.work.Lock()
	defer r.work.Unlock()
	if r.gate {
		r.closeAt = end.Add(orDefault(r.Post, DefaultPost))
	}
}
