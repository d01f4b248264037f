package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/camdeck/camdeck/internal/democam"
)

// TestTestConnection probes a real camera: the demo camera on loopback.
func TestTestConnection(t *testing.T) {
	cam := &democam.Server{}
	if err := cam.Start(); err != nil {
		t.Fatal(err)
	}
	defer cam.Close()

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
