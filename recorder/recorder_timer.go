package recorder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Back-off after a write error: a full disk is often freed within seconds
// (retention deletes old files), but a disk that stays full must not be
// hammered with a new file every frame.
const (
	retryMin = 2 * time.Second
	retryMax = 30 * time.Second
)

// audioDrain is how long a recording at its Duration limit waits for the
// audio of its last frames. Audio is sent when a packet is full (20 ms
// of G.711, 21 ms of AAC at 48 kHz, more from some cameras) and arrives
// at its end; B-frames arrive before they present. Cut at the limit, the
// audio track would end that much before the video.
const audioDrain = 500 * time.Millisecond

// limitAt is when the Duration limit ends the recording, or zero; at the
// limit, when the wait for the last audio ends.
func (r *Recorder) limitAt() time.Time {
	if r.Duration <= 0 || r.started.IsZero() || r.stopped {
		return time.Time{}
	}
	if !r.drainUntil.IsZero() {
		return r.drainUntil
	}
	return r.started.Add(r.Duration)
}

// audioBehind tells whether the file's audio ends before its video.
func (r *Recorder) audioBehind() bool {
	seg, st := r.seg, r.st
	if seg == nil || seg.audio == nil || st == nil || st.audio == nil {
		return false
	}
	vEnd := seg.videoEnd
	if seg.held != nil {
		vEnd = max(vEnd, seg.heldPTS+st.step)
	}
	vEnd -= seg.video.mediaTime // presentation time from the first frame
	return seg.audioNext*st.clock.Rate/int64(st.audio.ClockRate) < vEnd
}

// schedule sets the timer for the next thing due: the limit or a part.
func (r *Recorder) schedule(now time.Time) {
	if r.manual || r.closed {
		return
	}
	var next time.Time
	for _, t := range []time.Time{r.limitAt(), r.seg.flushAt(), r.st.warmAt()} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if next.IsZero() {
		if r.timer != nil {
			r.timer.Stop()
		}
		return
	}
	d := max(next.Sub(now), time.Millisecond)
	if r.timer == nil {
		r.timer = time.AfterFunc(d, r.tick)
	} else {
		r.timer.Reset(d)
	}
}

func (r *Recorder) tick() {
	r.work.Lock()
	defer r.work.Unlock()
	if !r.closed {
		r.onTime(r.clock())
	}
}

// onTime does what is due at now, frames or not: the limit ends the
// recording; pending samples are written as a part.
func (r *Recorder) onTime(now time.Time) {
	if at := r.limitAt(); !at.IsZero() && !now.Before(at) {
		r.reachLimit(now)
		if !r.stopped {
			r.schedule(now)
		}
		return
	}
	if at := r.st.warmAt(); !at.IsZero() && !now.Before(at) {
		r.endWarmup()
		if r.stopped {
			return
		}
	}
	if seg := r.seg; seg != nil && seg.due(now) {
		step := int64(0)
		if r.st != nil {
			step = r.st.step
		}
		if end, ok := seg.releaseHeld(now, step); ok && r.st != nil {
			r.st.minDTS = seg.dts0 + end
		}
		if err := seg.flush(); err != nil {
			r.writeFailed(fmt.Errorf("writing %s: %w", filepath.Base(seg.path), err), now)
			return
		}
	}
	r.schedule(now)
}

// reachLimit closes the file at the Duration limit and stops; first, while
// the audio ends before the video, it takes no more frames and waits up to
// audioDrain for the audio.
func (r *Recorder) reachLimit(now time.Time) {
	if r.drainUntil.IsZero() && r.audioBehind() {
		r.drainUntil = now.Add(audioDrain)
		return
	}
	r.closeSegment(-1)
	r.stopped = true
	r.update(func(s *Status) { s.Recording, s.Stopped, s.RetryAt = false, true, time.Time{} })
	if r.timer != nil {
		r.timer.Stop()
	}
	if r.OnLimit != nil {
		r.OnLimit()
	}
}

// permanent tells whether a file creation error will not go away by
// trying again: a name the filesystem refuses, a folder that is a file,
// no permission. A full disk or an I/O error may pass.
func permanent(err error) bool {
	for _, e := range []error{syscall.ENOTDIR, syscall.ENAMETOOLONG, syscall.EISDIR,
		syscall.EACCES, syscall.EPERM, syscall.EROFS, syscall.EINVAL, syscall.ELOOP} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// writeFailed closes the file in progress after a write error, keeping
// what was written (playable, reported to OnSegment), and arranges a new
// file after a back-off.
func (r *Recorder) writeFailed(err error, now time.Time) {
	seg := r.seg
	r.seg = nil
	if seg != nil {
		seg.abandon()
		r.bytesDone += seg.size
	}
	if r.backoff == 0 {
		r.backoff = retryMin
	} else {
		r.backoff = min(2*r.backoff, retryMax)
	}
	r.retryAt = now.Add(r.backoff)
	if r.st != nil {
		r.st.needKey = true
	}
	err = fmt.Errorf("recorder: %s: %w (trying again in %v)", r.Camera, err, r.backoff)
	r.update(func(s *Status) {
		s.Recording, s.Err, s.RetryAt, s.Bytes = false, err, r.retryAt, r.bytesDone
		if seg != nil {
			s.Segments++
		}
	})
	if seg != nil && r.OnSegment != nil {
		r.OnSegment(seg.path, seg.duration())
	}
	if r.OnError != nil {
		r.OnError(err)
	}
	r.schedule(now)
}

// fail stops recording for good after an error, keeping what was written.
func (r *Recorder) fail(err error) {
	if seg := r.seg; seg != nil {
		r.seg = nil
		seg.abandon()
		r.bytesDone += seg.size
	}
	r.stopped = true
	if r.timer != nil {
		r.timer.Stop()
	}
	err = fmt.Errorf("recorder: %s: %w", r.Camera, err)
	r.update(func(s *Status) {
		s.Recording, s.Err, s.Bytes, s.Stopped, s.RetryAt = false, err, r.bytesDone, true, time.Time{}
	})
	if r.OnError != nil {
		r.OnError(err)
	}
}

// pathError drops the path from a file error: the message names the file
// already.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
