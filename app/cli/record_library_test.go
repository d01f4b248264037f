package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/library"
)

// TestRecordFeedsIndex: `record` puts its segment in the index as it
// writes it, with the time of its first frame and its length, so the
// index lists it without a rescan; an index that cannot be opened costs
// one warning, not the recording.
func TestRecordFeedsIndex(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{})
	out, index := t.TempDir(), filepath.Join(t.TempDir(), "index.db")
	before := time.Now()
	stdout, stderr := runOK(t, "record", "--out", out, "--index", index, "--duration", "3s", "cam="+srv.URL())
	after := time.Now()
	file := strings.TrimSpace(stdout)

	ix, err := library.Open(context.Background(), index, out) // no Rescan
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	segs, err := ix.Segments(context.Background(), "", time.Unix(0, 0), after.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 1 {
		t.Fatalf("the index lists %d segments, want 1: %+v", len(segs), segs)
	}
	s := segs[0]
	if s.Path != file || s.Camera != "cam" || !s.Complete {
		t.Fatalf("index row %+v, want the complete file %s of camera cam", s, file)
	}
	if s.Start.Before(before.Add(-time.Second)) || s.Start.After(after) {
		t.Fatalf("segment starts %v, want between %v and %v", s.Start, before, after)
	}
	if d := s.Duration.Seconds(); d < 2.7 || d > 3.3 {
		t.Fatalf("segment lasts %.2f s in the index, want about 3", d)
	}

	// An index in a folder that cannot exist: one warning line, a recording.
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr = runOK(t, "record", "--out", out, "--index", filepath.Join(notDir, "index.db"), "--duration", "1s", "cam2="+srv.URL())
	if strings.TrimSpace(stdout) == "" {
		t.Fatalf("record with a broken index: no file: %s", stderr)
	}
	if n := strings.Count(stderr, "without an index"); n != 1 {
		t.Fatalf("%d warnings about the index, want 1:\n%s", n, stderr)
	}
}

// TestRecordRetention: record with --max-gb prunes the recordings beyond
// the limit as it starts (here every older file: the limit is a byte).
func TestRecordRetention(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{})
	out, index := t.TempDir(), filepath.Join(t.TempDir(), "index.db")
	lib := []string{"--out", out, "--index", index}
	first, _ := runOK(t, append(append([]string{"record"}, lib...), "--duration", "1s", "cam="+srv.URL())...)
	second, stderr := runOK(t, append(append([]string{"record"}, lib...), "--max-gb", "1e-9", "--duration", "1s", "cam="+srv.URL())...)
	first, second = strings.TrimSpace(first), strings.TrimSpace(second)
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Fatalf("the older file %s is still there (%v):\n%s", first, err, stderr)
	}
	if _, err := os.Stat(second); err != nil {
		t.Fatalf("the new file: %v", err)
	}
}
