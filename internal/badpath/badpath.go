// Package badpath gives tests the recordings folders and camera names that
// cannot be created, each with the end of the error the system gives: the
// recorder's tests and `camdeck record`'s run the same cases. It imports
// nothing of camdeck, so the recorder's own tests can use it.
package badpath

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Case is one folder and camera name that a recording cannot be created
// under.
type Case struct {
	Name   string // the subtest's name
	Camera string
	Want   string                    // how the error ends
	Dir    func(t testing.TB) string // makes the recordings folder
}

// Cases are a recordings folder that is a file, and a camera name too
// long for a file name.
var Cases = []Case{
	{"folder is a file", "cam", "not a directory", func(t testing.TB) string {
		p := filepath.Join(t.TempDir(), "not-a-dir")
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}},
	{"name too long", strings.Repeat("c", 250), "file name too long", func(t testing.TB) string {
		return t.TempDir()
	}},
}
