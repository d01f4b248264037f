// Package recorder writes what cameras send to files: fragmented MP4
// recordings (remuxed, never re-encoded) and JPEG snapshots.
package recorder

import (
	"sync"
	"time"
)

// QueueSize is the units a recorder may fall behind its session before it
// drops (the queue of Session.AddSink): about 10 s at 25 fps, so a disk
// stall of a few seconds never costs frames of a recording.
const QueueSize = 256

// Recorder records one camera to fragmented MP4 segments under
// <Dir>/<Camera>/<Camera>_YYYY-MM-DD_HH-MM-SS.mp4. It is a player.Sink:
// attach it with Session.AddSink and detach it with Session.RemoveSink,
// which finishes the file cleanly; then Close it. Limits are wallclock
// timers: a part is written about every second and the Duration limit
// ends the recording on time whether frames arrive or not. After a
// reconnection the recording goes on in a new segment; after a write error
// it retries in a new segment with back-off.
type Recorder struct {
	// Dir is the recordings folder. Required.
	Dir string
	// Camera names the camera in folder and file names. Required.
	Camera string
	// Segment is the length after which the recording moves to a new
	// file, at the next keyframe. Zero means one file.
	Segment time.Duration
	// Duration stops the recording this long after its first frame. Zero
	// means no limit.
	Duration time.Duration
	// OnSegmentOpen is called when a file is created, with its path and
	// the wallclock time of its first frame.
	OnSegmentOpen func(path string, start time.Time)
	// OnSegment is called when a file is complete (closed and synced),
	// or closed after a write error with what was written, with its path
	// and duration.
	OnSegment func(path string, duration time.Duration)
	// OnError is called once per failure. After a write error (a full
	// disk) the file so far is closed, stays playable and is reported to
	// OnSegment, and the recorder tries a new file after a back-off
	// (Status().RetryAt); after an error it cannot get past (a name that
	// cannot be created, a codec it cannot record) recording stops.
	OnError func(err error)
	// OnLimit is called when Duration is reached and the file is closed.
	OnLimit func()
	// OnMotion records only around motion: the video of the last Pre is
	// kept in memory, and Trigger starts a file with it; the file goes on
	// until Post after Release, and a Trigger before then extends it.
	OnMotion bool
	// Pre is the video from before an event's start that its file begins
	// with (from the keyframe at or before). It defaults to DefaultPre.
	Pre time.Duration
	// PreBytes caps the memory the pre-record buffer holds; past it the
	// oldest GOPs are dropped and counted (Status.PreDropped).
	// It defaults to DefaultPreBytes.
	PreBytes int
	// Post is how long a file goes on after Release.
	// It defaults to DefaultPost.
	Post time.Duration
	// Now is the wallclock the timers read; it must agree with the units'
	// Arrival. It defaults to time.Now. A program that feeds units with
	// made-up arrival times (a simulation, a test) sets it to follow them.
	Now func() time.Time

	mu     sync.Mutex
	status Status

	// work serializes the sink's calls and the timer's.
	work    sync.Mutex
	timer   *time.Timer
	manual  bool // tests call onTime themselves: no timer
	closed  bool
	st      *stream
	seg     *segment
	started time.Time // arrival of the first recorded frame: limits count from here
	stopped bool      // the limit was reached or recording failed for good
	retryAt time.Time // after a write error, no new file before this
	// drainUntil is set at the Duration limit while the file waits for
	// the audio of its last frames (audioDrain).
	drainUntil time.Time
	backoff    time.Duration // the latest retry delay
	bytesDone  int64         // bytes of finished segments
	// The latest unit's arrival, and the wallclock when it was handled.
	lastArrival, lastSeen time.Time

	// OnMotion.
	buf     prebuffer
	gate    bool      // recording: between Trigger and Post after Release
	closeAt time.Time // Post after Release: the file ends at the first keyframe from then; zero if not released
}

// Status is a recording's progress.
type Status struct {
	Recording bool          // a file is open
	Path      string        // the current (or last) file
	Elapsed   time.Duration // wallclock since the recording started
	Bytes     int64         // written to all segments
	Segments  int           // files completed
	Err       error         // the latest failure, or why recording stopped
	RetryAt   time.Time     // after a write error: when a new file is tried; zero otherwise
	Stopped   bool          // the recording has ended for good (limit, permanent error, Close)
	// OnMotion: the pre-record buffer's bytes, and the units it dropped to
	// keep under PreBytes.
	PreBytes   int
	PreDropped uint64
}

// Status returns the recording's progress; safe from any goroutine.
func (r *Recorder) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Close finishes the file in progress, if any, and stops the recorder's
// timers. Call it after Session.RemoveSink; a closed recorder records
// nothing more.
func (r *Recorder) Close() {
	r.work.Lock()
	defer r.work.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	if !r.stopped {
		r.endWarmup()
	}
	r.closeSegment(-1)
	r.stopped = true
	r.update(func(s *Status) { s.Recording, s.Stopped, s.RetryAt = false, true, time.Time{} })
}

// clock is the recorder's time between units: the latest unit's arrival
// plus the time since it was handled. Units' arrival times are the
// recording's timeline (a feed of synthetic units may be stamped in the
// past); for a live camera this is the wallclock.
func (r *Recorder) clock() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	if r.lastSeen.IsZero() {
		return time.Now()
	}
	return r.lastArrival.Add(time.Since(r.lastSeen))
}

func (r *Recorder) update(f func(*Status)) {
	r.mu.Lock()
	f(&r.status)
	r.mu.Unlock()
}
