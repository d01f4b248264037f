package gui

import (
	"fmt"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
)

// Colours of a camera's state in the list.
var (
	stateLive    = color.NRGBA{R: 0x2e, G: 0xb8, B: 0x5c, A: 0xff}
	stateWaiting = color.NRGBA{R: 0xf0, G: 0xa0, B: 0x20, A: 0xff}
	stateFailed  = color.NRGBA{R: 0xe0, G: 0x40, B: 0x40, A: 0xff}
	stateIdle    = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
)

func stateColor(s player.State) color.Color {
	switch s {
	case player.StateLive:
		return stateLive
	case player.StateConnecting, player.StateReconnecting:
		return stateWaiting
	case player.StateFailed:
		return stateFailed
	}
	return stateIdle
}

// newCameraList lists the cameras with their state; selecting one selects
// its tile.
func (ui *UI) newCameraList() *widget.List {
	l := widget.NewList(
		func() int { return len(ui.cams) },
		func() fyne.CanvasObject {
			dot := canvas.NewCircle(stateIdle)
			rec := canvas.NewText("REC", recordRed)
			rec.TextStyle.Bold = true
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			sized := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), dot))
			recs := newIconButton(ui.tips, theme.MediaVideoIcon(), "Show this camera's recordings (V)", nil)
			return container.NewBorder(nil, nil, sized, container.NewHBox(container.NewCenter(rec), recs), name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(ui.cams) {
				return
			}
			c := ui.cams[id]
			row := o.(*fyne.Container)
			name := row.Objects[0].(*widget.Label)
			dot := row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
			right := row.Objects[2].(*fyne.Container)
			rec := right.Objects[0].(*fyne.Container).Objects[0].(*canvas.Text)
			right.Objects[1].(*iconButton).OnTapped = func() { ui.showRecordings(c) }
			setText(name, c.prof.Name)
			if col := stateColor(c.shown().State().State); dot.FillColor != col {
				dot.FillColor = col
				dot.Refresh()
			}
			setVisible(rec, c.rec != nil)
		})
	l.OnSelected = func(id widget.ListItemID) {
		if id < len(ui.cams) {
			ui.selectCamera(ui.cams[id])
		}
		// Keys go back to the window's shortcuts, not the list.
		ui.win.Canvas().Unfocus()
	}
	return l
}

// newListButtons are add, edit, remove, import and export.
func (ui *UI) newListButtons() fyne.CanvasObject {
	add := newIconButton(ui.tips, theme.ContentAddIcon(), "Add a camera", func() {
		p := camdeck.DemoProfile()
		p.Name, p.URL = "", ""
		ui.showEditor(-1, p)
	})
	edit := newIconButton(ui.tips, theme.DocumentCreateIcon(), "Edit the selected camera", func() {
		if i := slices.Index(ui.cams, ui.selected); i >= 0 {
			ui.showEditor(i, ui.cams[i].prof)
		}
	})
	remove := newIconButton(ui.tips, theme.DeleteIcon(), "Remove the selected camera", ui.confirmRemove)
	imp := newIconButton(ui.tips, theme.DownloadIcon(), "Import cameras from a file", ui.importProfiles)
	exp := newIconButton(ui.tips, theme.UploadIcon(), "Export the cameras to a file", ui.exportProfiles)
	return container.NewHBox(add, edit, remove, imp, exp)
}

// newListHeader is the list's title, with the buttons that move the
// selected camera up and down the list (and the grid).
func (ui *UI) newListHeader() fyne.CanvasObject {
	up := newIconButton(ui.tips, theme.MoveUpIcon(), "Move the selected camera up (earlier in the grid)", func() { ui.moveSelected(-1) })
	down := newIconButton(ui.tips, theme.MoveDownIcon(), "Move the selected camera down (later in the grid)", func() { ui.moveSelected(1) })
	title := widget.NewLabelWithStyle("Cameras", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, title, container.NewHBox(up, down))
}

func (ui *UI) confirmRemove() {
	i := slices.Index(ui.cams, ui.selected)
	if i < 0 {
		return
	}
	c := ui.cams[i]
	msg := fmt.Sprintf("Remove %q? Its recordings and snapshots stay on disk.", c.prof.Name)
	ui.showModal(dialog.NewConfirm("Remove camera", msg, func(ok bool) {
		if ok && slices.Index(ui.cams, c) >= 0 {
			ui.removeProfile(slices.Index(ui.cams, c))
		}
	}, ui.win))
}

// showModal shows a dialog; window shortcuts are off while it is open.
func (ui *UI) showModal(d dialog.Dialog) {
	ui.modal++
	d.SetOnClosed(func() { ui.modal-- })
	d.Show()
}

// showFileDialog shows one of Fyne's file dialogs, with the user folders
// it lists defined first (defineUserDirs).
func (ui *UI) showFileDialog(d dialog.Dialog) {
	ui.userDirs.Do(defineUserDirs)
	ui.showModal(d)
}

func (ui *UI) importProfiles() { ui.importDialog() }

// importDialog opens the file dialog of importProfiles; it lists folders
// and .json files.
func (ui *UI) importDialog() *dialog.FileDialog {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		ui.goBackground(func() {
			ps, err := camdeck.Import(path)
			ui.do(func() {
				if err != nil {
					ui.notify(oneLine(err))
					return
				}
				for _, p := range ps {
					p.ID = "" // a new camera here, even if the file came from this one
					ui.addCamera(p)
				}
				ui.save()
				ui.refreshAll()
				ui.notify(fmt.Sprintf("Imported %d cameras", len(ps)))
			})
		})
	}, ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	ui.showFileDialog(d)
	return d
}

func (ui *UI) exportProfiles() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		ps := ui.profiles()
		ui.goBackground(func() {
			err := camdeck.Export(path, ps)
			ui.do(func() {
				if err != nil {
					ui.notify(oneLine(err))
					return
				}
				ui.notify(fmt.Sprintf("Exported %d cameras (with their passwords) to %s", len(ps), path))
			})
		})
	}, ui.win)
	d.SetFileName("camdeck-cameras.json")
	ui.showFileDialog(d)
}
