package cli

import (
	"context"
	"fmt"
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
	var rf retentionFlags
	rf.register(fs)
	dry := fs.Bool("dry-run", false, "list what would be deleted, delete nothing")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ix, err := lf.open(ctx)
	if err != nil {
		return err
	}
	defer ix.Close()
	pol, err := rf.policy(ctx, ix)
	if err != nil {
		return err
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
