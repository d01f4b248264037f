package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/keyring"
)

// TestTestConnection probes a real camera: the demo camera on loopback.
func TestTestConnection(t *testing.T) {
	cam := democam.StartForTest(t, &democam.Server{})

	h := newHarness(t, nil)
	h.ui.demo = &demoCamera{url: cam.URL()}
	h.ui.open = openSession // real sessions, through the UI's opener as the editor's probe goes
	e := h.ui.showEditor(-1, profile("x"))
	e.url.SetText("demo")
	test.Tap(e.testBtn)
	if !e.testBtn.Disabled() {
		t.Fatal("the button is not disabled while testing")
	}
	h.q.until(t, "the test result", func() bool { return !e.testBtn.Disabled() })
	if want := "✓ H.264 1280x720, 25 fps, tcp"; e.testResult.Text != want {
		t.Fatalf("result %q, want %q", e.testResult.Text, want)
	}

	e.url.SetText("rtsp://127.0.0.1:1/nothing")
	test.Tap(e.testBtn)
	h.q.until(t, "the test error", func() bool { return !e.testBtn.Disabled() })
	if !strings.HasPrefix(e.testResult.Text, "✗ unreachable") {
		t.Fatalf("result %q", e.testResult.Text)
	}
	h.ui.bg.Wait()
}

// TestURLTypedWithCredentials: a URL with credentials typed key by key
// stays as typed until the field loses focus; then user and password
// move to their fields and the rest of the URL stays whole.
func TestURLTypedWithCredentials(t *testing.T) {
	h := newHarness(t, nil)
	e := h.ui.showEditor(-1, profile("x"))
	c := h.win.Canvas()
	e.url.SetText("")
	c.Focus(e.url)
	const typed = "rtsp://u:p@127.0.0.1:8602/cam"
	test.Type(e.url, typed)
	if e.url.Text != typed || e.user.Text != "" {
		t.Fatalf("while typing: url %q user %q, want the URL as typed", e.url.Text, e.user.Text)
	}
	c.Focus(e.name)
	if e.url.Text != "rtsp://127.0.0.1:8602/cam" || e.user.Text != "u" || e.pass.Text != "p" {
		t.Fatalf("after leaving the field: url %q user %q pass %q", e.url.Text, e.user.Text, e.pass.Text)
	}

	// Pasted: at once.
	e.sub.SetText("")
	c.Focus(e.sub)
	cb := h.ui.app.Clipboard()
	cb.SetContent("rtsp://admin:se%40cret@10.1.1.1:554/sub?ch=2")
	e.sub.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
	if e.sub.Text != "rtsp://10.1.1.1:554/sub?ch=2" || e.user.Text != "admin" || e.pass.Text != "se@cret" {
		t.Fatalf("after paste: url %q user %q pass %q", e.sub.Text, e.user.Text, e.pass.Text)
	}
	e.close()

	// Typed, then Enter in the field: saved without the credentials.
	e = h.ui.showEditor(-1, profile("Porch"))
	e.url.SetText("")
	c.Focus(e.url)
	test.Type(e.url, typed)
	e.url.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(h.ui.cams) != 1 {
		t.Fatal("Enter did not save")
	}
	if p := h.ui.cams[0].prof; p.URL != "rtsp://127.0.0.1:8602/cam" || p.User != "u" || p.Password != "p" {
		t.Fatalf("saved %q user %q pass %q", p.URL, p.User, p.Password)
	}
	h.ui.bg.Wait()
}

