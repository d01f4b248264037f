package gui

import (
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

// recorderSink is what a tile needs of a recorder: a sink that reports its
// progress, closed after it is removed from its session (which finishes
// the file) to stop its timers. *recorder.Recorder is one; tests use fakes.
type recorderSink interface {
	player.Sink
	Status() recorder.Status
	Close()
}

// recorderConfig is a recorder.Recorder's settings.
type recorderConfig struct {
	Dir, Camera       string
	Segment, Duration time.Duration
	OnLimit           func()
	OnError           func(error)
	// OnSegmentOpen and OnSegment keep the recordings index up to date.
	OnSegmentOpen func(path string, start time.Time)
	OnSegment     func(path string, d time.Duration)
}

// newRecorder makes the recorder of one recording.
func newRecorder(c recorderConfig) recorderSink {
	return &recorder.Recorder{
		Dir: c.Dir, Camera: c.Camera, Segment: c.Segment, Duration: c.Duration,
		OnLimit: c.OnLimit, OnError: c.OnError, OnSegmentOpen: c.OnSegmentOpen, OnSegment: c.OnSegment,
	}
}
