package library

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"
)

// Usage is what a camera's recordings take: their size, and the span
// from the first recorded moment kept to the last.
type Usage struct {
	Segments    int
	Bytes       int64
	First, Last time.Time // zero without segments
}

// Usage sums a camera's segments (by folder name) from the index's rows;
// with root, only those under root/<camera>/.
func (ix *Index) Usage(ctx context.Context, camera, root string) (Usage, error) {
	q := "SELECT COUNT(*), COALESCE(SUM(bytes), 0), MIN(start_ns), MAX(end_ns) FROM segments WHERE camera = ?"
	args := []any{camera}
	if root != "" {
		dir := filepath.Join(filepath.Clean(root), camera) + string(filepath.Separator)
		q += " AND substr(path, 1, ?) = ?"
		args = append(args, len(dir), dir)
	}
	var u Usage
	var first, last sql.NullInt64
	if err := ix.db.QueryRowContext(ctx, q, args...).Scan(&u.Segments, &u.Bytes, &first, &last); err != nil {
		return u, fmt.Errorf("library: %w", err)
	}
	if first.Valid {
		u.First, u.Last = time.Unix(0, first.Int64), time.Unix(0, last.Int64)
	}
	return u, nil
}
