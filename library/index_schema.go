package library

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema from version i to i+1; PRAGMA user_version
// holds how many have run. Append, never edit: an index written by an
// older camdeck is upgraded in place, and one from a newer camdeck (a
// higher version) is rebuilt from the files.
var migrations = []string{
	// 1: segments and motion events.
	`CREATE TABLE segments (
		id       INTEGER PRIMARY KEY,
		camera   TEXT    NOT NULL, -- the camera's folder name
		path     TEXT    NOT NULL UNIQUE,
		start_ns INTEGER NOT NULL, -- wallclock of the first frame, Unix ns
		end_ns   INTEGER NOT NULL,
		bytes    INTEGER NOT NULL,
		mtime_ns INTEGER NOT NULL, -- of the file when it was read: a change means read again
		codecs   TEXT    NOT NULL,
		frames   INTEGER NOT NULL,
		complete INTEGER NOT NULL  -- 1 when the recorder finished the file
	);
	CREATE INDEX segments_camera_start ON segments (camera, start_ns);
	CREATE TABLE events (
		id        INTEGER PRIMARY KEY,
		camera    TEXT    NOT NULL,
		start_ns  INTEGER NOT NULL,
		end_ns    INTEGER NOT NULL,
		score     REAL    NOT NULL,
		box_x     REAL    NOT NULL, -- the box, as fractions of the picture
		box_y     REAL    NOT NULL,
		box_w     REAL    NOT NULL,
		box_h     REAL    NOT NULL,
		thumbnail TEXT    NOT NULL  -- a JPEG's path, or empty
	);
	CREATE INDEX events_camera_start ON events (camera, start_ns);`,
	// 2: an event's file next to the recordings, from which a rebuilt
	// index gets it back (SaveEvent, Rescan).
	`ALTER TABLE events ADD COLUMN file TEXT NOT NULL DEFAULT ''; -- the event's .json, or empty
	CREATE UNIQUE INDEX events_file ON events (file) WHERE file != '';`,
}

// errNewerSchema is an index written by a newer camdeck.
var errNewerSchema = fmt.Errorf("library: the index was written by a newer camdeck")

// migrate runs the migrations the database has not had yet.
func migrate(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("library: reading the schema version: %w", err)
	}
	if v > len(migrations) {
		return errNewerSchema
	}
	for ; v < len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("library: migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("library: migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("library: migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("library: migration %d: %w", v+1, err)
		}
	}
	return nil
}
