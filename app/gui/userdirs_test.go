package gui

import (
	"bytes"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// texts are the texts of the labels laid out under o.
func texts(o fyne.CanvasObject) []string {
	var s []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok {
			s = append(s, l.Text)
		}
	}
	return s
}

// TestFileDialogUserDirs: on a machine without XDG user dirs (no
// user-dirs.dirs, none of XDG_*_DIR set), opening the import dialog logs
// nothing, and xdg-user-dir, as Fyne runs it from camdeck, answers
// ~/Videos for VIDEOS.
func TestFileDialogUserDirs(t *testing.T) {
	if _, err := exec.LookPath("xdg-user-dir"); err != nil {
		t.Skip("xdg-user-dir is not installed: Fyne asks nothing")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	for _, d := range fileDialogDirs {
		for _, n := range []string{d.asked, d.xdg} {
			t.Setenv("XDG_"+n+"_DIR", "")
			os.Unsetenv("XDG_" + n + "_DIR")
		}
	}
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)

	h := newHarness(t, nil)
	h.win.Resize(fyne.NewSize(1000, 700))
	for _, f := range []string{"cameras.json", "notes.txt", "clip.mp4"} {
		if err := os.WriteFile(filepath.Join(home, f), []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d := h.ui.importDialog()
	h.q.drain()
	log.SetOutput(os.Stderr)
	if h.ui.modal != 1 {
		t.Fatal("no import dialog")
	}
	if s := logged.String(); s != "" {
		t.Errorf("opening the import dialog logged:\n%s", s)
	}
	lister, err := storage.ListerForURI(storage.NewFileURI(home))
	if err != nil {
		t.Fatal(err)
	}
	d.SetLocation(lister)
	names := texts(h.win.Canvas().Overlays().Top())
	// Fyne's file dialog names files without their extension.
	if !slices.Contains(names, "cameras") || slices.Contains(names, "notes") || slices.Contains(names, "clip") {
		t.Errorf("the import dialog lists %q; want cameras.json and no other file", names)
	}
	out, err := exec.Command("xdg-user-dir", "VIDEOS").Output()
	if got := strings.TrimSpace(string(out)); err != nil || got != filepath.Join(home, "Videos") {
		t.Errorf("xdg-user-dir VIDEOS: %q %v", got, err)
	}
}
