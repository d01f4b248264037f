//go:build !nodecode

package cli

import (
	"context"
	"fmt"
	"image"
	"sync"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/player/motion"
	"github.com/camdeck/camdeck/recorder"
)

func init() {
	commands["motion"] = command{
		usage: "[--name NAME] [--duration D] [--sensitivity 1-10] [--mask x0,y0,x1,y1 ...] [--transport tcp|udp|auto] URL",
		help:  "print a camera's motion events as JSON lines, without recording (for tuning)",
		run:   runMotion,
	}
}

func runMotion(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "motion")
	var cf connectFlags
	cf.register(fs)
	var mf motionFlags
	mf.register(fs)
	name := fs.String("name", "", "the camera's name in the events (default: from the URL)")
	duration := fs.Duration("duration", 0, "stop after this long; 0 runs until Ctrl-C")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *duration < 0 {
		fs.Usage()
		return errUsage
	}
	det, err := mf.detector()
	if err != nil {
		return err
	}
	if *name == "" {
		*name = cameraName(pos[0])
	}
	sess, err := cf.session(pos[0], *name)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	det.OnEnd = func(e motion.Event) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(env.Stdout, newEventLine(*name, e, ""))
	}
	failed := make(chan error, 1)
	var lastErr string
	sess.OnState = func(s player.StateChange) {
		switch {
		case s.State == player.StateFailed:
			select {
			case failed <- s.Err:
			default:
			}
		case s.Err != nil && s.Err.Error() != lastErr:
			lastErr = s.Err.Error()
			mu.Lock()
			fmt.Fprintf(env.Stderr, "%s (retrying)\n", oneLine(s.Err))
			mu.Unlock()
		case s.State == player.StateLive:
			lastErr = ""
		}
	}
	sink, _, _ := newMotionSink(det)
	if err := sess.AddSink(sink, 0); err != nil {
		return err
	}
	if err := sess.Start(); err != nil {
		return err
	}
	var limit <-chan time.Time
	if *duration > 0 {
		t := time.NewTimer(*duration)
		defer t.Stop()
		limit = t.C
	}
	select {
	case <-ctx.Done():
	case <-limit:
	case err = <-failed:
	}
	sess.Close() // ends the sink's stream: an open event is printed
	return err
}

// newMotionSink is the sink that feeds det from a session, and how to
// take a full-size picture of its camera (a thumbnail of an event).
func newMotionSink(det *motion.Detector) (player.Sink, func(context.Context) (*image.RGBA, error), error) {
	m := &motionSink{det: det}
	m.dec.Luma = m.luma
	return m, m.dec.Snapshot, nil
}

// motionSink decodes a camera for its detector only: the decoder gives
// grey pictures and no frames for a screen. Its methods run on the sink's
// goroutine, so the detector needs no lock.
type motionSink struct {
	dec decode.Decoder
	det *motion.Detector
	// clock stamps the pictures as a recording of the stream stamps its
	// frames (the first arrival plus stream time, re-anchored on jumps),
	// so an event's times are those of the recording's prft boxes.
	clock *recorder.Clock
}

// motionClockRate is the unit of the pictures' times given to the clock.
const motionClockRate = 90000

func (m *motionSink) luma(l decode.Luma) {
	ticks := int64(l.PTS/time.Second)*motionClockRate + int64(l.PTS%time.Second)*motionClockRate/int64(time.Second) // no overflow after 28 h
	at := m.clock.Wall(m.clock.Map(ticks, l.Wallclock))
	m.det.Feed(l.Image.Pix, l.Image.Rect.Dx(), l.Image.Rect.Dy(), l.Image.Stride, at)
}

func (m *motionSink) OnStream(tracks []*player.Track) {
	m.clock = &recorder.Clock{Rate: motionClockRate}
	m.dec.OnStream(tracks)
}
func (m *motionSink) OnUnit(u *player.Unit) { m.dec.OnUnit(u) }

// OnStreamEnd ends the open event: after a reconnection the picture is
// compared with a new background.
func (m *motionSink) OnStreamEnd(err error) {
	m.dec.OnStreamEnd(err)
	m.det.Reset()
}
