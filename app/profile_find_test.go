package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreFind: Find looks a camera up by name, the exact name first,
// else the same letters in any case, and changes nothing: without a file
// it creates none (Load would write the demo camera).
func TestStoreFind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "camdeck", FileName)
	s := &Store{Path: path}
	if _, err := s.Find("Yard"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("without a file: %v, want ErrNoProfile", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Find created the file: %v", err)
	}
	ps := []Profile{
		{Name: "yard", URL: "rtsp://host/a", Transport: "tcp"},
		{Name: "Yard", URL: "rtsp://host/b", Transport: "tcp", Password: "pw"},
		{Name: "Porch", URL: "rtsp://host/c", Transport: "tcp"},
	}
	if err := s.Save(ps); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, c := range []struct{ name, url string }{{"Yard", "rtsp://host/b"}, {"yard", "rtsp://host/a"}, {"PORCH", "rtsp://host/c"}} {
		p, err := s.Find(c.name)
		if err != nil || p.URL != c.url {
			t.Errorf("Find(%q) = %q, %v; want %s", c.name, p.URL, err, c.url)
		}
	}
	if p, _ := s.Find("Yard"); p.Password != "pw" {
		t.Errorf("the password in the file: %q", p.Password)
	}
	_, err := s.Find("Gate")
	if !errors.Is(err, ErrNoProfile) || !strings.Contains(err.Error(), `"Porch"`) || !strings.Contains(err.Error(), `"Gate"`) {
		t.Errorf("Find(Gate): %v, want ErrNoProfile naming the cameras there", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("Find changed the file")
	}
}
