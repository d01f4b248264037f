package gui

import (
	"errors"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

// recorderSink is what a tile needs of a recorder: a sink that reports its
// progress. *recorder.Recorder is one; tests use fakes.
type recorderSink interface {
	player.Sink
	Status() recorder.Status
}

// recorderConfig is a recorder.Recorder's settings.
type recorderConfig struct {
	Dir, Camera       string
	Segment, Duration time.Duration
	OnLimit           func()
	OnError           func(error)
}

// newRecorder makes the recorder of one recording.
func newRecorder(c recorderConfig) recorderSink {
	r := &recorder.Recorder{
		Dir: c.Dir, Camera: c.Camera, Segment: c.Segment, Duration: c.Duration,
		OnLimit: c.OnLimit, OnError: c.OnError,
	}
	if s, ok := any(r).(recorderSink); ok {
		return s
	}
	return &noRecorder{onError: c.OnError}
}

// noRecorder stands in while recorder.Recorder is not yet a player.Sink:
// it fails at once and says so.
type noRecorder struct {
	onError func(error)
	err     error
}

var errNoRecorder = errors.New("recording is not available in this build")

func (n *noRecorder) OnStream([]*player.Track) {
	if n.err == nil {
		n.err = errNoRecorder
		n.onError(n.err)
	}
}
func (n *noRecorder) OnUnit(*player.Unit)     {}
func (n *noRecorder) OnStreamEnd(error)       {}
func (n *noRecorder) Status() recorder.Status { return recorder.Status{Err: errNoRecorder} }
