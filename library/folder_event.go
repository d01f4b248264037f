package library

import (
	"cmp"
	"context"
	"path/filepath"
	"time"
)

// Events lists the camera's events under the folder that overlap
// [from, to), newest first. An event is the folder's when its own file
// (SaveEvent) or else its thumbnail is a file of the folder's camera
// (Root/<camera>/), or, without one (or with a relative one: record --out
// names a folder relative to where it ran), when it overlaps a segment of
// the folder's camera (the video it happened in). An event of a camera of the
// same name in another folder is left out.
func (f Folder) Events(ctx context.Context, camera string, from, to time.Time) ([]Event, error) {
	evs, err := f.ix.Events(ctx, camera, from, to)
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	// The segments of the events' whole stretch, asked once, from a day
	// before it: a file still being written has no end yet.
	segs, err := f.Segments(ctx, camera, evs[len(evs)-1].Start.AddDate(0, 0, -1), evs[0].End.Add(time.Nanosecond))
	if err != nil {
		return nil, err
	}
	out := evs[:0]
	for _, e := range evs {
		// The event's own file (SaveEvent), else its thumbnail, says where.
		if named := cmp.Or(e.File, e.Thumbnail); filepath.IsAbs(named) {
			if underRoot(named, f.root) {
				out = append(out, e)
			}
			continue
		}
		// No thumbnail, or one relative to a command's folder unknown here.
		for _, s := range segs {
			open := s.Duration == 0 && !s.Start.After(e.Start)
			if open || !s.Start.After(e.Start) && s.End().After(e.Start) || s.Start.After(e.Start) && s.Start.Before(e.End) {
				out = append(out, e)
				break
			}
		}
	}
	return out, nil
}
