package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Policy is how much of the recordings to keep. Zero fields set no limit.
type Policy struct {
	// KeepDays keeps each camera's (by folder name) recordings this many
	// days; older segments go.
	KeepDays map[string]int
	// MaxBytes bounds the recordings of all cameras together.
	MaxBytes int64
	// MinFree is the space to leave free on the recordings' file system.
	MinFree int64
	// Dirs are the recordings folders whose file systems MinFree is kept
	// on. It defaults to the Index's Root.
	Dirs []string
	// Now is the clock. It defaults to time.Now.
	Now func() time.Time
	// Free reports the bytes free for the recordings folder. It defaults
	// to statfs(2).
	Free func(dir string) (int64, error)
}

// Deletion is a segment retention removed (or, in a dry run, would
// remove), with the rule that chose it.
type Deletion struct {
	Segment
	Reason string
}

// FreeSpace is statfs(2) of dir: the bytes an unprivileged writer may
// still use on its file system.
func FreeSpace(dir string) (int64, error) { return freeSpace(dir) }

// freeSpace is statfs(2): the bytes an unprivileged writer may still use.
func freeSpace(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// Prune applies a policy: oldest segments first, never a file a
// recorder is writing. Every deletion is logged with its reason. With
// dryRun nothing is deleted and the list says what would be.
func (ix *Index) Prune(ctx context.Context, pol Policy, dryRun bool) ([]Deletion, error) {
	now := time.Now
	if pol.Now != nil {
		now = pol.Now
	}
	free := freeSpace
	if pol.Free != nil {
		free = pol.Free
	}
	all, err := ix.Segments(ctx, "", time.Unix(0, 0), time.Unix(1<<62/int64(time.Second), 0))
	if err != nil {
		return nil, err
	}
	var keep []Segment // candidates still on disk, oldest first
	var total int64
	for _, s := range all {
		if !ix.isOpen(s.Path) {
			total += s.Bytes
			keep = append(keep, s)
		} else if st, err := os.Stat(s.Path); err == nil {
			total += st.Size() // still growing: the row does not know its size yet
		}
	}
	var out []Deletion
	pruned := map[string]bool{} // cameras that lost recordings
	remove := func(s Segment, reason string) error {
		if !dryRun {
			if err := os.Remove(s.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("library: prune: %w", err)
			}
			if _, err := ix.db.ExecContext(ctx, "DELETE FROM segments WHERE path = ?", s.Path); err != nil {
				return fmt.Errorf("library: prune: %w", err)
			}
			log.Printf("library: deleted %s/%s (%d bytes): %s", s.Camera, filepath.Base(s.Path), s.Bytes, reason)
			pruned[s.Camera] = true
		}
		out = append(out, Deletion{Segment: s, Reason: reason})
		total -= s.Bytes
		return nil
	}

	// Days, per camera.
	rest := keep[:0:0]
	for _, s := range keep {
		if d := pol.KeepDays[s.Camera]; d > 0 && s.End().Before(now().Add(-time.Duration(d)*24*time.Hour)) {
			if err := remove(s, fmt.Sprintf("older than %d days", d)); err != nil {
				return out, err
			}
			continue
		}
		rest = append(rest, s)
	}
	keep = rest

	// Total size, all cameras: oldest first.
	for pol.MaxBytes > 0 && total > pol.MaxBytes && len(keep) > 0 {
		if err := remove(keep[0], fmt.Sprintf("recordings over %s", gb(pol.MaxBytes))); err != nil {
			return out, err
		}
		keep = keep[1:]
	}

	// Free space, on each folder's file system: the oldest segments on
	// that file system go first.
	dirs := pol.Dirs
	if len(dirs) == 0 {
		dirs = []string{ix.Root}
	}
	for _, dir := range dirs {
		if pol.MinFree <= 0 || len(keep) == 0 {
			break
		}
		avail, err := free(dir)
		if err != nil {
			return out, fmt.Errorf("library: prune: free space: %w", err)
		}
		rest := keep[:0:0]
		for i, s := range keep {
			if avail >= pol.MinFree {
				rest = append(rest, keep[i:]...)
				break
			}
			if !sameFS(dir, s.Path) {
				rest = append(rest, s)
				continue
			}
			if err := remove(s, fmt.Sprintf("less than %s free", gb(pol.MinFree))); err != nil {
				return out, err
			}
			if dryRun {
				avail += s.Bytes
			} else if avail, err = free(dir); err != nil {
				return out, fmt.Errorf("library: prune: free space: %w", err)
			}
		}
		keep = rest
	}
	return out, ix.pruneEvents(ctx, pruned)
}

// sameFS tells whether file p is on dir's file system; when either
// cannot be read it says yes, as Prune did with one folder.
func sameFS(dir, p string) bool {
	var a, b syscall.Stat_t
	if syscall.Stat(dir, &a) != nil || syscall.Stat(p, &b) != nil {
		return true
	}
	return a.Dev == b.Dev
}

// gb formats a size limit in GB for the log.
func gb(n int64) string {
	return fmt.Sprintf("%.4g GB", float64(n)/1e9)
}
