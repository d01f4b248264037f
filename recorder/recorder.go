// Package recorder writes what cameras send to files: fragmented MP4
// recordings (remuxed, never re-encoded) and JPEG snapshots.
package recorder

import (
	"sync"
	"time"
)

// Recorder records one camera to fragmented MP4 segments under
// <Dir>/<Camera>/<Camera>_YYYY-MM-DD_HH-MM-SS.mp4. It is a player.Sink:
// attach it with Session.AddSink and detach it with Session.RemoveSink,
// which finishes the file cleanly. Limits are measured on the wallclock.
// After a reconnection the recording goes on in a new segment.
type Recorder struct {
	// Dir is the recordings folder. Required.
	Dir string
	// Camera names the camera in folder and file names. Required.
	Camera string
	// Segment is the length after which the recording moves to a new
	// file, at the next keyframe. Zero means one file.
	Segment time.Duration
	// Duration stops the recording after this long. Zero means no limit.
	Duration time.Duration
	// OnSegment is called when a file is complete (closed and synced),
	// with its path and duration.
	OnSegment func(path string, duration time.Duration)
	// OnError is called once per failure (a write error, a full disk):
	// the file so far is closed and stays playable; recording stops.
	OnError func(err error)
	// OnLimit is called when Duration is reached and the file is closed.
	OnLimit func()

	mu     sync.Mutex
	status Status

	// Owned by the sink goroutine.
	st        *stream
	seg       *segment
	started   time.Time // arrival of the first recorded frame: limits count from here
	stopped   bool      // the limit was reached or recording failed
	bytesDone int64     // bytes of finished segments
}

// Status is a recording's progress.
type Status struct {
	Recording bool          // a file is open
	Path      string        // the current (or last) file
	Elapsed   time.Duration // wallclock since the recording started
	Bytes     int64         // written to all segments
	Segments  int           // files completed
	Err       error         // why recording stopped, if it failed
}

// Status returns the recording's progress; safe from any goroutine.
func (r *Recorder) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}
