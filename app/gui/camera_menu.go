package gui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// cameraMenu is what a right click on a tile offers.
func (ui *UI) cameraMenu(c *camera) *fyne.Menu {
	rec := "Record"
	if c.rec != nil {
		rec = "Stop recording"
	}
	index := func() int { return slices.Index(ui.cams, c) }
	return fyne.NewMenu("",
		fyne.NewMenuItem("Edit…", func() {
			if i := index(); i >= 0 {
				ui.showEditor(i, c.prof)
			}
		}),
		fyne.NewMenuItem("Snapshot", c.snapshot),
		fyne.NewMenuItem(rec, func() {
			c.toggleRecording()
			ui.refreshAll()
		}),
		fyne.NewMenuItem("Show recordings", func() { ui.showRecordings(c) }),
		fyne.NewMenuItem("Show snapshots", func() { ui.openFolder(c.prof.Snapshots()) }),
		fyne.NewMenuItem("Retry now", func() { ui.retry(c) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Remove…", func() {
			ui.selectCamera(c)
			ui.confirmRemove()
		}),
	)
}

// showCameraMenu opens the camera's menu at pos, on the canvas.
func (ui *UI) showCameraMenu(c *camera, pos fyne.Position) *widget.PopUpMenu {
	m := widget.NewPopUpMenu(ui.cameraMenu(c), ui.win.Canvas())
	m.ShowAtPosition(pos)
	ui.menu = m
	return m
}
