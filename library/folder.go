package library

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// Folder is the part of the index under one recordings folder, whose files
// are Root/<camera>/*.mp4. One index keeps the rows of every folder camdeck
// records to (each camera's folder in the window, record --out), and a
// camera is known by its folder's name, so two folders may each hold a
// camera of the same name: the timeline, playback and export of one folder
// must not show the other's.
type Folder struct {
	ix   *Index
	root string
}

// Folder is the index's view of the recordings under root.
func (ix *Index) Folder(root string) Folder {
	return Folder{ix: ix, root: filepath.Clean(root)}
}

// Segments implements Source: the camera's segments under the folder.
func (f Folder) Segments(ctx context.Context, camera string, from, to time.Time) ([]Segment, error) {
	segs, err := f.ix.Segments(ctx, camera, from, to)
	if err != nil {
		return nil, err
	}
	out := segs[:0]
	for _, s := range segs {
		if underRoot(s.Path, f.root) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Spans implements Source: the recorded stretches of the camera under the
// folder, joined and clipped as the index's Spans.
func (f Folder) Spans(ctx context.Context, camera string, from, to time.Time) ([]Span, error) {
	segs, err := f.Segments(ctx, camera, from, to)
	if err != nil {
		return nil, err
	}
	var out []Span
	fr, t := from.UnixNano(), to.UnixNano()
	var cur [2]int64
	have := false
	for _, s := range segs {
		st, en := s.Start.UnixNano(), s.End().UnixNano()
		if en <= fr {
			continue // Segments also lists a segment that ends at from
		}
		if have && st <= cur[1]+int64(spanJoin) {
			cur[1] = max(cur[1], en)
			continue
		}
		if have {
			out = append(out, clip(cur, fr, t))
		}
		cur, have = [2]int64{st, en}, true
	}
	if have {
		out = append(out, clip(cur, fr, t))
	}
	return out, nil
}

// Cameras lists the cameras that have segments under the folder.
func (f Folder) Cameras(ctx context.Context) ([]string, error) {
	rows, err := f.ix.db.QueryContext(ctx, "SELECT DISTINCT camera, path FROM segments ORDER BY camera")
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c, p string
		if err := rows.Scan(&c, &p); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		if underRoot(p, f.root) && (len(out) == 0 || out[len(out)-1] != c) {
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return out, nil
}

// OpenSegment implements Source.
func (f Folder) OpenSegment(ctx context.Context, s Segment) (SegmentFile, error) {
	return f.ix.OpenSegment(ctx, s)
}

var _ Source = Folder{}
