// Package library is what was recorded: an index of the recordings (a
// SQLite cache of the files, which stay the truth), timeline queries,
// export of a time range to one MP4, retention, and sources of
// recordings (local folders, a MediaMTX playback server).
//
// The index uses modernc.org/sqlite, a pure-Go SQLite: the library, and
// the headless `camdeck record` that feeds it, build with CGO_ENABLED=0.
package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Index is the recordings index: one row per segment file, kept in
// step with the files by SegmentOpened, SegmentFinished and Rescan. It
// is safe for concurrent use.
type Index struct {
	// Root is the recordings folder: files are Root/<camera>/*.mp4.
	Root string

	db   *sql.DB
	path string

	mu   sync.Mutex
	open map[string]bool // segments being written: retention never deletes them
}

// DefaultPath is where the index lives: $XDG_DATA_HOME/camdeck/index.db,
// by default ~/.local/share/camdeck/index.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("library: no data folder: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "camdeck", "index.db"), nil
}

// Open opens the index at dbPath for the recordings under root, creating
// or upgrading it. An index that is corrupt or from a newer camdeck is
// moved aside (dbPath + ".bad") and started afresh; either way, call
// Rescan to bring it in step with the files.
func Open(ctx context.Context, dbPath, root string) (*Index, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	ix, err := open(ctx, dbPath)
	if err != nil {
		// The index is a cache: a damaged one is replaced, never mended.
		if rerr := os.Rename(dbPath, dbPath+".bad"); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return nil, fmt.Errorf("library: %w (and moving it aside: %v)", err, rerr)
		}
		os.Remove(dbPath + "-wal")
		os.Remove(dbPath + "-shm")
		if ix, err = open(ctx, dbPath); err != nil {
			return nil, err
		}
	}
	ix.Root = root
	return ix, nil
}

func open(ctx context.Context, dbPath string) (*Index, error) {
	// WAL lets the window read the timeline while a recorder writes; the
	// busy timeout covers two camdeck processes sharing one index.
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("library: opening %s: %w", dbPath, err)
	}
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		db.Close()
		if err == nil {
			err = errors.New(check)
		}
		return nil, fmt.Errorf("library: the index %s is damaged: %w", dbPath, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return &Index{db: db, path: dbPath, open: map[string]bool{}}, nil
}

// Path is the index's database file.
func (ix *Index) Path() string { return ix.path }

// Close closes the database.
func (ix *Index) Close() error {
	if err := ix.db.Close(); err != nil {
		return fmt.Errorf("library: %w", err)
	}
	return nil
}

// isOpen tells whether a recorder is writing the file.
func (ix *Index) isOpen(p string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.open[p]
}
