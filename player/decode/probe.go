package decode

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/camdeck/camdeck/player"
)

// Stream is what Probe needs of a session; *player.Session has it, and
// the window's tests pass fakes.
type Stream interface {
	Start() error
	Close()
	Done() <-chan struct{}
	Wait() error
	State() player.StateChange
	AddSink(sink player.Sink, queueSize int) error
}

// ProbeResult is what Probe learnt of a camera.
type ProbeResult struct {
	// Frame is the first decoded picture, at the stream's full size.
	Frame *Frame
	// Live is the session's state when the frame came: transport, tracks.
	Live player.StateChange
	// FirstFrame is the time from Start to the frame.
	FirstFrame time.Duration
}

// Probe is the one connect-once test of a camera, for `camdeck probe`,
// `camdeck snapshot` and the editor's "Test connection": it starts s
// (which the caller configured to connect once), waits for its first
// decoded frame, and closes s. It waits at most timeout plus 5 s (the
// first connection may take the whole timeout, the first frame a GOP
// more), or until ctx ends. After the frame it waits for each of more to
// be closed (at most 3 s in all): other sinks the caller added that need
// a few more units (a frame-rate estimate).
func Probe(ctx context.Context, s Stream, timeout time.Duration, more ...<-chan struct{}) (*ProbeResult, error) {
	dec := &Decoder{Slot: NewFrameSlot(), Threads: 1}
	if err := s.AddSink(dec, 0); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := s.Start(); err != nil {
		return nil, err
	}
	defer s.Close()
	wait := timeout + 5*time.Second
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		select {
		case <-dec.Slot.Ready():
			if f := dec.Slot.Take(); f != nil {
				res := &ProbeResult{Frame: f, Live: s.State(), FirstFrame: time.Since(start)}
				waitMore(ctx, more)
				return res, nil
			}
		case <-s.Done():
			err := s.Wait()
			if err == nil {
				err = errors.New("the camera ended the stream before a frame")
			}
			return nil, err
		case <-deadline.C:
			return nil, fmt.Errorf("no video frame within %v", wait)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// moreWait bounds what Probe waits for after the first frame: a few
// tenths of a second of video is enough for any of its callers.
const moreWait = 3 * time.Second

func waitMore(ctx context.Context, more []<-chan struct{}) {
	if len(more) == 0 {
		return
	}
	after := time.NewTimer(moreWait)
	defer after.Stop()
	for _, m := range more {
		select {
		case <-m:
		case <-after.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
