package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/camdeck/camdeck/internal/atomicfile"
)

// Event is a motion event as the index keeps it.
type Event struct {
	Camera     string // the camera's folder name
	Start, End time.Time
	Score      float64 // peak share of the watched picture that changed, 0-1
	// Box is the changed area, in fractions of the picture.
	X, Y, W, H float64
	Thumbnail  string // a JPEG's path, or empty
	// File is the event's own file, next to its camera's recordings
	// (SaveEvent), or empty: an event added with AddEvent alone.
	File string `json:"-"`
}

// eventSuffix ends the name of an event's file.
const eventSuffix = ".event.json"

// SaveEvent writes an event to its own small JSON file in dir (its
// camera's recordings folder), named for the camera and its start, and
// then adds it to the index. The files are the truth: an index rebuilt
// from the files gets the event back from it (Rescan), and retention
// deletes it with the recordings it belongs to (Prune).
// Paths are kept absolute, as segments' are: retention and the window
// find them from any folder. When the file cannot be written, the event
// still goes into the index, without a file.
func (ix *Index) SaveEvent(ctx context.Context, dir string, e Event) error {
	if e.Thumbnail != "" {
		if abs, err := filepath.Abs(e.Thumbnail); err == nil {
			e.Thumbnail = abs
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	// UTC: local times repeat an hour when the clocks go back.
	e.File = filepath.Join(dir, e.Camera+"_event_"+e.Start.UTC().Format("2006-01-02_15-04-05.000Z")+eventSuffix)
	werr := atomicfile.Write(e.File, 0o644, 0o755, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(e)
	})
	if werr != nil {
		werr = fmt.Errorf("library: saving an event of %s: %w", e.Camera, werr)
		e.File = ""
	}
	return errors.Join(werr, ix.AddEvent(ctx, e))
}

// readEventFile reads a file SaveEvent wrote.
func readEventFile(path string) (Event, error) {
	var e Event
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &e)
	}
	if err == nil && (e.Camera == "" || e.Start.IsZero() || e.End.Before(e.Start)) {
		err = errors.New("not an event")
	}
	e.File = path
	return e, err
}

// AddEvent stores an event (a recorder's detector's, when it ends); an
// event with a File already indexed is left as it is.
func (ix *Index) AddEvent(ctx context.Context, e Event) error {
	return addEvent(ctx, ix.db, e)
}

func addEvent(ctx context.Context, db execer, e Event) error {
	_, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO events
		(camera, start_ns, end_ns, score, box_x, box_y, box_w, box_h, thumbnail, file)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Camera, e.Start.UnixNano(), e.End.UnixNano(), e.Score, e.X, e.Y, e.W, e.H, e.Thumbnail, e.File)
	if err != nil {
		return fmt.Errorf("library: adding an event of %s: %w", e.Camera, err)
	}
	return nil
}

// Events lists a camera's events that overlap [from, to), newest first
// (an events list's order). An empty camera lists every camera's.
func (ix *Index) Events(ctx context.Context, camera string, from, to time.Time) ([]Event, error) {
	q := `SELECT camera, start_ns, end_ns, score, box_x, box_y, box_w, box_h, thumbnail, file FROM events
		WHERE start_ns < ? AND end_ns >= ?`
	args := []any{to.UnixNano(), from.UnixNano()}
	if camera != "" {
		q += " AND camera = ?"
		args = append(args, camera)
	}
	rows, err := ix.db.QueryContext(ctx, q+" ORDER BY start_ns DESC, id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var start, end int64
		if err := rows.Scan(&e.Camera, &start, &end, &e.Score, &e.X, &e.Y, &e.W, &e.H, &e.Thumbnail, &e.File); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		e.Start, e.End = time.Unix(0, start), time.Unix(0, end)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return out, nil
}

// pruneEvents deletes the events of each camera in cams that ended before
// the camera's oldest recording left, with their thumbnails and files:
// what Prune deleted took their pictures with it. Events of cameras
// whose recordings Prune did not touch stay.
func (ix *Index) pruneEvents(ctx context.Context, cams map[string]bool) error {
	for cam := range cams {
		var oldest int64
		err := ix.db.QueryRowContext(ctx, "SELECT COALESCE(MIN(start_ns), ?) FROM segments WHERE camera = ?",
			int64(1<<62), cam).Scan(&oldest)
		if err != nil {
			return fmt.Errorf("library: prune events: %w", err)
		}
		const gone = "FROM events WHERE camera = ? AND end_ns < ?"
		rows, err := ix.db.QueryContext(ctx, "SELECT thumbnail, file "+gone, cam, oldest)
		if err != nil {
			return fmt.Errorf("library: prune events: %w", err)
		}
		var files []string
		for rows.Next() {
			var thumb, file string
			if err := rows.Scan(&thumb, &file); err != nil {
				rows.Close()
				return fmt.Errorf("library: prune events: %w", err)
			}
			files = append(files, thumb, file)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("library: prune events: %w", err)
		}
		for _, f := range files {
			if f == "" {
				continue
			}
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("library: prune events: %w", err)
			}
		}
		res, err := ix.db.ExecContext(ctx, "DELETE "+gone, cam, oldest)
		if err != nil {
			return fmt.Errorf("library: prune events: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			log.Printf("library: deleted %d motion events of %s with their pictures: their recordings are gone", n, cam)
		}
	}
	return nil
}

// isEventFile tells whether a recordings folder's file is an event's.
func isEventFile(name string) bool { return strings.HasSuffix(name, eventSuffix) }

// eventFiles lists the event files the index knows.
func (ix *Index) eventFiles(ctx context.Context) (map[string]bool, error) {
	rows, err := ix.db.QueryContext(ctx, "SELECT file FROM events WHERE file != ''")
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		have[f] = true
	}
	return have, rows.Err()
}
