//go:build nodecode

package cli

import (
	"context"
	"errors"
	"image"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/motion"
)

// errNoDecode is what probe and snapshot say in a build without FFmpeg
// (-tags nodecode): each needs a decoded picture.
var errNoDecode = errors.New("this camdeck was built without FFmpeg (-tags nodecode) and cannot decode video; " +
	"use a full build for probe, snapshot, motion and record --on-motion")

func init() {
	for name, usage := range map[string]string{"probe": "URL", "snapshot": "URL", "motion": "URL"} {
		commands[name] = command{
			usage: usage,
			help:  "not in this build: it needs FFmpeg to decode video",
			run:   func(context.Context, *Env, []string) error { return errNoDecode },
		}
	}
}

// newMotionSink: record --on-motion needs decoded pictures too.
func newMotionSink(*motion.Detector) (player.Sink, func(context.Context) (*image.RGBA, error), error) {
	return nil, nil, errNoDecode
}
