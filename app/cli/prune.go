package cli

import (
	"context"
	"fmt"

	"github.com/camdeck/camdeck/library"
)

func init() {
	commands["prune"] = command{
		usage: "[--dir DIR] [--keep-days N] [--max-gb N] [--min-free-gb N] [--dry-run]",
		help:  "delete the oldest recordings beyond the retention limits; --dry-run lists them",
		run:   runPrune,
	}
}

func runPrune(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "prune")
	var lf libraryFlags
	lf.register(fs)
	days := fs.Int("keep-days", 0, "delete recordings older than N days (every camera); 0 keeps them")
	maxGB := fs.Float64("max-gb", 0, "keep all cameras' recordings under N GB; 0 sets no limit")
	minFree := fs.Float64("min-free-gb", 0, "keep N GB free on the recordings' file system; 0 sets no limit")
	dry := fs.Bool("dry-run", false, "list what would be deleted, delete nothing")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ix, err := lf.open(ctx)
	if err != nil {
		return err
	}
	defer ix.Close()
	pol := library.Policy{MaxBytes: int64(*maxGB * 1e9), MinFree: int64(*minFree * 1e9)}
	if *days > 0 {
		cams, err := ix.Cameras(ctx)
		if err != nil {
			return err
		}
		pol.KeepDays = map[string]int{}
		for _, c := range cams {
			pol.KeepDays[c] = *days
		}
	}
	dels, err := ix.Prune(ctx, pol, *dry)
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	var bytes int64
	for _, d := range dels {
		bytes += d.Bytes
		fmt.Fprintf(env.Stdout, "%s %s (%s)\n", verb, d.Path, d.Reason)
	}
	fmt.Fprintf(env.Stdout, "%s %d files, %.1f MB\n", verb, len(dels), float64(bytes)/1e6)
	return err
}
