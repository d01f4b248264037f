//go:build !nodecode

package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// firstFrame connects once and waits for the first decoded frame at the
// stream's full size, then for each of more (at most 3 s). The session is
// closed when it returns.
func firstFrame(ctx context.Context, sess *player.Session, timeout time.Duration, more ...<-chan struct{}) (*decode.Frame, *player.StateChange, time.Duration, error) {
	dec := &decode.Decoder{Slot: decode.NewFrameSlot()}
	sess.Once = true
	var live *player.StateChange
	liveCh := make(chan player.StateChange, 4)
	sess.OnState = func(c player.StateChange) {
		if c.State == player.StateLive {
			select {
			case liveCh <- c:
			default:
			}
		}
	}
	sess.AddSink(dec, 0)
	start := time.Now()
	if err := sess.Start(); err != nil {
		return nil, nil, 0, err
	}
	defer sess.Close()

	// The first connection may take the whole timeout; the first frame may
	// need a GOP more.
	deadline := time.NewTimer(timeout + 5*time.Second)
	defer deadline.Stop()
	for {
		select {
		case c := <-liveCh:
			live = &c
		case <-dec.Slot.Ready():
			if f := dec.Slot.Take(); f != nil {
				took := time.Since(start)
				// A bound on what the caller wants to see after the frame.
				after := time.NewTimer(3 * time.Second)
				defer after.Stop()
				for _, m := range more {
					select {
					case <-m:
					case <-after.C:
					case <-ctx.Done():
					}
				}
				return f, live, took, nil
			}
		case <-sess.Done():
			err := sess.Wait()
			if err == nil {
				err = errors.New("the camera ended the stream before a frame")
			}
			return nil, live, 0, err
		case <-deadline.C:
			return nil, live, 0, fmt.Errorf("%s: no video frame within %v", sess.Name, timeout+5*time.Second)
		case <-ctx.Done():
			return nil, live, 0, ctx.Err()
		}
	}
}
