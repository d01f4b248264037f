package recorder

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"
)

// partInterval is how much a part holds before it is written and synced:
// a crash or a power cut loses at most this much, and a second of parts
// keeps the moof overhead under 0.1% at camera bitrates.
const partInterval = time.Second

// keyCutMin is how long after the previous keyframe a keyframe must come
// to start a part: each GOP then starts a part that the sidx points at,
// so a seek decodes from the keyframe before its target, while all-intra
// video (MJPEG, every frame a keyframe) keeps parts of a second rather
// than one per frame, each synced. Parts come at most about twice a
// second.
const keyCutMin = 500 * time.Millisecond

// maxPartBytes ends a part early: a keyframe burst of a 4K camera must not
// make one write (and its memory) unbounded, and a crash loses less.
const maxPartBytes = 2 << 20

// heldSilence is how long the newest video frame may wait for the next
// one before a part written on time includes it with an estimated
// duration: far more than any frame interval, so it happens only when the
// camera has gone silent.
const heldSilence = 250 * time.Millisecond

// file is what a segment writes to: an *os.File, or a failing one in tests.
type file interface {
	Write(p []byte) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Sync() error
	Truncate(size int64) error
	Close() error
}

// createFile opens a new segment file; tests replace it.
var createFile = func(path string) (file, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	lockFile(f) // repair leaves a file alone while its writer lives
	return f, nil
}

// segment is one MP4 file being written: the init segment, the space
// reserved for the sidx, then one part (moof + mdat, the first one after
// a prft) about every second.
type segment struct {
	path  string
	f     file
	init  fmp4Init
	video *fmp4Track
	audio *fmp4Track // nil without audio

	start time.Time // arrival of the first frame
	pts0  int64     // recording time of the first frame's presentation
	dts0  int64     // recording time of the first frame's decoding: file time 0

	held        *sample // newest video sample: its duration needs the next one
	heldPTS     int64   // its presentation time in file time
	heldArrival time.Time
	heldWall    time.Time // its wallclock, for the prft
	pendingV    []*sample
	pendingA    []*sample
	pendingSize int       // bytes of sample data pending
	partStart   time.Time // arrival of the oldest pending (or held) sample
	partWall    time.Time // wallclock of the first pending video sample

	videoEnd   int64 // end of the latest presentation, file time
	audioNext  int64 // file time of the next audio sample, audio timescale
	writtenV   int64 // videoEnd of what is in the file
	writtenA   int64 // audio end of what is in the file
	pendingEnd int64 // audio end of the pending samples
	closed     bool
	seq        uint32
	size       int64 // bytes written and kept
	initSize   int
	tfra       []tfraEntry // the parts with a keyframe, for the mfra
	sidxAt     int64       // offset of the free box reserved for the sidx
	sidxSize   int         // its size
	lead       int         // bytes before the first moof (its prft)
	lastKey    int64       // file time of the latest keyframe
	frags      []sidxFrag  // the parts, for the sidx
	buf        []byte
}

// openSegment creates the file and writes its init segment, reserving
// room for sidx references of refs parts per track.
func openSegment(path string, created time.Time, tracks []*fmp4Track, refs int) (*segment, error) {
	s := &segment{path: path, video: tracks[0]}
	if len(tracks) > 1 {
		s.audio = tracks[1]
	}
	s.init = fmp4Init{created: created, tracks: tracks}
	initBytes, err := s.init.marshal()
	if err != nil {
		return nil, err
	}
	if s.f, err = createFile(path); err != nil {
		return nil, err
	}
	s.initSize = len(initBytes)
	// Room for the sidx that finish writes; a file that never finishes
	// keeps the free box, which players skip.
	s.sidxAt, s.sidxSize = int64(len(initBytes)), sidxReserve(refs, len(tracks))
	initBytes = appendFree(initBytes, s.sidxSize)
	if err := s.write(initBytes); err != nil {
		s.f.Close()
		os.Remove(path)
		return nil, err
	}
	return s, nil
}

// write appends to the file; on failure it cuts the file back to its last
// whole box, so what was written stays playable.
func (s *segment) write(b []byte) error {
	n, err := s.f.Write(b)
	if err != nil {
		if n > 0 {
			_ = s.f.Truncate(s.size)
		}
		return err
	}
	s.size += int64(n)
	return nil
}

