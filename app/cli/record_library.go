package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/player/motion"
	"github.com/camdeck/camdeck/recorder"
)

// indexTimeout bounds one index update: past the index's own busy
// timeout (5 s, another camdeck writing), so a stuck database costs a
// warning, never the recording.
const indexTimeout = 10 * time.Second

// retentionFlags are the limits of prune and record.
type retentionFlags struct {
	days           int
	maxGB, minFree float64
}

func (r *retentionFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&r.days, "keep-days", 0, "delete recordings older than N days (every camera); 0 keeps them")
	fs.Float64Var(&r.maxGB, "max-gb", 0, "keep all cameras' recordings under N GB; 0 sets no limit")
	fs.Float64Var(&r.minFree, "min-free-gb", 0, "keep N GB free on the recordings' file system; 0 sets no limit")
}

// set tells whether any limit was given.
func (r *retentionFlags) set() bool { return r.days > 0 || r.maxGB > 0 || r.minFree > 0 }

// policy is the limits as a Policy; --keep-days applies to the index's
// cameras and to extra (folder names).
func (r *retentionFlags) policy(ctx context.Context, ix *library.Index, extra ...string) (library.Policy, error) {
	pol := library.Policy{MaxBytes: int64(r.maxGB * 1e9), MinFree: int64(r.minFree * 1e9)}
	if r.days <= 0 {
		return pol, nil
	}
	cams, err := ix.Cameras(ctx)
	if err != nil {
		return pol, err
	}
	pol.KeepDays = map[string]int{}
	for _, c := range append(cams, extra...) {
		pol.KeepDays[c] = r.days
	}
	return pol, nil
}

// recordLibrary is the index a record command keeps up to date as it
// writes, and the retention it runs; the zero value (no index) does
// nothing.
type recordLibrary struct {
	ix   *library.Index
	ret  *library.Retention
	warn func(format string, a ...any)
}

// openRecordLibrary opens the index for the recordings under root. An
// index that cannot be opened is one warning: recording goes on.
func openRecordLibrary(ctx context.Context, dbPath, root string, rf retentionFlags, cams []string,
	warn func(format string, a ...any)) *recordLibrary {
	l := &recordLibrary{warn: warn}
	if dbPath == "" {
		p, err := library.DefaultPath()
		if err != nil {
			warn("%s; recording without an index\n", oneLine(err))
			return l
		}
		dbPath = p
	}
	root, err := filepath.Abs(root)
	if err == nil {
		var ix *library.Index
		if ix, err = library.Open(ctx, dbPath, root); err == nil {
			l.ix = ix
		}
	}
	if err != nil {
		warn("%s; recording without an index\n", oneLine(err))
		return l
	}
	if !rf.set() {
		return l
	}
	pol, err := rf.policy(ctx, l.ix, cams...)
	if err != nil {
		warn("%s; recording without retention\n", oneLine(err))
		return l
	}
	l.ret = &library.Retention{Index: l.ix, Policy: pol} // it logs what it deletes
	l.ret.Start()
	return l
}

// hooks wires a recorder's callbacks to the index, before the command's
// own.
func (l *recordLibrary) hooks(rec *recorder.Recorder) {
	open, done, fail := rec.OnSegmentOpen, rec.OnSegment, rec.OnError
	rec.OnSegmentOpen = func(path string, start time.Time) {
		if l.ix != nil {
			l.update(l.ix.SegmentOpened, path, start)
		}
		if l.ret != nil {
			l.ret.Trigger()
		}
		if open != nil {
			open(path, start)
		}
	}
	rec.OnSegment = func(path string, d time.Duration) {
		if l.ix != nil {
			l.update(func(ctx context.Context, p string, _ time.Time) error { return l.ix.SegmentFinished(ctx, p) },
				path, time.Time{})
		}
		if done != nil {
			done(path, d)
		}
	}
	rec.OnError = func(err error) {
		if l.ret != nil {
			l.ret.OnRecorderError(err)
		}
		if fail != nil {
			fail(err)
		}
	}
}

// update runs one index update on its own bounded context: the last
// files are finished after Ctrl-C cancelled the command's. Rows name
// files by absolute path, as Rescan of the absolute root does.
func (l *recordLibrary) update(f func(context.Context, string, time.Time) error, path string, t time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), indexTimeout)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err == nil {
		err = f(ctx, abs, t)
	}
	if err != nil {
		l.warn("%s: %s (the next rescan fixes the index)\n", filepath.Base(path), oneLine(fmt.Errorf("index: %w", err)))
	}
}

// event saves a motion event next to its camera's recordings in dir and
// adds it to the index, with its thumbnail's path.
func (l *recordLibrary) event(dir, camera string, e motion.Event, thumbnail string) {
	if l.ix == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), indexTimeout)
	defer cancel()
	err := l.ix.SaveEvent(ctx, dir, library.Event{Camera: camera, Start: e.Start, End: e.End, Score: e.Score,
		X: e.Box.X, Y: e.Box.Y, W: e.Box.W, H: e.Box.H, Thumbnail: thumbnail})
	if err != nil {
		l.warn("%s\n", oneLine(err))
	}
}

// Close stops retention and closes the index.
func (l *recordLibrary) Close() {
	if l.ret != nil {
		l.ret.Close()
	}
	if l.ix != nil {
		l.ix.Close()
	}
}
