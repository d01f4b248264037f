package gui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// indexTimeout bounds one index update or query: past the index's own
// busy timeout (5 s, another camdeck writing), so a stuck database costs
// a log line, never a recording.
const indexTimeout = 10 * time.Second

// recordingsLibrary is the window's recordings index (one database for
// every camera's folder) and the retention it runs over them. It is safe
// for use from any goroutine.
type recordingsLibrary struct {
	ix *library.Index

	mu  sync.Mutex
	ret *library.Retention
	pol library.Policy // the policy ret runs
}

// openRecordingsLibrary opens the index at dbPath (library.DefaultPath
// when empty).
func openRecordingsLibrary(dbPath string) (*recordingsLibrary, error) {
	if dbPath == "" {
		p, err := library.DefaultPath()
		if err != nil {
			return nil, err
		}
		dbPath = p
	}
	ctx, cancel := context.WithTimeout(context.Background(), indexTimeout)
	defer cancel()
	ix, err := library.Open(ctx, dbPath, absDir(camdeck.DefaultRecordDir()))
	if err != nil {
		return nil, err
	}
	return &recordingsLibrary{ix: ix}, nil
}

// absDir is dir made absolute: rows name files by absolute path.
func absDir(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return filepath.Clean(dir)
}

// roots are the cameras' recordings folders, each once.
func roots(ps []camdeck.Profile) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range ps {
		if d := absDir(p.Recordings()); !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// rescan brings the index in step with the files of every folder.
func (l *recordingsLibrary) rescan(ctx context.Context, dirs []string) error {
	for _, d := range dirs {
		rep, err := l.ix.RescanDir(ctx, d)
		if err != nil {
			return err
		}
		if rep.Added+rep.Updated+rep.Removed > 0 {
			log.Printf("gui: recordings index: %s: %d files, %d new, %d changed, %d gone",
				d, rep.Files, rep.Added, rep.Updated, rep.Removed)
		}
	}
	return nil
}

// policy is the profiles' retention: each camera's KeepDays, the file's
// limits for all cameras, free space on every camera's file system.
func policy(ps []camdeck.Profile, lim camdeck.Retention) library.Policy {
	pol := library.Policy{MaxBytes: int64(lim.MaxGB * 1e9), MinFree: int64(lim.MinFreeGB * 1e9), Dirs: roots(ps)}
	for _, p := range ps {
		if p.KeepDays > 0 {
			if pol.KeepDays == nil {
				pol.KeepDays = map[string]int{}
			}
			// Cameras in different folders with one name share the
			// longest limit: retention knows cameras by folder name.
			name := recorder.SafeName(p.Name)
			pol.KeepDays[name] = max(pol.KeepDays[name], p.KeepDays)
		}
	}
	return pol
}

// limited tells whether a policy deletes anything ever.
func limited(pol library.Policy) bool {
	return len(pol.KeepDays) > 0 || pol.MaxBytes > 0 || pol.MinFree > 0
}

// setPolicy runs retention with the profiles' limits (at once, then
// every 10 minutes and before each new segment), or stops it when they
// set none. The same limits again change nothing.
func (l *recordingsLibrary) setPolicy(ps []camdeck.Profile, lim camdeck.Retention) {
	pol := policy(ps, lim)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ret != nil && fmt.Sprint(pol) == fmt.Sprint(l.pol) {
		return
	}
	if l.ret != nil {
		l.ret.Close()
		l.ret = nil
	}
	l.pol = pol
	if limited(pol) {
		l.ret = &library.Retention{Index: l.ix, Policy: pol} // it logs each deletion with its reason
		l.ret.Start()
	}
}

// retention is the one running, or nil.
func (l *recordingsLibrary) retention() *library.Retention {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ret
}

// frees tells whether retention runs to make room after a recorder's
// error: a full disk, with limits that delete recordings.
func (l *recordingsLibrary) frees(err error) bool {
	return errors.Is(err, syscall.ENOSPC) && l.retention() != nil
}

// hook makes a recorder feed the index: a row when it opens a file, the
// file read when it is finished; retention runs before each new file and
// at once on a full disk.
func (l *recordingsLibrary) hook(c *recorderConfig) {
	c.OnSegmentOpen = func(path string, start time.Time) {
		if r := l.retention(); r != nil {
			r.Trigger()
		}
		l.update(path, func(ctx context.Context, p string) error { return l.ix.SegmentOpened(ctx, p, start) })
	}
	c.OnSegment = func(path string, _ time.Duration) {
		l.update(path, l.ix.SegmentFinished)
	}
	fail := c.OnError
	c.OnError = func(err error) {
		if r := l.retention(); r != nil {
			r.OnRecorderError(err)
		}
		if fail != nil {
			fail(err)
		}
	}
}

// update runs one index update; a failure is logged, and the next
// rescan mends the index.
func (l *recordingsLibrary) update(path string, f func(context.Context, string) error) {
	ctx, cancel := context.WithTimeout(context.Background(), indexTimeout)
	defer cancel()
	if err := f(ctx, absDir(path)); err != nil {
		log.Printf("gui: %s: %s (the next rescan fixes the index)", filepath.Base(path), oneLine(err))
	}
}

// Close stops retention and closes the index.
func (l *recordingsLibrary) Close() {
	l.mu.Lock()
	if l.ret != nil {
		l.ret.Close()
		l.ret = nil
	}
	l.mu.Unlock()
	l.ix.Close()
}

// indexRecordings is the index as the Recordings view of one camera sees
// it: the segments of the camera's folder (root/<camera>/) only.
type indexRecordings struct {
	lib  *recordingsLibrary
	root string // absolute
}

// recordingsOf is the view's source for a camera.
func (l *recordingsLibrary) recordingsOf(p camdeck.Profile) indexRecordings {
	return indexRecordings{lib: l, root: absDir(p.Recordings())}
}

// folder is the camera's folder name, as the index knows it.
func folder(camera string) string { return recorder.SafeName(camera) }

// Segments implements RecordingsSource: the camera's finished (or
// repaired) segments; a file still being written has no length yet.
func (r indexRecordings) Segments(ctx context.Context, camera string, from, to time.Time) ([]decode.Segment, error) {
	segs, err := r.local().Segments(ctx, folder(camera), from, to)
	out := make([]decode.Segment, 0, len(segs))
	for _, s := range segs {
		if s.Duration > 0 {
			out = append(out, decode.Segment{Path: s.Path, Start: s.Start, Duration: s.Duration})
		}
	}
	return out, err
}

// Rescan reads what changed in the camera's folder (files deleted or
// copied in by hand) into the index.
func (r indexRecordings) Rescan(ctx context.Context) error {
	return r.lib.rescan(ctx, []string{r.root})
}

// Export cuts [from, to) of the camera's recordings into one MP4.
func (r indexRecordings) Export(ctx context.Context, camera string, from, to time.Time, out string,
	progress func(library.Progress)) (library.ExportResult, error) {
	return library.Export(ctx, r.local(), folder(camera), from, to, out, progress)
}

// Usage is the space the camera's recordings take, the span they keep,
// and the space free on their file system.
func (r indexRecordings) Usage(ctx context.Context, camera string) (library.Usage, int64, error) {
	u, err := r.lib.ix.Usage(ctx, folder(camera), r.root)
	if err != nil {
		return u, 0, err
	}
	free, err := library.FreeSpace(r.root)
	if err != nil {
		free = -1 // the folder does not exist yet
	}
	return u, free, nil
}

func (r indexRecordings) local() library.Folder { return r.lib.ix.Folder(r.root) }
