//go:build !nodecode

package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/camdeck/camdeck/recorder"
)

func init() {
	commands["snapshot"] = command{
		usage: "[-o FILE.jpg] [--transport tcp|udp|multicast|auto] URL",
		help:  "save the first whole frame of a camera, at full resolution, as a JPEG",
		run:   runSnapshot,
	}
}

func runSnapshot(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "snapshot")
	var cf connectFlags
	cf.register(fs)
	out := fs.String("o", "", "output file (default: NAME_DATE_TIME.jpg in the current folder)")
	quality := fs.Int("quality", recorder.SnapshotQuality, "JPEG quality, 1-100")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *quality < 1 || *quality > 100 {
		fs.Usage()
		return errUsage
	}
	sess, err := cf.session(pos[0], "")
	if err != nil {
		return err
	}
	frame, _, _, err := firstFrame(ctx, sess, cf.timeout)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = recorder.SnapshotPath(".", cameraName(pos[0]), time.Now())
	}
	if err := recorder.WriteJPEG(path, frame.Image, *quality); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, path)
	return nil
}
