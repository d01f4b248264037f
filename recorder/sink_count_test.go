package recorder

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/camdeck/camdeck/player"
)

// countingSink is a Recorder as a session sees it, counting the video
// units the recorder has finished handling, so that a test waits for
// frames rather than for time to pass.
type countingSink struct {
	*Recorder
	video   atomic.Int64
	handled chan struct{} // a token after each unit
}

// OnUnit implements player.Sink.
func (c *countingSink) OnUnit(u *player.Unit) {
	c.Recorder.OnUnit(u)
	if u.Track != nil && u.Track.Codec.IsVideo() {
		c.video.Add(1)
	}
	select {
	case c.handled <- struct{}{}:
	default:
	}
}

// waitVideo waits until the recorder has handled n video units.
func (fx *fixture) waitVideo(t *testing.T, n int64, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for fx.sink.video.Load() < n {
		select {
		case <-fx.sink.handled:
		case <-deadline:
			t.Fatalf("the recorder handled %d video frames of %d within %v (status %+v, session %+v)",
				fx.sink.video.Load(), n, within, fx.rec.Status(), fx.sess.Stats())
		}
	}
}
