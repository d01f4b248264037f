package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// toastTime is how long a notification stays: time to read a file name.
const toastTime = 4 * time.Second

// toast is a short notification at the bottom of the window ("Snapshot
// saved: ..."). It is drawn in the window rather than sent to the desktop
// so that it shows everywhere, also without a notification daemon.
type toast struct {
	do    func(func())
	label *widget.Label
	box   *fyne.Container
	layer *fyne.Container
	gen   int // of the message shown: an old timer must not hide a new one
	last  string
}

func newToast(do func(func())) *toast {
	t := &toast{do: do, label: widget.NewLabel("")}
	bg := canvas.NewRectangle(color.NRGBA{R: 0x20, G: 0x20, B: 0x24, A: 0xf0})
	bg.CornerRadius = 6
	t.box = container.NewStack(bg, container.NewPadded(t.label))
	t.box.Hide()
	t.layer = container.NewBorder(nil, container.NewPadded(container.NewHBox(layout.NewSpacer(), overlayTheme(t.box), layout.NewSpacer())), nil, nil)
	return t
}

// show shows msg for a few seconds.
func (t *toast) show(msg string) {
	t.gen++
	gen := t.gen
	t.last = msg
	t.label.SetText(msg)
	t.box.Show()
	t.layer.Refresh()
	time.AfterFunc(toastTime, func() {
		t.do(func() {
			if t.gen == gen {
				t.box.Hide()
			}
		})
	})
}
