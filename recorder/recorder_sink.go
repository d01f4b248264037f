package recorder

import (
	"fmt"
	"log"
	"math"
	"path/filepath"
	"time"

	"github.com/camdeck/camdeck/player"
)

// rollSlack lets a split happen at a keyframe stamped a little before the
// segment length: a camera whose GOP is not a whole number of frames, or
// whose clock runs a little fast, must not push a split a whole GOP later
// than the keyframe meant for it.
const rollSlack = 250 * time.Millisecond

// aacFrame is the samples in one AAC access unit.
const aacFrame = 1024

// audioResync is how far audio timestamps may stray from the running
// sample count before the count follows them (a gap after packet loss).
const audioResync = 100 * time.Millisecond

// stream is the recorder's view of one connection.
type stream struct {
	video   *videoState
	audio   *player.Track // AAC or G.711, or nil
	clock   Clock
	needKey bool
	dts     *dtsTimeline   // nil while warming up
	warm    []warmUnit     // the first units, held back until dts is known
	warmA   []*player.Unit // audio that came with them, held back too
	step    int64          // the frame interval, for a final sample
	minDTS  int64          // the next decode may not be earlier (a frame written ahead on time)
}

// KeepsUnitsAfterLoss implements player.LossKeeper: after packet loss
// the rest of the damaged GOP still belongs in the file (players conceal
// the missing reference, as they do for a file FFmpeg or MediaMTX wrote),
// so the recording loses only the frames whose packets were lost.
func (r *Recorder) KeepsUnitsAfterLoss() bool { return true }

// OnStream implements player.Sink.
func (r *Recorder) OnStream(tracks []*player.Track) {
	r.work.Lock()
	defer r.work.Unlock()
	if r.stopped {
		return
	}
	r.st = nil
	v := player.VideoTrack(tracks)
	switch {
	case v == nil:
		return
	case v.Codec != player.CodecH264 && v.Codec != player.CodecH265:
		r.fail(fmt.Errorf("cannot record %s video: camdeck records H.264 and H.265", v.Codec))
		return
	}
	st := &stream{video: newVideoState(v), needKey: true, minDTS: math.MinInt64}
	st.clock.Rate = int64(v.ClockRate)
	for _, t := range tracks {
		switch t.Codec {
		case player.CodecAAC, player.CodecG711A, player.CodecG711U:
			if st.audio == nil {
				st.audio = t
			} else {
				log.Printf("recorder: %s: a second audio track (%s) is left out of the recording", r.Camera, t.Codec)
			}
		}
	}
	r.st = st
}

// OnStreamEnd implements player.Sink: the file in progress is finished,
// and a reconnection starts a new one.
func (r *Recorder) OnStreamEnd(error) {
	r.work.Lock()
	defer r.work.Unlock()
	r.endWarmup()
	r.closeSegment(-1)
	r.st = nil
	r.buf.reset() // the next connection has a clock of its own
	r.update(func(s *Status) { s.Recording, s.PreBytes = false, 0 })
	r.schedule(r.clock())
}

// OnUnit implements player.Sink.
func (r *Recorder) OnUnit(u *player.Unit) {
	r.work.Lock()
	defer r.work.Unlock()
	if r.stopped || r.st == nil {
		return
	}
	r.lastArrival, r.lastSeen = u.Arrival, time.Now()
	switch u.Track {
	case r.st.video.track:
		if !r.drainUntil.IsZero() {
			break // at the limit, waiting for the audio
		}
		r.videoUnit(u)
	case r.st.audio:
		if st := r.st; st.dts == nil {
			// The file opens when the warm-up ends, at the first
			// keyframe: the audio from that keyframe's time on belongs
			// in it, and some of it may come before the keyframe.
			st.holdAudio(u)
			break
		}
		r.audioUnit(u)
	}
	if !r.stopped {
		r.schedule(u.Arrival)
	}
}

func (r *Recorder) videoUnit(u *player.Unit) {
	st := r.st
	if st.dts == nil {
		// Warm-up: the first frames teach the decode timeline.
		if len(st.warm) == 0 && !u.Key {
			return
		}
		st.warm = append(st.warm, warmUnit{u, st.clock.Map(u.PTS, u.Arrival)})
		if len(st.warm) >= dtsWarmup {
			r.endWarmup()
		}
		return
	}
	r.processVideo(u, st.clock.Map(u.PTS, u.Arrival))
}

// audioLead is how much audio is held before a stream's first keyframe
// comes: audio may be sent ahead of the video it goes with (it is not
// reordered, and an encoder's video takes longer), never by a second.
const audioLead = time.Second

