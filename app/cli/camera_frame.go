//go:build !nodecode

package cli

import (
	"context"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// firstFrame connects once and waits for the first decoded frame at the
// stream's full size (decode.Probe), then for each of more (at most 3 s).
// The session is closed when it returns.
func firstFrame(ctx context.Context, sess *player.Session, timeout time.Duration, more ...<-chan struct{}) (*decode.Frame, *player.StateChange, time.Duration, error) {
	sess.Once = true
	res, err := decode.Probe(ctx, sess, timeout, more...)
	if err != nil {
		return nil, nil, 0, err
	}
	return res.Frame, &res.Live, res.FirstFrame, nil
}
