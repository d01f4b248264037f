package library

import (
	"context"
	"fmt"
	"time"
)

// Event is a motion event as the index keeps it.
type Event struct {
	Camera     string // the camera's folder name
	Start, End time.Time
	Score      float64 // peak share of the watched picture that changed, 0-1
	// Box is the changed area, in fractions of the picture.
	X, Y, W, H float64
	Thumbnail  string // a JPEG's path, or empty
}

// AddEvent stores an event (a recorder's detector's, when it ends).
// Unlike segments, events are not in the files: a Rebuild loses them.
func (ix *Index) AddEvent(ctx context.Context, e Event) error {
	_, err := ix.db.ExecContext(ctx, `INSERT INTO events
		(camera, start_ns, end_ns, score, box_x, box_y, box_w, box_h, thumbnail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Camera, e.Start.UnixNano(), e.End.UnixNano(), e.Score, e.X, e.Y, e.W, e.H, e.Thumbnail)
	if err != nil {
		return fmt.Errorf("library: adding an event of %s: %w", e.Camera, err)
	}
	return nil
}

// Events lists a camera's events that overlap [from, to), newest first
// (an events list's order). An empty camera lists every camera's.
func (ix *Index) Events(ctx context.Context, camera string, from, to time.Time) ([]Event, error) {
	q := `SELECT camera, start_ns, end_ns, score, box_x, box_y, box_w, box_h, thumbnail FROM events
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
		if err := rows.Scan(&e.Camera, &start, &end, &e.Score, &e.X, &e.Y, &e.W, &e.H, &e.Thumbnail); err != nil {
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