// holdAudio keeps an audio unit until the warm-up ends; before the first
// keyframe, only the last audioLead of them.
func (st *stream) holdAudio(u *player.Unit) {
	if len(st.warm) == 0 {
		n := 0
		for n < len(st.warmA) && u.Arrival.Sub(st.warmA[n].Arrival) > audioLead {
			n++
		}
		st.warmA = st.warmA[n:]
	}
	st.warmA = append(st.warmA, u)
}

// warmUnit is a unit held back while the decode timeline is learnt, with
// its recording time.
type warmUnit struct {
	u   *player.Unit
	pts int64
}

// warmAt is when the held-back units are recorded even if fewer than
// dtsWarmup came (a camera that went silent at once), or zero.
func (st *stream) warmAt() time.Time {
	if st == nil || st.dts != nil || len(st.warm) == 0 {
		return time.Time{}
	}
	return st.warm[0].u.Arrival.Add(partInterval / 2)
}

// endWarmup learns the decode timeline from the units held back and
// records them.
func (r *Recorder) endWarmup() {
	st := r.st
	if st == nil || st.dts != nil || len(st.warm) == 0 {
		return
	}
	pts := make([]int64, len(st.warm))
	for i, w := range st.warm {
		pts[i] = w.pts
	}
	fallback := st.clock.Rate / 25
	if fps := st.video.track.FPS; fps > 0 {
		fallback = int64(float64(st.clock.Rate)/fps + 0.5)
	}
	st.dts = newDTSTimeline(pts, fallback)
	st.step = st.dts.step
	warm, warmA := st.warm, st.warmA
	st.warm, st.warmA = nil, nil
	for _, w := range warm {
		if r.stopped || r.st != st {
			return
		}
		r.processVideo(w.u, w.pts)
	}
	// Audio is placed by its own time, so it may follow all the video.
	for _, u := range warmA {
		if r.stopped || r.st != st {
			return
		}
		r.audioUnit(u)
	}
}

func (r *Recorder) processVideo(u *player.Unit, pts int64) {
	st := r.st
	dts := max(st.dts.next(pts), st.minDTS)
	st.step = st.dts.step
	changed := st.video.update(u.Data)
	if r.OnMotion && r.gateVideo(u, pts, dts, changed) {
		return
	}
	r.writeVideo(u, pts, dts, changed)
}

// writeVideo records a video unit whose recording times are pts and dts.
func (r *Recorder) writeVideo(u *player.Unit, pts, dts int64, changed bool) {
	st := r.st
	if (st.needKey && !u.Key) || !st.video.ready() {
		return
	}
	now := u.Arrival
	if r.started.IsZero() {
		r.started = now
	}
	if r.Duration > 0 && now.Sub(r.started) >= r.Duration-r.halfFrame(st) {
		r.reachLimit(now)
		return
	}
	st.needKey = false

	// A segment's length is measured on the recording's timeline: arrival
	// times stall and burst on a busy machine, which would move a split a
	// whole GOP.
	if r.seg != nil && u.Key && (changed ||
		(r.Segment > 0 && dts-r.seg.dts0 >= st.clock.ticks(r.Segment-rollSlack))) {
		r.closeSegment(dts - r.seg.dts0)
	}
	if r.seg == nil {
		if !u.Key || now.Before(r.retryAt) {
			st.needKey = true
			return
		}
		if !r.openSegment(now, pts, dts) {
			return
		}
	}
	seg := r.seg
	seg.addVideo(&sample{
		dts:       dts - seg.dts0,
		ptsOffset: int32(pts - dts),
		sync:      u.Key,
		data:      st.video.payload(u.Data),
	}, pts-seg.dts0, now, st.clock.Wall(dts))
	// A keyframe starts a part, so that each GOP begins a fragment that
	// an sidx reference can point at (see sidxTrack), unless keyframes
	// come closer than keyCutMin.
	cut := u.Key && len(seg.pendingV) > 0 && dts-seg.dts0-seg.lastKey >= st.clock.ticks(keyCutMin)
	if u.Key {
		seg.lastKey = dts - seg.dts0
	}
	if cut || seg.due(now) || seg.full() {
		flush := seg.flush
		if cut {
			flush = func() error { return seg.flushBeforeKey(dts - seg.dts0) }
		}
		if err := flush(); err != nil {
			r.writeFailed(fmt.Errorf("writing %s: %w", filepath.Base(seg.path), pathError(err)), now)
			return
		}
		r.backoff = 0
	}
	r.update(func(s *Status) {
		s.Recording = true
		s.Elapsed = now.Sub(r.started)
		s.Bytes = r.bytesDone + seg.size
	})
}