// addVideo queues a video sample whose decode and presentation times are
// in file time. The previous sample's duration becomes known here.
func (s *segment) addVideo(smp *sample, pts int64, arrival, wall time.Time) {
	if s.held != nil {
		s.held.duration = uint32(max(smp.dts-s.held.dts, 1))
		s.queue(s.held)
	}
	s.held, s.heldPTS, s.heldArrival, s.heldWall = smp, pts, arrival, wall
	if s.partStart.IsZero() {
		s.partStart = arrival
	}
}

func (s *segment) queue(smp *sample) {
	if len(s.pendingV) == 0 {
		s.partWall = s.heldWall // samples are queued from held, in order
	}
	s.pendingV = append(s.pendingV, smp)
	s.pendingSize += len(smp.data)
	s.videoEnd = max(s.videoEnd, smp.dts+int64(smp.ptsOffset)+int64(smp.duration))
}

// addAudio queues an audio sample.
func (s *segment) addAudio(smp *sample, arrival time.Time) {
	s.pendingA = append(s.pendingA, smp)
	s.pendingSize += len(smp.data)
	s.pendingEnd = smp.dts + int64(smp.duration)
	if s.partStart.IsZero() {
		s.partStart = arrival
	}
}

// due tells whether the pending samples have waited a part interval.
func (s *segment) due(now time.Time) bool {
	return !s.partStart.IsZero() && now.Sub(s.partStart) >= partInterval
}

// full tells whether the pending samples make a part of maxPartBytes.
func (s *segment) full() bool {
	return s.pendingSize >= maxPartBytes
}

// flushAt is when the pending samples are due, or zero; nil-safe.
func (s *segment) flushAt() time.Time {
	if s == nil || s.partStart.IsZero() {
		return time.Time{}
	}
	return s.partStart.Add(partInterval)
}

// releaseHeld queues the held video sample with the duration step when
// no frame has followed it for heldSilence, so a silent camera leaves
// nothing unwritten; it returns the file time the next frame may not
// precede.
func (s *segment) releaseHeld(now time.Time, step int64) (int64, bool) {
	if s.held == nil || now.Sub(s.heldArrival) < heldSilence {
		return 0, false
	}
	s.held.duration = uint32(max(step, 1))
	s.queue(s.held)
	end := s.held.dts + int64(s.held.duration)
	s.held = nil
	return end, true
}

