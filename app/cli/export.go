package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/recorder"
)

func init() {
	commands["export"] = command{
		usage: "(--camera NAME [--dir DIR] [--profiles FILE] | --playback URL --path P) --from TIME --to TIME -o OUT.mp4",
		help:  "cut a time range out of the recordings into one MP4 (remuxed, starting exactly at --from)",
		run:   runExport,
	}
}

// exportQuiet is how long an export runs before it reports progress:
// short ones print only the result.
const exportQuiet = 2 * time.Second

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export")
	var lf libraryFlags
	lf.register(fs)
	camera := fs.String("camera", "", "the camera (required): its profile's playback server or folder, else its name in the index")
	fromS := fs.String("from", "", "start of the range (required)")
	toS := fs.String("to", "", "end of the range (required)")
	out := fs.String("o", "", "the MP4 file to write (required)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if (*camera == "" && lf.playback == "") || *fromS == "" || *toS == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	from, to, err := timeRange(*fromS, *toS)
	if err != nil {
		return err
	}
	src, ix, err := lf.source(ctx, env, camera)
	if err != nil {
		return err
	}
	name := recorder.SafeName(*camera)
	if ix == nil {
		*camera = cmp.Or(*camera, lf.path)
	} else {
		defer ix.Close()
	}

	var mu sync.Mutex
	var last time.Duration
	progress := func(p library.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Elapsed < exportQuiet || (p.Elapsed-last < time.Second && p.Done < p.Total) {
			return
		}
		last = p.Elapsed
		rate := float64(p.Done) / p.Elapsed.Seconds() / 1e6
		fmt.Fprintf(env.Stderr, "export: %.1f of %.1f MB (%.0f%%), %.1f MB/s\n",
			float64(p.Done)/1e6, float64(p.Total)/1e6, 100*float64(p.Done)/float64(max(p.Total, 1)), rate)
	}
	res, err := library.Export(ctx, src, name, from, to, *out, progress)
	if errors.Is(err, library.ErrNothingRecorded) {
		return fmt.Errorf("%s: nothing recorded between %s and %s", *camera, from.Format(time.DateTime), to.Format(time.DateTime))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", *camera, err)
	}
	fmt.Fprintf(env.Stdout, "%s: %s to %s (%s, %d frames from %d segments, %.1f MB)\n", *out,
		res.From.Local().Format(time.DateTime), res.To.Local().Format(time.DateTime),
		res.To.Sub(res.From).Round(time.Millisecond), res.Frames, res.Segments, float64(res.Bytes)/1e6)
	return nil
}
