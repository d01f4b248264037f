package recorder

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// partInterval is how much a part holds before it is written and synced:
// a crash or a power cut loses at most this much, and a second of parts
// keeps the moof overhead under 0.1% at camera bitrates.
const partInterval = time.Second

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
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// segment is one MP4 file being written: the init segment, then one part
// (prft + moof + mdat) about every second.
type segment struct {
	path  string
	f     file
	init  fmp4Init
	video *fmp4Track
	audio *fmp4Track // nil without audio

	start time.Time // arrival of the first frame
	pts0  int64     // recording time of the first frame's presentation
	dts0  int64     // recording time of the first frame's decoding: file time 0

	held      *sample // newest video sample: its duration needs the next one
	heldPTS   int64   // its presentation time in file time
	pendingV  []*sample
	pendingA  []*sample
	partStart time.Time // arrival of the oldest pending sample
	partWall  time.Time // wallclock of the first pending video sample

	videoEnd  int64 // end of the latest presentation, file time
	audioNext int64 // file time of the next audio sample, audio timescale
	seq       uint32
	size      int64 // bytes written and kept
	initSize  int
	buf       []byte
}

// openSegment creates the file and writes its init segment.
func openSegment(path string, created time.Time, tracks []*fmp4Track) (*segment, error) {
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
	s.held, s.heldPTS = smp, pts
	if len(s.pendingV) == 0 {
		s.partWall = wall
	}
	if s.partStart.IsZero() {
		s.partStart = arrival
	}
}

func (s *segment) queue(smp *sample) {
	s.pendingV = append(s.pendingV, smp)
	s.videoEnd = max(s.videoEnd, smp.dts+int64(smp.ptsOffset)+int64(smp.duration))
}

// addAudio queues an audio sample.
func (s *segment) addAudio(smp *sample, arrival time.Time) {
	s.pendingA = append(s.pendingA, smp)
	if s.partStart.IsZero() {
		s.partStart = arrival
	}
}

// due tells whether the pending samples have waited a part interval.
func (s *segment) due(now time.Time) bool {
	return !s.partStart.IsZero() && now.Sub(s.partStart) >= partInterval
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
	if s.buf, err = marshalPart(s.buf[:0], s.seq, tracks, s.partWall); err != nil {
		return err
	}
	if err := s.write(s.buf); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	clear(s.pendingV)
	clear(s.pendingA)
	s.pendingV, s.pendingA = s.pendingV[:0], s.pendingA[:0]
	s.partStart = time.Time{}
	return nil
}

// duration is the presented length so far.
func (s *segment) duration() time.Duration {
	return time.Duration(s.videoEnd-s.video.mediaTime) * time.Second / time.Duration(s.video.timescale)
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
	err := s.flush()
	if err == nil {
		err = s.writeDurations()
	}
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *segment) writeDurations() error {
	s.video.duration = s.videoEnd - s.video.mediaTime
	if s.audio != nil {
		s.audio.duration = s.audioNext
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