// flush writes the pending samples as one part and syncs the file.
func (s *segment) flush() error {
	if len(s.pendingV) == 0 && len(s.pendingA) == 0 {
		return nil
	}
	var tracks []partTrack
	if len(s.pendingV) > 0 {
		tracks = append(tracks, partTrack{track: s.video, samples: s.pendingV})
	}
	if len(s.pendingA) > 0 {
		tracks = append(tracks, partTrack{track: s.audio, samples: s.pendingA})
	}
	s.seq++
	var err error
	first := s.seq == 1
	if s.buf, err = marshalPart(s.buf[:0], s.seq, tracks, first, s.partWall); err != nil {
		return err
	}
	moof := s.size
	if first {
		s.lead = len(s.buf) - partSize(s.buf)
		moof += int64(s.lead)
	}
	if err := s.write(s.buf); err != nil {
		return err
	}
	frag := sidxFrag{size: int64(partSize(s.buf)), video: len(s.pendingV) > 0, audio: s.writtenA}
	if len(s.pendingA) > 0 {
		frag.audio = s.pendingA[0].dts
	}
	if frag.video {
		frag.sap, frag.ept = s.pendingV[0].sync, math.MaxInt64
		for _, smp := range s.pendingV {
			frag.ept = min(frag.ept, smp.dts+int64(smp.ptsOffset)-s.video.mediaTime)
		}
	}
	s.frags = append(s.frags, frag)
	for i, smp := range s.pendingV {
		if smp.sync {
			// On the presentation timeline, after the edit list, as
			// ffmpeg's muxer writes it and its demuxer reads it.
			pts := smp.dts + int64(smp.ptsOffset) - s.video.mediaTime
			s.tfra = append(s.tfra, tfraEntry{time: pts, moof: moof, sample: i + 1})
			break
		}
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	clear(s.pendingV)
	clear(s.pendingA)
	s.pendingV, s.pendingA, s.pendingSize = s.pendingV[:0], s.pendingA[:0], 0
	s.writtenV, s.writtenA = s.videoEnd, max(s.writtenA, s.pendingEnd)
	s.partStart = time.Time{}
	if s.held != nil {
		s.partStart = s.heldArrival
	}
	return nil
}

// flushBeforeKey writes the pending samples as a part ending before the
// held keyframe, leaving for the keyframe's part the audio from the
// keyframe's decode time on (keyDTS, in file time): ffmpeg seeks the
// audio to the keyframe's decode time after seeking the video, and
// finding that audio in the keyframe's own part keeps it from loading
// the part before (which, in ffmpeg 5.1, moves the video back a GOP).
func (s *segment) flushBeforeKey(keyDTS int64) error {
	if s.audio == nil || len(s.pendingA) == 0 {
		return s.flush()
	}
	cut := (keyDTS - s.video.mediaTime) * int64(s.audio.timescale) / int64(s.video.timescale)
	n := len(s.pendingA)
	for n > 0 && s.pendingA[n-1].dts+int64(s.pendingA[n-1].duration) > cut {
		n--
	}
	rest := append([]*sample(nil), s.pendingA[n:]...)
	end := s.pendingEnd
	if len(rest) > 0 {
		s.pendingA = s.pendingA[:n]
		s.pendingEnd = rest[0].dts
		for _, smp := range rest {
			s.pendingSize -= len(smp.data)
		}
	}
	if err := s.flush(); err != nil {
		return err
	}
	if len(rest) > 0 {
		s.pendingA = append(s.pendingA, rest...)
		s.pendingEnd = end
		for _, smp := range rest {
			s.pendingSize += len(smp.data)
		}
	}
	return nil
}

// duration is the presented length of what is in the file.
func (s *segment) duration() time.Duration {
	return time.Duration(max(s.writtenV-s.video.mediaTime, 0)) * time.Second / time.Duration(s.video.timescale)
}

// abandon closes the file after a write error, keeping its whole parts
// and writing their durations in the header if it can.
func (s *segment) abandon() {
	if s.closed {
		return
	}
	s.closed = true
	s.writeSidx()
	_ = s.writeDurations()
	_ = s.f.Sync()
	_ = s.f.Close()
}

// finish gives the held sample its duration (lastDuration, in video
// ticks), writes everything, rewrites the init segment with the final
// durations so players can seek, syncs and closes.
func (s *segment) finish(lastDuration int64) error {
	if s.held != nil {
		s.held.duration = uint32(max(lastDuration, 1))
		s.queue(s.held)
		s.held = nil
	}
	if err := s.flush(); err != nil {
		return err // abandon closes the file
	}
	if len(s.tfra) > 0 {
		// Only an aid to seeking: a file without it is whole (write cuts
		// a failed one off), so a full disk here costs nothing.
		_ = s.write(appendMfra(s.buf[:0], s.video.id, s.tfra))
	}
	s.writeSidx()
	s.closed = true
	err := s.writeDurations()
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeSidx overwrites the reserved free box with the segment index, so
// that ffmpeg (which ignores the mfra unless told) and DASH-style readers
// seek without reading every moof. Only an aid too: the bytes it replaces
// are already on disk, and a file without it plays.
func (s *segment) writeSidx() {
	v := sidxTrack(s.frags, func(f sidxFrag) int64 { return f.ept }, max(s.writtenV-s.video.mediaTime, 0), false)
	var a []sidxEntry
	var aID, aScale uint32
	if s.audio != nil && v != nil {
		a = sidxTrack(s.frags, func(f sidxFrag) int64 { return f.audio - s.audio.mediaTime }, s.writtenA-s.audio.mediaTime, true)
		aID, aScale = s.audio.id, s.audio.timescale
	}
	if b := marshalSidxes(s.sidxSize, s.lead, v, a, s.video.id, s.video.timescale, aID, aScale); b != nil {
		_, _ = s.f.WriteAt(b, s.sidxAt)
	}
}

func (s *segment) writeDurations() error {
	s.video.duration = max(s.writtenV-s.video.mediaTime, 0)
	if s.audio != nil {
		s.audio.duration = s.writtenA
	}
	s.init.duration = int64(s.duration() / time.Millisecond)
	b, err := s.init.marshal()
	if err != nil {
		return err
	}
	if len(b) != s.initSize {
		// Durations have fixed-size fields; overwriting a different size
		// would corrupt the file, so leave it as it is.
		return fmt.Errorf("the finished init segment is %d bytes, the first was %d", len(b), s.initSize)
	}
	_, err = s.f.WriteAt(b, 0)
	return err
}
