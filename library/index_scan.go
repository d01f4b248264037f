package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// ScanReport is what a rescan changed.
type ScanReport struct {
	Files   int // segment files found
	Added   int // files the index did not know (new, or added by hand)
	Updated int // known files that changed since they were read
	Removed int // rows whose file is gone (deleted by hand)
	Skipped int // files that are not readable recordings
	Events  int // event files (SaveEvent) the index did not know
}

// Rescan brings the index in step with the files under Root: files it
// does not know or that changed (size, modification time) are read
// again, rows whose file is gone are dropped. It reads boxes, never
// decodes.
func (ix *Index) Rescan(ctx context.Context) (ScanReport, error) {
	return ix.RescanDir(ctx, ix.Root)
}

// RescanDir is Rescan of another recordings folder (root/<camera>/*.mp4)
// sharing the index: the window's cameras may each record to their own.
// Rows of other folders are left alone.
func (ix *Index) RescanDir(ctx context.Context, root string) (ScanReport, error) {
	var rep ScanReport
	root = filepath.Clean(root)
	type known struct{ bytes, mtime int64 }
	rows, err := ix.db.QueryContext(ctx, "SELECT path, bytes, mtime_ns FROM segments")
	if err != nil {
		return rep, fmt.Errorf("library: %w", err)
	}
	have := map[string]known{}
	for rows.Next() {
		var p string
		var k known
		if err := rows.Scan(&p, &k.bytes, &k.mtime); err != nil {
			rows.Close()
			return rep, fmt.Errorf("library: %w", err)
		}
		have[p] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("library: %w", err)
	}

	events, err := ix.eventFiles(ctx)
	if err != nil {
		return rep, err
	}

	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("library: %w", err)
	}
	defer tx.Rollback()
	seen := map[string]bool{}
	cams, err := os.ReadDir(root)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("library: %w", err)
	}
	for _, cam := range cams {
		if !cam.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(root, cam.Name()))
		if err != nil {
			return rep, fmt.Errorf("library: %w", err)
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			p := filepath.Join(root, cam.Name(), f.Name())
			if !f.IsDir() && isEventFile(f.Name()) && !events[p] {
				e, err := readEventFile(p)
				if err != nil {
					log.Printf("library: rescan: %s: skipped: %v", cam.Name(), err)
					continue
				}
				if err := addEvent(ctx, tx, e); err != nil {
					return rep, err
				}
				rep.Events++
				continue
			}
			if f.IsDir() || !strings.HasSuffix(strings.ToLower(f.Name()), ".mp4") {
				continue
			}
			info, err := f.Info()
			if err != nil {
				continue // deleted while scanning
			}
			rep.Files++
			seen[p] = true
			k, ok := have[p]
			if ok && k.bytes == info.Size() && k.mtime == info.ModTime().UnixNano() {
				continue
			}
			s, mtime, err := probe(p)
			if err != nil {
				rep.Skipped++
				log.Printf("library: rescan: %s: skipped: %v", cam.Name(), err)
				continue
			}
			if err := upsert(ctx, tx, s, mtime); err != nil {
				return rep, err
			}
			if ok {
				rep.Updated++
			} else {
				rep.Added++
			}
		}
	}
	for p := range have {
		if seen[p] || ix.isOpen(p) || !underRoot(p, root) {
			continue // another recordings folder's rows are its own Rescan's
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE path = ?", p); err != nil {
			return rep, fmt.Errorf("library: %w", err)
		}
		rep.Removed++
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("library: %w", err)
	}
	return rep, nil
}

// underRoot tells whether a row's file is under root/<camera>/, where
// a rescan of root looks.
func underRoot(p, root string) bool {
	return filepath.Dir(filepath.Dir(p)) == filepath.Clean(root)
}

// Rebuild forgets every segment and reads all files again.
func (ix *Index) Rebuild(ctx context.Context) (ScanReport, error) {
	if _, err := ix.db.ExecContext(ctx, "DELETE FROM segments"); err != nil {
		return ScanReport{}, fmt.Errorf("library: %w", err)
	}
	return ix.Rescan(ctx)
}
