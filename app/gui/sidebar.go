package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Widths of the camera list, in Fyne units.
const (
	// sidebarDefault is the list's width on the first run: room for a
	// name like "Front door (garage)" and the REC mark.
	sidebarDefault = 210
	// sidebarLeast is the narrowest the divider drags it to: the five
	// list buttons in a row.
	sidebarLeast = 140
)

// sidebarLayout holds the split of the camera list and the grid. Fyne's
// split keeps the divider at a fraction of the width; this keeps the
// list's width in units instead, so a larger window gives the room to
// the cameras. A drag of the divider is read back at the next layout.
type sidebarLayout struct {
	ui   *UI
	size fyne.Size // the last size laid out
}

// Layout sets the split's offset for the list's width, then lays it out.
func (l *sidebarLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	ui := l.ui
	ui.readSidebarWidth()
	l.size = size
	ui.applySidebarWidth(size.Width)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	ui.sideShown = ui.sidebar.Size().Width
}

// MinSize is the split's.
func (l *sidebarLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}

// readSidebarWidth takes the list's width from the screen when the
// divider was dragged since the last layout. A width the split cut to
// fit a small window is not taken: the list gets its width back when the
// window grows.
func (ui *UI) readSidebarWidth() {
	if !ui.sidebar.Visible() || ui.split.Size().Width <= 0 {
		return
	}
	if w := ui.sidebar.Size().Width; w > 0 && w != ui.sideShown {
		ui.sideWidth, ui.sideShown = w, w
	}
}

// applySidebarWidth points the split's divider at the list's width in a
// split total units wide.
func (ui *UI) applySidebarWidth(total float32) {
	avail := total - 2*theme.Padding() // the divider's thickness
	if avail <= 0 {
		return
	}
	w := max(ui.sideWidth, sidebarLeast)
	ui.split.SetOffset(min(float64(w/avail), 1))
}

// newSidebarSplit puts the list left of the grid, divided by a handle.
func (ui *UI) newSidebarSplit(grid fyne.CanvasObject) fyne.CanvasObject {
	ui.split = container.NewHSplit(ui.sidebar, grid)
	return container.New(&sidebarLayout{ui: ui}, ui.split)
}

// toggleSidebar hides the camera list, or shows it again at its width.
func (ui *UI) toggleSidebar() {
	ui.readSidebarWidth()
	ui.sideHidden = !ui.sideHidden
	ui.showSidebar()
	ui.saveLayout()
}

// showSidebar shows the list unless it is hidden or the window is full
// screen, and says so on the toolbar button.
func (ui *UI) showSidebar() {
	setVisible(ui.sidebar, !ui.sideHidden && !ui.win.FullScreen())
	if ui.sideHidden {
		ui.sideBtn.tip = "Show the camera list (Ctrl+B)"
	} else {
		ui.sideBtn.tip = "Hide the camera list (Ctrl+B)"
	}
	ui.split.Refresh()
}
