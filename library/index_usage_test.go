package library

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/rectest"
)

// TestRescanDirUsage: one index holds two recordings folders (the
// window's cameras may record to their own); a rescan of one leaves the
// other's rows, and Usage sums a camera's segments in one folder only.
func TestRescanDirUsage(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ra := rectest.Record(t, a, "cam", t0, 20*time.Second, 10*time.Second, false)
	rb := rectest.Record(t, b, "cam", t0.Add(time.Hour), 10*time.Second, 10*time.Second, false)
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), a)
	ctx := context.Background()
	if rep, err := ix.Rescan(ctx); err != nil || rep.Added != len(ra.Files) {
		t.Fatalf("rescan of %s: %+v, %v; want %d added", a, rep, err, len(ra.Files))
	}
	if rep, err := ix.RescanDir(ctx, b); err != nil || rep.Added != len(rb.Files) || rep.Removed != 0 {
		t.Fatalf("rescan of %s: %+v, %v; want %d added, none removed", b, rep, err, len(rb.Files))
	}
	if err := os.Remove(ra.Files[0]); err != nil {
		t.Fatal(err)
	}
	if rep, err := ix.RescanDir(ctx, b); err != nil || rep.Removed != 0 {
		t.Fatalf("rescan of %s after a file of %s went: %+v, %v", b, a, rep, err)
	}
	if rep, err := ix.Rescan(ctx); err != nil || rep.Removed != 1 {
		t.Fatalf("rescan of %s after one of its files went: %+v, %v; want 1 removed", a, rep, err)
	}
	for _, c := range []struct {
		root  string
		files []string
	}{{a, ra.Files[1:]}, {b, rb.Files}} {
		u, err := ix.Usage(ctx, "cam", c.root)
		if err != nil {
			t.Fatal(err)
		}
		var bytes int64
		for _, f := range c.files {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			bytes += st.Size()
		}
		segs, err := ix.Segments(ctx, "cam", t0.Add(-time.Hour), t0.Add(3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var first, last time.Time
		for _, s := range segs {
			if filepath.Dir(filepath.Dir(s.Path)) != c.root {
				continue
			}
			if first.IsZero() {
				first = s.Start
			}
			last = s.End()
		}
		if u.Segments != len(c.files) || u.Bytes != bytes || !u.First.Equal(first) || !u.Last.Equal(last) {
			t.Errorf("usage of %s: %+v, want %d segments, %d bytes, %v to %v", c.root, u, len(c.files), bytes, first, last)
		}
	}
	if u, err := ix.Usage(ctx, "nobody", ""); err != nil || u.Segments != 0 || !u.First.IsZero() {
		t.Errorf("usage of a camera without recordings: %+v, %v", u, err)
	}
}
