package library

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestFolderEvents: a folder lists the events of its own camera only,
// newest first: by the thumbnail's folder, or without a thumbnail (or
// with a relative one) by the segment the event happened in; the same
// camera's name in another folder, and a folder without its recordings,
// show none of them.
func TestFolderEvents(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	ix, err := Open(ctx, filepath.Join(dir, "index.db"), a)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	// A file being written in each folder: in a from 0 s, in b from 500 s.
	if err := ix.SegmentOpened(ctx, filepath.Join(a, "front", "front_1.mp4"), at(0)); err != nil {
		t.Fatal(err)
	}
	if err := ix.SegmentOpened(ctx, filepath.Join(b, "front", "front_2.mp4"), at(500)); err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{
		{Camera: "front", Start: at(10), End: at(12), Thumbnail: filepath.Join(a, "front", "front_motion_1.jpg")},
		{Camera: "front", Start: at(20), End: at(22), Thumbnail: filepath.Join(b, "front", "front_motion_2.jpg")},
		{Camera: "front", Start: at(30), End: at(31)},                                                                 // in a's file
		{Camera: "front", Start: at(35), End: at(36), Thumbnail: filepath.Join("rec", "front", "front_motion_3.jpg")}, // relative: in a's file
		{Camera: "front", Start: at(600), End: at(601)},                                                               // in b's file (and after a's start: a's file is open, too)
		{Camera: "back", Start: at(40), End: at(41)},                                                                  // another camera
	} {
		if err := ix.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		root string
		want []int
	}{
		{a, []int{600, 35, 30, 10}},
		{b, []int{600, 20}},
	} {
		evs, err := ix.Folder(c.root).Events(ctx, "front", at(0), at(1000))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(c.want) {
			t.Fatalf("%s: %d events %+v, want starts %v", c.root, len(evs), evs, c.want)
		}
		for i, e := range evs {
			if !e.Start.Equal(at(c.want[i])) {
				t.Errorf("%s: event %d starts %v, want %v", c.root, i, e.Start, at(c.want[i]))
			}
		}
	}
	// Nothing recorded under the folder: no events.
	if evs, err := ix.Folder(filepath.Join(dir, "c")).Events(ctx, "front", at(0), at(1000)); err != nil || len(evs) != 0 {
		t.Fatalf("an empty folder lists %d events (%v)", len(evs), err)
	}
}
