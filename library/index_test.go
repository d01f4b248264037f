package library

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/rectest"
)

// t0 is when the test recordings start: a fixed wallclock, far from now,
// so that nothing in the test depends on the time it runs.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func openIndex(t *testing.T, dbPath, root string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), dbPath, root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestIndexFromRecordedFiles(t *testing.T) {
	root := t.TempDir()
	rec := rectest.Record(t, root, "front door", t0, 25*time.Second, 10*time.Second, true)
	if len(rec.Files) != 3 {
		t.Fatalf("recorded %d segments, want 3: %v", len(rec.Files), rec.Files)
	}
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	ctx := context.Background()
	rep, err := ix.Rescan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 || rep.Files != 3 || rep.Removed != 0 {
		t.Fatalf("rescan %+v, want 3 files added", rep)
	}
	segs, err := ix.Segments(ctx, "front_door", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 3 {
		t.Fatalf("%d segments indexed, want 3", len(segs))
	}
	var total time.Duration
	for i, s := range segs {
		if s.Path != rec.Files[i] {
			t.Errorf("segment %d is %s, want %s", i, s.Path, rec.Files[i])
		}
		// ffprobe judges duration and frame count.
		r, stderr, err := fftest.Probe(t, time.Minute, "-count_frames", "-select_streams", "v", "-show_streams", "-show_format", s.Path)
		if err != nil {
			t.Fatalf("ffprobe: %v\n%s", err, stderr)
		}
		if n := r.Streams[0].NbReadFrames; n != strconv.Itoa(s.Frames) {
			t.Errorf("%s: index says %d frames, ffprobe %s", filepath.Base(s.Path), s.Frames, n)
		}
		if d := fftest.Seconds(r.Streams[0].Duration); abs(d-s.Duration.Seconds()) > 0.041 {
			t.Errorf("%s: index says %v, ffprobe %.3f s", filepath.Base(s.Path), s.Duration, d)
		}
		st, _ := os.Stat(s.Path)
		if s.Bytes != st.Size() || !s.Complete || s.Codecs != "avc1,mp4a" || s.Camera != "front_door" {
			t.Errorf("segment %+v", s)
		}
		total += s.Duration
	}
	// The wallclock comes from the prft boxes: the first frame arrived at t0.
	if d := segs[0].Start.Sub(t0); d < -time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("first segment starts at %v, %v from when its first frame arrived", segs[0].Start, d)
	}
	for i := 1; i < len(segs); i++ {
		if d := segs[i].Start.Sub(segs[i-1].End()); d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("segment %d starts %v after the end of the one before", i, d)
		}
	}
	spans, err := ix.Spans(ctx, "front_door", t0.Add(-time.Minute), t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 1 || !spans[0].Start.Equal(segs[0].Start) || !spans[0].End.Equal(segs[2].End()) {
		t.Fatalf("spans %v, want one from %v to %v", spans, segs[0].Start, segs[2].End())
	}
	gaps := Gaps(spans, t0.Add(-time.Minute), t0.Add(time.Minute))
	if len(gaps) != 2 || !gaps[0].End.Equal(spans[0].Start) || !gaps[1].Start.Equal(spans[0].End) {
		t.Fatalf("gaps %v", gaps)
	}
	if total < 24*time.Second || total > 26*time.Second {
		t.Errorf("%v recorded in all, want about 25 s", total)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestIndexRebuildAndRescan(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	rec := rectest.Record(t, root, "yard", t0, 16*time.Second, 4*time.Second, false)
	if len(rec.Files) != 4 {
		t.Fatalf("recorded %d segments, want 4", len(rec.Files))
	}
	dbPath := filepath.Join(t.TempDir(), "camdeck", "index.db")
	ix := openIndex(t, dbPath, root)
	if _, err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := ix.Segments(ctx, "yard", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(want) != 4 {
		t.Fatalf("%d segments, %v", len(want), err)
	}
	ix.Close()

	check := func(t *testing.T, ix *Index, want []Segment) {
		t.Helper()
		got, err := ix.Segments(ctx, "yard", t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d segments, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Path != want[i].Path || !got[i].Start.Equal(want[i].Start) || got[i].Duration != want[i].Duration ||
				got[i].Frames != want[i].Frames || got[i].Bytes != want[i].Bytes {
				t.Errorf("segment %d: %+v, want %+v", i, got[i], want[i])
			}
		}
	}

	t.Run("deleted index", func(t *testing.T) {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dbPath + suffix)
		}
		ix := openIndex(t, dbPath, root)
		rep, err := ix.Rescan(ctx)
		if err != nil || rep.Added != 4 {
			t.Fatalf("rescan %+v, %v", rep, err)
		}
		check(t, ix, want)
		ix.Close()
	})

	t.Run("corrupt index", func(t *testing.T) {
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(dbPath + suffix)
		}
		junk := make([]byte, 8192)
		copy(junk, "SQLite format 3\x00")
		for i := 16; i < len(junk); i++ {
			junk[i] = byte(i * 7)
		}
		if err := os.WriteFile(dbPath, junk, 0o644); err != nil {
			t.Fatal(err)
		}
		ix := openIndex(t, dbPath, root)
		if _, err := os.Stat(dbPath + ".bad"); err != nil {
			t.Errorf("the damaged index was not kept aside: %v", err)
		}
		rep, err := ix.Rescan(ctx)
		if err != nil || rep.Added != 4 {
			t.Fatalf("rescan %+v, %v", rep, err)
		}
		check(t, ix, want)
		ix.Close()
	})

	t.Run("files deleted and added by hand", func(t *testing.T) {
		ix := openIndex(t, dbPath, root)
		if err := os.Remove(want[1].Path); err != nil {
			t.Fatal(err)
		}
		// A recording of an hour later, copied in by hand under another name.
		other := rectest.Record(t, t.TempDir(), "yard", t0.Add(time.Hour), 4*time.Second, 0, false)
		b, err := os.ReadFile(other.Files[0])
		if err != nil {
			t.Fatal(err)
		}
		added := filepath.Join(root, "yard", "copied from the phone.mp4")
		if err := os.WriteFile(added, b, 0o644); err != nil {
			t.Fatal(err)
		}
		// Not a recording: skipped, and the rest still indexed.
		if err := os.WriteFile(filepath.Join(root, "yard", "notes.mp4"), []byte("not a video"), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := ix.Rescan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 1 || rep.Removed != 1 || rep.Skipped != 1 || rep.Files != 5 {
			t.Fatalf("rescan %+v, want 1 added, 1 removed, 1 skipped of 5 files", rep)
		}
		got, err := ix.Segments(ctx, "yard", t0.Add(-time.Hour), t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[3].Path != added {
			t.Fatalf("segments %+v", got)
		}
		// Its time is the one inside the file, not the file's name.
		if d := got[3].Start.Sub(t0.Add(time.Hour)); d < 0 || d > 100*time.Millisecond {
			t.Errorf("the added file starts at %v", got[3].Start)
		}
		spans, err := ix.Spans(ctx, "yard", t0, t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(spans) != 3 {
			t.Fatalf("spans %v: want the recording split by the deleted file, and the added one", spans)
		}
		if !spans[0].End.Equal(want[0].End()) || !spans[1].Start.Equal(want[2].Start) {
			t.Errorf("the gap is %v to %v, want %v to %v", spans[0].End, spans[1].Start, want[0].End(), want[2].Start)
		}
		// A second rescan finds nothing new.
		if rep, err := ix.Rescan(ctx); err != nil || rep.Added+rep.Updated+rep.Removed != 0 {
			t.Fatalf("second rescan %+v, %v", rep, err)
		}
	})
}

func TestIndexFollowsRecorder(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	rec := rectest.Record(t, root, "cam", t0, 5*time.Second, 0, false)
	p := rec.Files[0]
	// As the recorder's OnSegmentOpen would: a row before the file has parts.
	if err := ix.SegmentOpened(ctx, p, t0); err != nil {
		t.Fatal(err)
	}
	got, err := ix.Segments(ctx, "cam", t0.Add(-time.Minute), t0.Add(time.Minute))
	if err != nil || len(got) != 1 || got[0].Complete || !got[0].Start.Equal(t0) || got[0].Frames != 0 {
		t.Fatalf("after open: %+v, %v", got, err)
	}
	if !ix.isOpen(p) {
		t.Fatal("the open file is not marked open")
	}
	if err := ix.SegmentFinished(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err = ix.Segments(ctx, "cam", t0.Add(-time.Minute), t0.Add(time.Minute))
	if err != nil || len(got) != 1 || !got[0].Complete || got[0].Frames < 100 || got[0].Duration < 4*time.Second {
		t.Fatalf("after finish: %+v, %v", got, err)
	}
	if ix.isOpen(p) {
		t.Fatal("the finished file is still marked open")
	}
}

// TestRescanKeepsOtherRoots: two recordings folders share one index (the
// default one); rescanning one folder leaves the other's rows alone.
func TestRescanKeepsOtherRoots(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "index.db")
	a, b := t.TempDir(), t.TempDir()
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.Local)
	rectest.Record(t, a, "cam", t0, 2*time.Second, 0, false)
	rectest.Record(t, b, "cam", t0.Add(time.Hour), 2*time.Second, 0, false)
	for i, root := range []string{a, b, a} {
		ix := openIndex(t, dbPath, root)
		if _, err := ix.Rescan(ctx); err != nil {
			t.Fatal(err)
		}
		segs, err := ix.Segments(ctx, "", t0.Add(-time.Hour), t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if want := min(i+1, 2); len(segs) != want {
			t.Fatalf("after rescanning %s the index lists %d segments, want %d: %+v", root, len(segs), want, segs)
		}
	}

	// Each folder's view has its own camera "cam" only.
	ix := openIndex(t, dbPath, a)
	for root, start := range map[string]time.Time{a: t0, b: t0.Add(time.Hour)} {
		f := ix.Folder(root)
		segs, err := f.Segments(ctx, "cam", t0.Add(-time.Hour), t0.Add(2*time.Hour))
		if err != nil || len(segs) != 1 || !segs[0].Start.Equal(start) {
			t.Errorf("%s: segments %+v, %v; want the one at %v", root, segs, err, start)
		}
		spans, err := f.Spans(ctx, "cam", t0.Add(-time.Hour), t0.Add(2*time.Hour))
		if err != nil || len(spans) != 1 || !spans[0].Start.Equal(start) || spans[0].Duration() != segs[0].Duration {
			t.Errorf("%s: spans %+v, %v; want one of %v at %v", root, spans, err, segs[0].Duration, start)
		}
		if cams, err := f.Cameras(ctx); err != nil || len(cams) != 1 || cams[0] != "cam" {
			t.Errorf("%s: cameras %q, %v", root, cams, err)
		}
	}
	if cams, err := ix.Folder(t.TempDir()).Cameras(ctx); err != nil || len(cams) != 0 {
		t.Errorf("an empty folder has cameras %q, %v", cams, err)
	}
}