// halfFrame is half the frame interval, so a limit counts whole frames.
func (r *Recorder) halfFrame(st *stream) time.Duration {
	return time.Duration(st.step) * time.Second / time.Duration(2*st.clock.Rate)
}

func (r *Recorder) audioUnit(u *player.Unit) {
	if r.OnMotion && r.gateAudio(u) {
		return
	}
	seg, st := r.seg, r.st
	if seg == nil || seg.audio == nil {
		return
	}
	vRate, aRate := st.clock.Rate, int64(u.Track.ClockRate)
	rel := st.clock.Offset(u.PTS*vRate/aRate) - seg.pts0 // video ticks from the first frame
	t := rel * aRate / vRate
	resync := int64(audioResync) * aRate / int64(time.Second)
	for _, au := range u.Data {
		n := int64(aacFrame)
		if table := g711Table(u.Track.Codec); table != nil {
			n = int64(len(au) / max(u.Track.Channels, 1))
			if n == 0 {
				continue
			}
			au = g711ToLPCM(make([]byte, 0, 2*len(au)), au, table)
		}
		switch {
		case t < 0:
			// Before the first video frame: left out.
		case seg.audioNext == 0 && len(seg.pendingA) == 0 || t > seg.audioNext+resync:
			seg.audioNext = t
			fallthrough
		case t > seg.audioNext-resync:
			seg.addAudio(&sample{dts: seg.audioNext, duration: uint32(n), sync: true, data: au}, u.Arrival)
			seg.audioNext += n
		}
		t += n
	}
	if !r.drainUntil.IsZero() && !r.audioBehind() {
		r.reachLimit(u.Arrival)
		return
	}
	if seg.full() {
		if err := seg.flush(); err != nil {
			r.writeFailed(fmt.Errorf("writing %s: %w", filepath.Base(seg.path), pathError(err)), u.Arrival)
		}
	}
}

// openSegment starts a file with a keyframe whose recording times are pts
// and dts.
func (r *Recorder) openSegment(now time.Time, pts, dts int64) bool {
	st := r.st
	tracks := []*fmp4Track{st.video.fmp4Track()}
	tracks[0].mediaTime = pts - dts
	if st.audio != nil {
		tracks = append(tracks, &fmp4Track{id: 2, timescale: uint32(st.audio.ClockRate), codec: st.audio.Codec,
			aacConfig: st.audio.AACConfig, sampleRate: st.audio.SampleRate, channels: max(st.audio.Channels, 1)})
	}
	name := SafeName(r.Camera)
	path := freeName(filepath.Join(r.Dir, name), name+"_"+now.Local().Format(timeLayout), ".mp4")
	seg, err := openSegment(path, now, tracks, sidxRefsFor(r.Segment))
	if err != nil {
		err = fmt.Errorf("creating %s: %w", path, pathError(err))
		if permanent(err) {
			r.fail(err)
		} else {
			r.writeFailed(err, now)
		}
		return false
	}
	seg.start, seg.pts0, seg.dts0 = now, pts, dts
	r.seg = seg
	r.retryAt = time.Time{}
	r.update(func(s *Status) { s.Recording, s.Path, s.RetryAt = true, path, time.Time{} })
	if r.OnSegmentOpen != nil {
		r.OnSegmentOpen(path, st.clock.Wall(pts))
	}
	return true
}

// closeSegment finishes the file in progress. nextDTS is the file time of
// the frame that follows the last one, or -1 to estimate it.
func (r *Recorder) closeSegment(nextDTS int64) {
	seg := r.seg
	if seg == nil {
		return
	}
	r.seg = nil
	last := int64(1)
	switch {
	case nextDTS >= 0 && seg.held != nil:
		last = nextDTS - seg.held.dts
	case r.st != nil && r.st.step > 0:
		last = r.st.step
	}
	if err := seg.finish(last); err != nil {
		r.seg = seg // writeFailed closes it and reports what was written
		r.writeFailed(fmt.Errorf("finishing %s: %w", filepath.Base(seg.path), pathError(err)), r.clock())
		return
	}
	r.bytesDone += seg.size
	r.update(func(s *Status) {
		s.Segments++
		s.Bytes = r.bytesDone
	})
	if r.OnSegment != nil {
		r.OnSegment(seg.path, seg.duration())
	}
}
