package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// setupKeys binds the window's shortcuts. They reach the window only when
// no entry has the keyboard, and are off while a dialog is open.
func (ui *UI) setupKeys() {
	c := ui.win.Canvas()
	c.SetOnTypedRune(ui.typedRune)
	c.SetOnTypedKey(ui.typedKey)
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { ui.requestClose() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) {
			if ui.modal == 0 && !ui.closing {
				ui.toggleSidebar()
			}
		})
}

// typedRune: R records, S snapshots, V opens the recordings, 1-9 select
// a camera; in the focused view + and − zoom, 0 shows all of the picture.
func (ui *UI) typedRune(r rune) {
	if ui.modal > 0 || ui.closing {
		return
	}
	c := ui.current()
	switch {
	case r == 'r' || r == 'R':
		if c != nil {
			c.toggleRecording()
			ui.refreshAll()
		}
	case r == 's' || r == 'S':
		if c != nil {
			c.snapshot()
		}
	case r == 'v' || r == 'V':
		ui.showRecordingsView()
	case r == 'm' || r == 'M':
		if c != nil {
			ui.toggleSound(c)
		}
	case ui.focused != nil && (r == '+' || r == '='):
		ui.focused.tile.zoomBy(1)
	case ui.focused != nil && (r == '-' || r == '−'):
		ui.focused.tile.zoomBy(-1)
	case ui.focused != nil && r == '0':
		ui.focused.tile.resetZoom()
	case r >= '1' && r <= '9':
		if i := int(r - '1'); i < len(ui.cams) {
			if ui.focused != nil && ui.focused != ui.cams[i] {
				ui.toggleFocus(ui.cams[i])
			} else {
				ui.selectCamera(ui.cams[i])
			}
		}
	}
}

// typedKey: Enter focuses, Escape goes back, F11 toggles full screen.
func (ui *UI) typedKey(e *fyne.KeyEvent) {
	if ed := ui.editing; ed != nil && !ui.closing {
		switch e.Name { // no field has the keyboard: the editor's keys
		case fyne.KeyReturn, fyne.KeyEnter:
			ed.save()
		case fyne.KeyEscape:
			ed.close()
		}
		return
	}
	if ui.modal > 0 || ui.closing {
		return
	}
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if c := ui.current(); c != nil {
			ui.toggleFocus(c)
		}
	case fyne.KeyEscape:
		ui.back()
	case fyne.KeyF11:
		ui.toggleFullScreen()
	}
}
