package gui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
)

// TestEditorRetention: the editor sets what is kept: the camera's keep
// days, and for all cameras at most N GB and N GB left free. Saved, the
// profile file (mode 0600) holds them, as keep_days and retention's
// max_gb and min_free_gb; the editor of another camera shows the limits
// for all; a negative size is refused and nothing saved.
func TestEditorRetention(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Porch"), profile("Yard")})
	e := h.ui.showEditor(0, h.ui.cams[0].prof)
	if e.kept.keepDays.Text != "0" || e.kept.maxGB.Text != "0" || e.kept.minFree.Text != "0" {
		t.Fatalf("a new file's limits show as %q %q %q", e.kept.keepDays.Text, e.kept.maxGB.Text, e.kept.minFree.Text)
	}
	test.Type(&e.kept.keepDays.Entry, "4") // after the 0: 40 days
	e.kept.maxGB.SetText("500")
	e.kept.minFree.SetText("2,5") // a decimal comma is read as a point
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()

	st, err := os.Stat(h.store.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the profile file: %v, mode %v", err, st.Mode())
	}
	data, err := os.ReadFile(h.store.Path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cameras []struct {
			Name     string
			KeepDays int `json:"keep_days"`
		}
		Retention *struct {
			MaxGB     float64 `json:"max_gb"`
			MinFreeGB float64 `json:"min_free_gb"`
		}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cameras) != 2 || f.Cameras[0].KeepDays != 40 || f.Cameras[1].KeepDays != 0 ||
		f.Retention == nil || f.Retention.MaxGB != 500 || f.Retention.MinFreeGB != 2.5 {
		t.Fatalf("the profile file holds:\n%s", data)
	}
	// Read back by a store of its own, as the next start reads it.
	back := &camdeck.Store{Path: h.store.Path}
	ps, err := back.Load()
	if err != nil || ps[0].KeepDays != 40 || back.Retention != (camdeck.Retention{MaxGB: 500, MinFreeGB: 2.5}) {
		t.Fatalf("loaded %+v, %+v (%v)", ps, back.Retention, err)
	}

	e = h.ui.showEditor(1, h.ui.cams[1].prof)
	if e.kept.keepDays.Text != "0" || e.kept.maxGB.Text != "500" || e.kept.minFree.Text != "2.5" {
		t.Errorf("Yard's editor shows %q %q %q", e.kept.keepDays.Text, e.kept.maxGB.Text, e.kept.minFree.Text)
	}
	e.kept.maxGB.SetText("-1")
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()
	if !e.errLabel.Visible() || e.errLabel.Text != "cannot be negative" {
		t.Errorf("a negative size: the editor says %q", e.errLabel.Text)
	}
	if again, _ := os.ReadFile(h.store.Path); string(again) != string(data) {
		t.Errorf("a refused edit changed the file:\n%s", again)
	}
	e.close()
}

// TestEditorPlayback: the editor names the MediaMTX playback server that
// records a camera, and its path there (required with it). A URL that
// the file gives a password is shown without it and saved back as it
// was; typed, a URL takes no password.
func TestEditorPlayback(t *testing.T) {
	y := profile("Yard")
	y.PlaybackURL, y.PlaybackPath = "http://rec:s3cret@192.0.2.7:9996", "yard"
	h := newHarness(t, []camdeck.Profile{profile("Porch"), y})
	e := h.ui.showEditor(0, h.ui.cams[0].prof)
	e.playback.url.SetText("http://192.0.2.7:9996/")
	test.Tap(e.saveBtn)
	if !e.errLabel.Visible() || !strings.Contains(e.errLabel.Text, "playback path") {
		t.Fatalf("a server without a path: the editor says %q", e.errLabel.Text)
	}
	e.playback.path.SetText("porch")
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()
	if p := h.ui.cams[0].prof; p.PlaybackURL != "http://192.0.2.7:9996/" || p.PlaybackPath != "porch" {
		t.Fatalf("saved %q %q", p.PlaybackURL, p.PlaybackPath)
	}

	e = h.ui.showEditor(1, h.ui.cams[1].prof)
	if e.playback.url.Text != "http://192.0.2.7:9996" {
		t.Fatalf("the editor shows the playback URL as %q", e.playback.url.Text)
	}
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()
	if p := h.ui.cams[1].prof; p.PlaybackURL != y.PlaybackURL {
		t.Fatalf("an unchanged URL saved as %q", p.PlaybackURL)
	}
	e = h.ui.showEditor(1, h.ui.cams[1].prof)
	e.playback.url.SetText("http://a:b@192.0.2.7:9996")
	test.Tap(e.saveBtn)
	if !e.errLabel.Visible() || !strings.Contains(e.errLabel.Text, "no user or password") {
		t.Errorf("a typed password: the editor says %q", e.errLabel.Text)
	}
	e.close()
	h.ui.bg.Wait()
}
