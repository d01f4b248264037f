package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// trayHost is where the system tray menu goes: Fyne's desktop.App.
type trayHost interface {
	SetSystemTrayMenu(*fyne.Menu)
}

// setupTray gives camdeck a system tray menu: Show, Stop all recordings,
// Quit. Fyne starts the tray with the app, so this runs before the window
// does. Without a tray (not a desktop app) closing the window quits.
func (ui *UI) setupTray(host trayHost) {
	if host == nil {
		return
	}
	ui.tray = fyne.NewMenu("camdeck",
		fyne.NewMenuItem("Show camdeck", ui.showWindow),
		fyne.NewMenuItem("Stop all recordings", ui.stopAllRecordings),
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Quit", IsQuit: true, Action: ui.requestClose},
	)
	host.SetSystemTrayMenu(ui.tray)
}

// recordingCount is how many cameras are recording.
func (ui *UI) recordingCount() int {
	n := 0
	for _, c := range ui.cams {
		if c.rec != nil {
			n++
		}
	}
	return n
}

// closeWindow is the window's close button. While cameras record, with a
// tray to come back from, it asks whether to stop them and quit or to go
// on recording with the window hidden; otherwise it quits, finishing the
// recordings.
func (ui *UI) closeWindow() {
	if ui.closing || ui.closeDlg != nil {
		return
	}
	n := ui.recordingCount()
	if n == 0 || ui.tray == nil {
		ui.requestClose()
		return
	}
	what := "1 camera is recording."
	if n > 1 {
		what = fmt.Sprintf("%d cameras are recording.", n)
	}
	msg := widget.NewLabel(what + " Stop the recordings and quit, or keep recording with the " +
		"window hidden? The camdeck icon in the system tray shows it again.")
	msg.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	stop := widget.NewButton("Stop recording and quit", func() {
		d.Hide()
		ui.requestClose()
	})
	keep := widget.NewButton("Keep recording in the background", func() {
		d.Hide()
		ui.hideWindow()
	})
	keep.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Cameras are recording",
		container.NewVBox(msg, container.NewGridWithColumns(1, keep, stop, cancel)), ui.win)
	d.Resize(fyne.NewSize(min(460, ui.win.Canvas().Size().Width-40), 0))
	ui.closeDlg = &closeDialog{dlg: d, stop: stop, keep: keep, cancel: cancel}
	d.SetOnClosed(func() { ui.modal--; ui.closeDlg = nil })
	ui.modal++
	d.Show()
}

// closeDialog is closeWindow's question, for tests.
type closeDialog struct {
	dlg                dialog.Dialog
	stop, keep, cancel *widget.Button
}

// hideWindow hides the window; the recordings go on, the tray shows it.
func (ui *UI) hideWindow() {
	ui.hidden = true
	ui.win.Hide()
}

// showWindow shows the hidden window again.
func (ui *UI) showWindow() {
	if ui.closing {
		return
	}
	ui.hidden = false
	ui.win.Show()
	ui.win.RequestFocus()
}

// stopAllRecordings stops every camera's recording.
func (ui *UI) stopAllRecordings() {
	for _, c := range ui.cams {
		c.stopRecording()
	}
	ui.refreshAll()
}
