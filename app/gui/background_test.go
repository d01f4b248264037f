package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
)

// fakeTray keeps the menu camdeck gives the system tray.
type fakeTray struct{ menu *fyne.Menu }

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu) { f.menu = m }

// trayItem taps the tray menu's item labelled label.
func trayItem(t *testing.T, tray *fakeTray, label string) {
	t.Helper()
	for _, it := range tray.menu.Items {
		if it.Label == label {
			it.Action()
			return
		}
	}
	t.Fatalf("no %q in the tray menu", label)
}

// TestCloseWhileRecording: closing the window while a camera records
// asks; "keep recording" hides the window and the recording goes on; the
// tray shows it again, stops all recordings, and quits. With nothing
// recording, closing quits at once.
func TestCloseWhileRecording(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	tray := &fakeTray{}
	h.ui.setupTray(tray)
	if tray.menu == nil {
		t.Fatal("no tray menu")
	}
	h.liveAll()
	h.ui.cams[0].startRecording()
	h.ui.cams[1].startRecording()
	h.q.drain()

	h.ui.closeWindow()
	d := h.ui.closeDlg
	if d == nil || h.ui.closing {
		t.Fatalf("closing while recording: question %v, closing %v", d != nil, h.ui.closing)
	}
	test.Tap(d.cancel)
	if h.ui.closeDlg != nil || h.ui.closing || h.ui.hidden || h.ui.modal != 0 {
		t.Fatal("Cancel did not leave the window as it was")
	}

	h.ui.closeWindow()
	test.Tap(h.ui.closeDlg.keep)
	h.q.drain()
	if !h.ui.hidden || h.ui.closing || h.ui.recordingCount() != 2 {
		t.Fatalf("keep recording: hidden %v closing %v recording %d", h.ui.hidden, h.ui.closing, h.ui.recordingCount())
	}
	for _, r := range h.recs {
		if r.isEnded() {
			t.Fatal("a recording was stopped by hiding the window")
		}
	}

	trayItem(t, tray, "Show camdeck")
	if h.ui.hidden {
		t.Fatal("Show left the window hidden")
	}
	trayItem(t, tray, "Stop all recordings")
	h.q.until(t, "the recorders to be closed", func() bool {
		return h.recs[0].isClosed() && h.recs[1].isClosed()
	})
	if h.ui.recordingCount() != 0 || h.ui.closing {
		t.Fatalf("after Stop all: %d recording, closing %v", h.ui.recordingCount(), h.ui.closing)
	}

	h.ui.closeWindow() // nothing records: quit without asking
	if h.ui.closeDlg != nil || !h.ui.closing {
		t.Fatal("closing with nothing recording asked, or did not close")
	}
	h.q.until(t, "the window to quit", h.ui.quit.Load)
}

// TestCloseAndStopRecording: "Stop recording and quit" finishes the
// files and quits; the tray's Quit does the same.
func TestCloseAndStopRecording(t *testing.T) {
	for _, via := range []string{"dialog", "tray"} {
		t.Run(via, func(t *testing.T) {
			h := newHarness(t, []camdeck.Profile{profile("Gate")})
			tray := &fakeTray{}
			h.ui.setupTray(tray)
			h.liveAll()
			h.ui.cams[0].startRecording()
			if via == "dialog" {
				h.ui.closeWindow()
				test.Tap(h.ui.closeDlg.stop)
			} else {
				trayItem(t, tray, "Quit")
			}
			h.q.until(t, "the window to quit", h.ui.quit.Load)
			if !h.recs[0].isClosed() {
				t.Fatal("the recording was not finished")
			}
		})
	}
}
