package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
)

// zombies are this process's children that exited and were not waited
// for.
func zombies(t *testing.T) []string {
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	var z []string
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, pid := range strings.Fields(string(b)) {
			st, err := os.ReadFile("/proc/" + pid + "/stat")
			if err != nil {
				continue
			}
			// pid (comm) S ...: the state follows the last ')'.
			s := string(st)
			if i := strings.LastIndexByte(s, ')'); i > 0 && strings.HasPrefix(s[i+1:], " Z") {
				z = append(z, s[:i+1])
			}
		}
	}
	return z
}

// TestOpenFolderFails: without a file manager (an xdg-open that fails),
// opening the recordings or snapshots folder says so, shows the path
// with a copy button, and leaves no zombie.
func TestOpenFolderFails(t *testing.T) {
	bin := t.TempDir()
	script := "#!/bin/sh\necho 'xdg-open: no method available for opening '\"$1\" >&2\nexit 3\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	dir := t.TempDir()
	p := profile("Gate")
	p.RecordDir, p.SnapshotDir = filepath.Join(dir, "rec"), filepath.Join(dir, "snap")
	h := newHarness(t, []camdeck.Profile{p})
	for _, open := range []struct {
		name string
		do   func()
		dir  string
	}{{"recordings", h.ui.openRecordings, p.RecordDir}, {"snapshots", h.ui.openSnapshots, p.SnapshotDir}} {
		h.ui.folderDlg = nil
		open.do()
		h.q.until(t, "the "+open.name+" folder error", func() bool { return h.ui.folderDlg != nil })
		h.ui.bg.Wait()
		fd := h.ui.folderDlg
		if fd.path.Text != open.dir || h.ui.modal != 1 {
			t.Fatalf("%s: dialog shows %q (modal %d), want %q", open.name, fd.path.Text, h.ui.modal, open.dir)
		}
		if fi, err := os.Stat(open.dir); err != nil || !fi.IsDir() {
			t.Fatalf("%s: the folder was not created: %v", open.name, err)
		}
		test.Tap(fd.copy)
		if got := h.ui.app.Clipboard().Content(); got != open.dir {
			t.Fatalf("%s: copied %q", open.name, got)
		}
		if z := zombies(t); len(z) > 0 {
			t.Fatalf("%s: zombies left: %q", open.name, z)
		}
		fd.dlg.Hide()
	}
}
