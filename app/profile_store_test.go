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
