package library

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Segment is one recording file as the index knows it.
type Segment struct {
	Camera   string // the camera's folder name
	Path     string // the file; for a remote source, what OpenSegment needs
	Start    time.Time
	Duration time.Duration
	Bytes    int64
	Codecs   string // sample entries, e.g. "avc1,mp4a"
	Frames   int    // video frames
	Complete bool   // finished by the recorder (not cut short or still being written)
}

// End is when the segment's last frame ends.
func (s Segment) End() time.Time { return s.Start.Add(s.Duration) }

// smallFile is the size under which a file is read whole to index it: one
// read instead of one per part (a one-minute segment has 60 parts).
const smallFile = 4 << 20

// probe reads a segment file's boxes into a row.
func probe(p string) (Segment, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return Segment{}, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Segment{}, 0, err
	}
	var r io.ReaderAt = f
	if st.Size() <= smallFile {
		b, err := io.ReadAll(f)
		if err != nil {
			return Segment{}, 0, err
		}
		r = bytes.NewReader(b)
	}
	fi, err := readFile(r, st.Size(), false)
	if err != nil {
		return Segment{}, 0, fmt.Errorf("%s: %w", filepath.Base(p), err)
	}
	seg := Segment{
		Camera:   filepath.Base(filepath.Dir(p)),
		Path:     p,
		Start:    fi.start(),
		Duration: fi.duration(),
		Bytes:    st.Size(),
		Codecs:   fi.codecs(),
		Complete: fi.complete,
	}
	if v := fi.video(); v != nil {
		seg.Frames = v.count
	}
	return seg, st.ModTime().UnixNano(), nil
}

// execer is a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const upsertSQL = `INSERT INTO segments (camera, path, start_ns, end_ns, bytes, mtime_ns, codecs, frames, complete)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (path) DO UPDATE SET camera = excluded.camera, start_ns = excluded.start_ns,
		end_ns = excluded.end_ns, bytes = excluded.bytes, mtime_ns = excluded.mtime_ns,
		codecs = excluded.codecs, frames = excluded.frames, complete = excluded.complete`

func upsert(ctx context.Context, db execer, s Segment, mtime int64) error {
	_, err := db.ExecContext(ctx, upsertSQL, s.Camera, s.Path, s.Start.UnixNano(), s.End().UnixNano(),
		s.Bytes, mtime, s.Codecs, s.Frames, s.Complete)
	if err != nil {
		return fmt.Errorf("library: indexing %s: %w", filepath.Base(s.Path), err)
	}
	return nil
}

// SegmentOpened records that a recorder started a file (the recorder's
// OnSegmentOpen). Until SegmentFinished, retention leaves it alone.
func (ix *Index) SegmentOpened(ctx context.Context, p string, start time.Time) error {
	p = filepath.Clean(p)
	ix.mu.Lock()
	ix.open[p] = true
	ix.mu.Unlock()
	s := Segment{Camera: filepath.Base(filepath.Dir(p)), Path: p, Start: start}
	return upsert(ctx, ix.db, s, 0)
}

// SegmentFinished reads a file the recorder finished (its OnSegment) into
// the index.
func (ix *Index) SegmentFinished(ctx context.Context, p string) error {
	p = filepath.Clean(p)
	ix.mu.Lock()
	delete(ix.open, p)
	ix.mu.Unlock()
	s, mtime, err := probe(p)
	if err != nil {
		return fmt.Errorf("library: %w", err)
	}
	return upsert(ctx, ix.db, s, mtime)
}

// Segments lists a camera's segments that overlap [from, to), oldest
// first. An empty camera lists every camera's.
func (ix *Index) Segments(ctx context.Context, camera string, from, to time.Time) ([]Segment, error) {
	q := `SELECT camera, path, start_ns, end_ns, bytes, codecs, frames, complete FROM segments
		WHERE start_ns < ? AND end_ns >= ?`
	args := []any{to.UnixNano(), from.UnixNano()}
	if camera != "" {
		q += " AND camera = ?"
		args = append(args, camera)
	}
	rows, err := ix.db.QueryContext(ctx, q+" ORDER BY start_ns, path", args...)
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	var out []Segment
	for rows.Next() {
		var s Segment
		var start, end int64
		if err := rows.Scan(&s.Camera, &s.Path, &start, &end, &s.Bytes, &s.Codecs, &s.Frames, &s.Complete); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		s.Start, s.Duration = time.Unix(0, start), time.Duration(end-start)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	return out, nil
}

// Cameras lists the cameras that have segments, by folder name.
func (ix *Index) Cameras(ctx context.Context) ([]string, error) {
	rows, err := ix.db.QueryContext(ctx, "SELECT DISTINCT camera FROM segments ORDER BY camera")
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
