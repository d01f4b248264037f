package app

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStoreBrokenFilesGetUniqueNames: two broken files loaded in the same
// second are both kept.
func TestStoreBrokenFilesGetUniqueNames(t *testing.T) {
	defer func(f func() time.Time) { timeNow = f }(timeNow)
	fixed := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	timeNow = func() time.Time { return fixed }
	s := &Store{Path: filepath.Join(t.TempDir(), FileName)}
	var asides []string
	for i := range 3 {
		content := fmt.Sprintf("{broken %d", i)
		os.WriteFile(s.Path, []byte(content), 0o600)
		_, err := s.Load()
		var be *BrokenError
		if !errors.As(err, &be) {
			t.Fatalf("load %d: %v", i, err)
		}
		asides = append(asides, be.Aside)
	}
	for i, a := range asides {
		if b, err := os.ReadFile(a); err != nil || string(b) != fmt.Sprintf("{broken %d", i) {
			t.Fatalf("broken file %d (%s): %q, %v", i, a, b, err)
		}
	}
}

func TestStoreLimits(t *testing.T) {
	dir := t.TempDir()
	t.Run("over 4 MiB", func(t *testing.T) {
		s := &Store{Path: filepath.Join(dir, "big", FileName)}
		os.MkdirAll(filepath.Dir(s.Path), 0o700)
		big := append([]byte(`{"version": 1, "cameras": [], "x": "`), bytes.Repeat([]byte("a"), MaxFileSize)...)
		os.WriteFile(s.Path, append(big, `"}`...), 0o600)
		ps, err := s.Load()
		var be *BrokenError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "larger than the 4 MiB") || len(ps) != 1 {
			t.Fatalf("got %v, %v", ps, err)
		}
		if fi, err := os.Stat(be.Aside); err != nil || fi.Size() != int64(len(big)+2) {
			t.Fatalf("not set aside whole: %v", err)
		}
	})
	t.Run("text after the JSON", func(t *testing.T) {
		s := &Store{Path: filepath.Join(dir, "trail", FileName)}
		os.MkdirAll(filepath.Dir(s.Path), 0o700)
		os.WriteFile(s.Path, []byte(`{"version": 1, "cameras": []} {"version": 1}`), 0o600)
		if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "text after the JSON") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("mode 0644 becomes 0600", func(t *testing.T) {
		var logged []string
		s := &Store{Path: filepath.Join(dir, "mode", FileName), Logf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }}
		if err := s.Save(sample()); err != nil {
			t.Fatal(err)
		}
		os.Chmod(s.Path, 0o644)
		if _, err := s.Load(); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(s.Path)
		if fi.Mode().Perm() != 0o600 || len(logged) != 1 || !strings.Contains(logged[0], "0644") {
			t.Fatalf("mode %v, log %q", fi.Mode().Perm(), logged)
		}
	})
}

// TestStoreRetention: the limits for all cameras survive a load and a
// save of the profiles (the window saves after every edit), and a file
// without them has none.
func TestStoreRetention(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(`{"version": 2, "cameras": [{"name": "a", "url": "demo"}],
		"retention": {"max_gb": 1.5, "min_free_gb": 10}}`), 0o600)
	s := &Store{Path: path}
	ps, err := s.Load()
	if err != nil || len(ps) != 1 {
		t.Fatalf("load: %v, %v", ps, err)
	}
	want := Retention{MaxGB: 1.5, MinFreeGB: 10}
	if s.Retention != want {
		t.Fatalf("retention %+v, want %+v", s.Retention, want)
	}
	if err := s.Save(append(ps, DemoProfile())); err != nil {
		t.Fatal(err)
	}
	s2 := &Store{Path: path}
	if ps, err := s2.Load(); err != nil || len(ps) != 2 || s2.Retention != want {
		t.Fatalf("after a save: %d profiles, retention %+v, %v", len(ps), s2.Retention, err)
	}
	s3 := &Store{Path: filepath.Join(t.TempDir(), FileName)}
	if err := s3.Save(ps); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(s3.Path); strings.Contains(string(b), "retention") {
		t.Fatalf("a file without limits has %q", b)
	}
}