// TestEditorFitsSmallWindow: at 800x500 the buttons are in the window
// and the last fields are reached by scrolling the form; Escape cancels,
// Enter saves; a limit of 0 says "no limit".
func TestEditorFitsSmallWindow(t *testing.T) {
	h := newHarness(t, nil)
	h.win.Resize(fyne.NewSize(800, 500))
	h.q.drain()
	e := h.ui.showEditor(-1, profile("Gate"))
	win := rect{0, 0, 800, 500}
	for name, o := range map[string]fyne.CanvasObject{"Save": e.saveBtn, "Cancel": e.cancel, "Test connection": e.testBtn} {
		if r := rectOf(o); !r.inside(win) || r.w == 0 {
			t.Fatalf("%s at %v, outside the window %v", name, r, win)
		}
	}
	view := rectOf(e.scroll)
	if !view.inside(win) {
		t.Fatalf("form %v outside the window", view)
	}
	e.scroll.ScrollToBottom()
	for name, o := range map[string]fyne.CanvasObject{"playback server": e.playback.url, "playback path": e.playback.path} {
		if r := rectOf(o); !r.inside(view) {
			t.Fatalf("scrolled down, %s at %v is outside the form %v", name, r, view)
		}
	}

	e.limit.SetText("0")
	if e.limitNote.Text != "no limit" {
		t.Fatalf("limit 0 says %q", e.limitNote.Text)
	}
	e.limit.SetText("1h")
	if e.limitNote.Text != "" {
		t.Fatalf("limit 1h says %q", e.limitNote.Text)
	}

	h.win.Canvas().Focus(e.segment)
	e.segment.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.ui.modal != 0 || len(h.ui.cams) != 0 {
		t.Fatalf("Escape: %d dialogs open, %d cameras", h.ui.modal, len(h.ui.cams))
	}

	e = h.ui.showEditor(-1, profile("Gate"))
	h.win.Canvas().Unfocus()
	h.ui.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.ui.modal != 0 || len(h.ui.cams) != 1 || h.ui.cams[0].prof.Name != "Gate" {
		t.Fatalf("Enter with no field focused: %d dialogs open, %d cameras", h.ui.modal, len(h.ui.cams))
	}
	h.ui.bg.Wait()
}

// TestEditorKeepsDefaultTransport: a camera left on the default transport
// is saved with it (not as "tcp", which refuses the UDP fallback); one the
// user set to tcp stays tcp.
func TestEditorKeepsDefaultTransport(t *testing.T) {
	h := newHarness(t, nil)
	for _, tr := range []string{"", "tcp", "udp"} {
		p := profile("cam-" + tr)
		p.Transport = tr
		e := h.ui.showEditor(-1, p)
		got, err := e.profile()
		e.close()
		if err != nil {
			t.Fatal(err)
		}
		if got.Transport != tr {
			t.Fatalf("transport %q saved as %q", tr, got.Transport)
		}
	}
	h.ui.bg.Wait()
}

// TestEditorSaysWherePasswordIsKept: with GNOME Keyring on a private bus
// the editor says the password is in the desktop's keyring, and saving
// puts it there; with no bus where DBUS_SESSION_BUS_ADDRESS points, it
// says the profile file.
func TestEditorSaysWherePasswordIsKept(t *testing.T) {
	b := keyring.Start(t)
	h := newHarness(t, nil)
	h.store.Keyring = &camdeck.Keyring{Address: b.Address}
	if err := h.store.Save(nil); err != nil { // as Load does at start: the keyring answers
		t.Fatal(err)
	}
	e := h.ui.showEditor(-1, profile("Porch"))
	if e.passItem.HintText != camdeck.NoteKeyring {
		t.Fatalf("with a keyring the editor says %q", e.passItem.HintText)
	}
	e.pass.SetText("Top/Secret9")
	test.Tap(e.saveBtn)
	h.ui.bg.Wait()
	data, err := os.ReadFile(h.store.Path)
	if err != nil || strings.Contains(string(data), "Secret9") || !strings.Contains(string(data), `"password_ref": "secret-service"`) {
		t.Fatalf("profile file (%v):\n%s", err, data)
	}
	e = h.ui.showEditor(0, h.ui.cams[0].prof)
	if e.passItem.HintText != camdeck.NoteKeyring {
		t.Fatalf("editing the saved camera the editor says %q", e.passItem.HintText)
	}
	e.close()

	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "nothing"))
	h2 := newHarness(t, nil)
	h2.store.Keyring = &camdeck.Keyring{}
	if err := h2.store.Save(nil); err != nil {
		t.Fatal(err)
	}
	e = h2.ui.showEditor(-1, profile("Porch"))
	if want := "password kept in camdeck's profile file: no keyring on this desktop"; e.passItem.HintText != want {
		t.Fatalf("without a keyring the editor says %q, want %q", e.passItem.HintText, want)
	}
	e.close()
}
