package library

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestEvents stores events in a real SQLite file, reads them back by
// camera and time range, newest first, and finds them again after the
// index is closed and opened.
func TestEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "index.db")
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ix, err := Open(ctx, dbPath, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{
		{Camera: "front", Start: at(10), End: at(15), Score: 0.04, X: 0.1, Y: 0.2, W: 0.3, H: 0.4, Thumbnail: "/r/front/a.jpg"},
		{Camera: "back", Start: at(12), End: at(13), Score: 0.01},
		{Camera: "front", Start: at(100), End: at(130), Score: 0.2},
	} {
		if err := ix.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	ix.Close()
	if ix, err = Open(ctx, dbPath, dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	for _, c := range []struct {
		camera   string
		from, to int
		want     []time.Time
	}{
		{"front", 0, 200, []time.Time{at(100), at(10)}},
		{"", 0, 200, []time.Time{at(100), at(12), at(10)}},
		{"front", 14, 101, []time.Time{at(100), at(10)}}, // overlaps
		{"front", 16, 100, nil},                          // between
		{"back", 0, 12, nil},                             // to is not included
	} {
		evs, err := ix.Events(ctx, c.camera, at(c.from), at(c.to))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(c.want) {
			t.Fatalf("%q %d-%d: %d events, want %d", c.camera, c.from, c.to, len(evs), len(c.want))
		}
		for i, e := range evs {
			if !e.Start.Equal(c.want[i]) {
				t.Errorf("%q %d-%d: event %d starts %v, want %v", c.camera, c.from, c.to, i, e.Start, c.want[i])
			}
		}
	}
	evs, _ := ix.Events(ctx, "front", at(0), at(50))
	if e := evs[0]; e.Score != 0.04 || e.X != 0.1 || e.H != 0.4 || !e.End.Equal(at(15)) || e.Thumbnail != "/r/front/a.jpg" {
		t.Fatalf("event read back as %+v", e)
	}
}
