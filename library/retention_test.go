package library

import (
	"github.com/camdeck/camdeck/internal/rectest"

	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// limitedFolder is a recordings folder on a file system of capacity
// bytes: its free space is what the files in it leave.
func limitedFolder(capacity *int64) func(string) (int64, error) {
	return func(dir string) (int64, error) {
		var used int64
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if info, err := d.Info(); err == nil && !d.IsDir() {
				used += info.Size()
			}
			return nil
		})
		return *capacity - used, err
	}
}

// retentionFixture records two cameras: "a" four segments at t0, "b" two
// segments three days later.
func retentionFixture(t *testing.T) (*Index, []Segment) {
	t.Helper()
	root := t.TempDir()
	rectest.Record(t, root, "a", t0, 8*time.Second, 2*time.Second, false)
	rectest.Record(t, root, "b", t0.Add(72*time.Hour), 4*time.Second, 2*time.Second, false)
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	if _, err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, err := ix.Segments(context.Background(), "", t0.Add(-time.Hour), t0.Add(100*time.Hour))
	if err != nil || len(all) != 6 {
		t.Fatalf("%d segments, %v", len(all), err)
	}
	return ix, all
}

func paths(ds []Deletion) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Path)
	}
	return out
}

func checkDeleted(t *testing.T, ix *Index, all []Segment, dels []Deletion, want ...int) {
	t.Helper()
	if len(dels) != len(want) {
		t.Fatalf("deleted %v, want segments %v", paths(dels), want)
	}
	gone := map[string]bool{}
	for i, w := range want {
		if dels[i].Path != all[w].Path {
			t.Errorf("deletion %d is %s, want %s (oldest first)", i, dels[i].Path, all[w].Path)
		}
		gone[all[w].Path] = true
	}
	left, err := ix.Segments(context.Background(), "", t0.Add(-time.Hour), t0.Add(100*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != len(all)-len(want) {
		t.Errorf("%d rows left, want %d", len(left), len(all)-len(want))
	}
	for _, s := range all {
		_, err := os.Stat(s.Path)
		if gone[s.Path] != errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: deleted %v, on disk: %v", filepath.Base(s.Path), gone[s.Path], err)
		}
	}
}

func TestPruneKeepDays(t *testing.T) {
	ix, all := retentionFixture(t)
	pol := Policy{KeepDays: map[string]int{"a": 2, "b": 2}, Now: func() time.Time { return t0.Add(74 * time.Hour) }}
	dry, err := ix.Prune(context.Background(), pol, true)
	if err != nil || len(dry) != 4 {
		t.Fatalf("dry run: %v, %v", paths(dry), err)
	}
	checkDeleted(t, ix, all, nil) // a dry run deletes nothing
	dels, err := ix.Prune(context.Background(), pol, false)
	if err != nil {
		t.Fatal(err)
	}
	checkDeleted(t, ix, all, dels, 0, 1, 2, 3)
	if dels[0].Reason != "older than 2 days" {
		t.Errorf("reason %q", dels[0].Reason)
	}
}

func TestPruneMaxBytes(t *testing.T) {
	ix, all := retentionFixture(t)
	var total int64
	for _, s := range all {
		total += s.Bytes
	}
	// The oldest file is being written: it stays, the next two go.
	if err := ix.SegmentOpened(context.Background(), all[0].Path, all[0].Start); err != nil {
		t.Fatal(err)
	}
	pol := Policy{MaxBytes: total - all[1].Bytes - 1}
	dels, err := ix.Prune(context.Background(), pol, false)
	if err != nil {
		t.Fatal(err)
	}
	checkDeleted(t, ix, all, dels, 1, 2)
	if want := fmt.Sprintf("recordings over %s", gb(pol.MaxBytes)); dels[0].Reason != want {
		t.Errorf("reason %q, want %q", dels[0].Reason, want)
	}
}

func TestPruneMinFree(t *testing.T) {
	ix, all := retentionFixture(t)
	var total int64
	for _, s := range all {
		total += s.Bytes
	}
	// A file system just big enough for all but the first 1.5 segments.
	capacity := total + all[0].Bytes/2
	pol := Policy{MinFree: all[0].Bytes + all[1].Bytes, Free: limitedFolder(&capacity)}
	dels, err := ix.Prune(context.Background(), pol, false)
	if err != nil {
		t.Fatal(err)
	}
	checkDeleted(t, ix, all, dels, 0, 1)
	if free, _ := pol.Free(ix.Root); free < pol.MinFree {
		t.Errorf("%d bytes free after pruning, want at least %d", free, pol.MinFree)
	}
}

func TestRetentionOnFullDisk(t *testing.T) {
	ix, all := retentionFixture(t)
	capacity := int64(1 << 40)
	runs := make(chan []Deletion, 10)
	r := &Retention{Index: ix, Every: time.Hour, OnPrune: func(d []Deletion, err error) {
		if err != nil {
			t.Error(err)
		}
		runs <- d
	}}
	r.Policy = Policy{MinFree: 1, Free: limitedFolder(&capacity)}
	r.Start()
	defer r.Close()
	wait := func() []Deletion {
		select {
		case d := <-runs:
			return d
		case <-time.After(30 * time.Second):
			t.Fatal("retention did not run")
			return nil
		}
	}
	if d := wait(); len(d) != 0 {
		t.Fatalf("the first run deleted %v with space to spare", paths(d))
	}
	// The disk fills up: the recorder's write fails with ENOSPC.
	capacity = 0
	for _, s := range all {
		capacity += s.Bytes
	}
	r.OnRecorderError(fmt.Errorf("recorder: a: writing x.mp4: %w", &os.PathError{Op: "write", Path: "x.mp4", Err: syscall.ENOSPC}))
	checkDeleted(t, ix, all, wait(), 0)
}
