package gui

import (
	"slices"

	"fyne.io/fyne/v2"
)

// Dragged moves the tile with the pointer in the grid; where it is let go
// is its new place. In the focused view a drag pans the zoomed picture.
func (t *tile) Dragged(e *fyne.DragEvent) {
	ui := t.cam.ui
	if ui.focused == t.cam {
		t.pan(e.Dragged)
		return
	}
	if ui.focused != nil || ui.closing {
		return
	}
	if !t.dragging {
		t.dragging = true
		t.dragFrom = t.Position()
	}
	t.Move(t.Position().Add(e.Dragged))
}

// DragEnd puts the tile at the place under its centre.
func (t *tile) DragEnd() {
	if !t.dragging {
		return
	}
	t.dragging = false
	ui := t.cam.ui
	from := slices.Index(ui.cams, t.cam)
	centre := t.Position().Add(fyne.NewPos(t.Size().Width/2, t.Size().Height/2))
	to := gridSlot(len(ui.cams), ui.grid.Size(), centre)
	t.Move(t.dragFrom)
	if from >= 0 && to >= 0 && to != from {
		ui.selectCamera(t.cam)
		ui.moveCamera(from, to)
		return
	}
	ui.grid.Refresh()
}
