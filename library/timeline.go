package library

import (
	"context"
	"fmt"
	"time"
)

// spanJoin is the largest hole between two segments that still counts
// as one span: the recorder starts the next file on the keyframe that
// ends the last, so consecutive segments touch; a reconnection leaves a
// hole of seconds.
const spanJoin = time.Second

// Span is a stretch of time: recorded, or a gap.
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is the span's length.
func (s Span) Duration() time.Duration { return s.End.Sub(s.Start) }

// Spans returns the recorded stretches of a camera within [from, to),
// clipped to it, from the index's rows (never a folder scan).
func (ix *Index) Spans(ctx context.Context, camera string, from, to time.Time) ([]Span, error) {
	rows, err := ix.db.QueryContext(ctx, `SELECT start_ns, end_ns FROM segments
		WHERE camera = ? AND start_ns < ? AND end_ns > ? ORDER BY start_ns`,
		camera, to.UnixNano(), from.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	var out []Span
	f, t := from.UnixNano(), to.UnixNano()
	var cur [2]int64
	have := false
	for rows.Next() {
		var s, e int64
		if err := rows.Scan(&s, &e); err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		if have && s <= cur[1]+int64(spanJoin) {
			cur[1] = max(cur[1], e)
			continue
		}
		if have {
			out = append(out, clip(cur, f, t))
		}
		cur, have = [2]int64{s, e}, true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	if have {
		out = append(out, clip(cur, f, t))
	}
	return out, nil
}

func clip(s [2]int64, from, to int64) Span {
	return Span{Start: time.Unix(0, max(s[0], from)), End: time.Unix(0, min(s[1], to))}
}

// Gaps returns the parts of [from, to) that spans (sorted, as Spans
// returns them) leave out.
func Gaps(spans []Span, from, to time.Time) []Span {
	var out []Span
	at := from
	for _, s := range spans {
		if s.Start.After(at) {
			out = append(out, Span{Start: at, End: s.Start})
		}
		if s.End.After(at) {
			at = s.End
		}
	}
	if to.After(at) {
		out = append(out, Span{Start: at, End: to})
	}
	return out
}
