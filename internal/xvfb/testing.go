package xvfb

import (
	"fmt"
	"image"
	"os/exec"
	"path/filepath"
	"testing"
)

// Start starts a w x h server for a test and stops it when the test ends.
// A missing Xvfb or ImageMagick fails the test: make deps installs them.
func Start(t testing.TB, w, h int) *Server {
	t.Helper()
	if _, err := exec.LookPath("import"); err != nil {
		t.Fatalf("ImageMagick's import is not installed (make deps installs it): %v", err)
	}
	s := &Server{Width: w, Height: h}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Shot grabs the screen into dir/shot-name.png and fails the test if it
// cannot.
func (s *Server) Shot(t testing.TB, dir, name string) image.Image {
	t.Helper()
	img, err := s.Screenshot(filepath.Join(dir, fmt.Sprintf("shot-%s.png", name)))
	if err != nil {
		t.Fatal(err)
	}
	return img
}
