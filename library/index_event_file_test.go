package library

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// saveEvents saves events of camera a (in segments 0 and 3 of the
// retention fixture) and b, each with a thumbnail file, and returns them
// as saved.
func saveEvents(t *testing.T, ix *Index, all []Segment) []Event {
	t.Helper()
	var out []Event
	for _, e := range []struct {
		cam      string
		seg      int
		from, to time.Duration // after the segment's start
	}{{"a", 0, 500 * time.Millisecond, 1500 * time.Millisecond}, {"a", 3, 100 * time.Millisecond, 1900 * time.Millisecond}, {"b", 4, 0, time.Second}} {
		dir := filepath.Dir(all[e.seg].Path)
		thumb := filepath.Join(dir, e.cam+"_motion_"+all[e.seg].Start.Add(e.from).Format("15-04-05.000")+".jpg")
		if err := os.WriteFile(thumb, []byte("\xff\xd8 a picture"), 0o644); err != nil {
			t.Fatal(err)
		}
		ev := Event{Camera: e.cam, Start: all[e.seg].Start.Add(e.from), End: all[e.seg].Start.Add(e.to),
			Score: 0.25, X: 0.1, Y: 0.2, W: 0.3, H: 0.4, Thumbnail: thumb}
		if err := ix.SaveEvent(context.Background(), dir, ev); err != nil {
			t.Fatal(err)
		}
		evs, err := ix.Events(context.Background(), e.cam, ev.Start, ev.End.Add(time.Millisecond))
		if err != nil || len(evs) != 1 {
			t.Fatalf("%v %v", evs, err)
		}
		out = append(out, evs[0])
	}
	return out
}

// TestEventFilesOutliveTheIndex: motion events are saved next to the
// recordings, so an index made again from the files (a new, lost or
// corrupt index.db) has them back, once each, with what they were; a
// broken event file is skipped with a line, not fatal. Before, events
// lived in the index only and a new index had none.
func TestEventFilesOutliveTheIndex(t *testing.T) {
	ctx := context.Background()
	ix, all := retentionFixture(t)
	saved := saveEvents(t, ix, all)
	root := filepath.Dir(filepath.Dir(all[0].Path))
	if err := os.WriteFile(filepath.Join(root, "a", "a_event_broken"+eventSuffix), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}

	fresh := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	for round, want := range []int{3, 0} { // the second rescan adds none
		rep, err := fresh.Rescan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Events != want {
			t.Fatalf("rescan %d: %d event files added, want %d", round+1, rep.Events, want)
		}
	}
	for _, cam := range []string{"a", "b"} {
		var want []Event
		for _, e := range saved {
			if e.Camera == cam {
				want = append([]Event{e}, want...) // newest first
			}
		}
		got, err := fresh.Events(ctx, cam, t0.Add(-time.Hour), t0.Add(100*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", cam, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || g.Score != w.Score || g.X != w.X || g.H != w.H ||
				g.Thumbnail != w.Thumbnail || g.File != w.File {
				t.Errorf("%s event %d: %+v, want %+v", cam, i, g, w)
			}
		}
	}
}

// TestPruneDeletesEventsWithRecordings: retention deletes the motion
// events (their thumbnails and files) that ended before the oldest
// recording of their camera left, and no others. Before, their
// thumbnails stayed on the disk for ever.
func TestPruneDeletesEventsWithRecordings(t *testing.T) {
	ctx := context.Background()
	ix, all := retentionFixture(t)
	saved := saveEvents(t, ix, all)
	var total int64
	for _, s := range all {
		total += s.Bytes
	}
	// Segments 0 and 1 of a go: the event in 0 goes, the one in 3 stays.
	if _, err := ix.Prune(ctx, Policy{MaxBytes: total - all[0].Bytes - all[1].Bytes}, false); err != nil {
		t.Fatal(err)
	}
	gone := func(e Event) bool {
		evs, err := ix.Events(ctx, e.Camera, e.Start, e.End.Add(time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		_, terr := os.Stat(e.Thumbnail)
		_, ferr := os.Stat(e.File)
		if (len(evs) == 0) != errors.Is(terr, fs.ErrNotExist) || (len(evs) == 0) != errors.Is(ferr, fs.ErrNotExist) {
			t.Errorf("%s at %v: %d rows, thumbnail %v, file %v", e.Camera, e.Start, len(evs), terr, ferr)
		}
		return len(evs) == 0
	}
	for i, want := range []bool{true, false, false} {
		if gone(saved[i]) != want {
			t.Errorf("after the first prune, event %d deleted: %v, want %v", i, !want, want)
		}
	}
	// Every recording of a goes: its last event goes too; b's stays.
	pol := Policy{KeepDays: map[string]int{"a": 2}, Now: func() time.Time { return t0.Add(74 * time.Hour) }}
	if _, err := ix.Prune(ctx, pol, false); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		if gone(saved[i]) != want {
			t.Errorf("after the second prune, event %d deleted: %v, want %v", i, !want, want)
		}
	}
}

// TestSaveEventRelativePaths: an event saved with a relative thumbnail
// and folder (`record --out rec`) is kept with absolute paths, so
// retention run from another folder deletes its thumbnail. Before, the
// relative path was kept and the JPEG stayed.
func TestSaveEventRelativePaths(t *testing.T) {
	ctx := context.Background()
	ix, all := retentionFixture(t)
	camDir := filepath.Dir(all[0].Path)
	t.Chdir(filepath.Dir(camDir))
	thumb := filepath.Join("a", "a_motion.jpg")
	if err := os.WriteFile(thumb, []byte("\xff\xd8"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := Event{Camera: "a", Start: all[0].Start.Add(time.Second), End: all[0].Start.Add(1500 * time.Millisecond), Thumbnail: thumb}
	if err := ix.SaveEvent(ctx, "a", e); err != nil {
		t.Fatal(err)
	}
	evs, err := ix.Events(ctx, "a", e.Start, e.End)
	if err != nil || len(evs) != 1 || !filepath.IsAbs(evs[0].Thumbnail) || !filepath.IsAbs(evs[0].File) {
		t.Fatalf("%+v %v: want one event with absolute paths", evs, err)
	}
	t.Chdir(t.TempDir())
	pol := Policy{KeepDays: map[string]int{"a": 2}, Now: func() time.Time { return t0.Add(74 * time.Hour) }}
	if _, err := ix.Prune(ctx, pol, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(camDir, "a_motion.jpg")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the thumbnail outlived its recordings: %v", err)
	}
}

// TestSaveEventUnwritable: an event whose file cannot be written still
// reaches the index, and the error says so. Before, it was lost.
func TestSaveEventUnwritable(t *testing.T) {
	ctx := context.Background()
	ix, all := retentionFixture(t)
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e := Event{Camera: "a", Start: all[0].Start, End: all[0].Start.Add(time.Second)}
	if err := ix.SaveEvent(ctx, filepath.Join(notDir, "a"), e); err == nil {
		t.Fatal("no error for a folder that cannot be made")
	}
	if evs, err := ix.Events(ctx, "a", e.Start, e.End); err != nil || len(evs) != 1 || evs[0].File != "" {
		t.Fatalf("%+v %v: want the event in the index, without a file", evs, err)
	}
}
