package gui

import (
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// toastTime is how long a notification stays: time to read a file name.
const toastTime = 6 * time.Second

// toastMax is the notifications shown at once; an older one leaves
// when a newer one comes. Enough for "Record all" on a few cameras.
const toastMax = 6

// toastShare is the most of the grid's width a notification takes.
const toastShare = 0.6

// toast shows short notifications ("Snapshot saved: ...") stacked in the
// top right corner of the grid, where no tile has its caption (at the
// bottom) or its stats (top left). They are drawn in the window rather
// than sent to the desktop so that they show everywhere, also without a
// notification daemon.
type toast struct {
	do    func(func())
	layer *fyne.Container
	items []*toastItem // oldest first
	last  string
}

type toastItem struct {
	label *widget.Label
	box   fyne.CanvasObject // label over its background
}

func newToast(do func(func())) *toast {
	t := &toast{do: do}
	t.layer = container.New(&toastLayout{t: t})
	return t
}

// show adds msg to the stack for a few seconds.
func (t *toast) show(msg string) {
	t.last = msg
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(color.NRGBA{R: 0x20, G: 0x20, B: 0x24, A: 0xf0})
	bg.CornerRadius = 6
	it := &toastItem{label: l, box: container.NewStack(bg, l)}
	t.items = append(t.items, it)
	if len(t.items) > toastMax {
		t.items = t.items[len(t.items)-toastMax:]
	}
	t.sync()
	time.AfterFunc(toastTime, func() {
		t.do(func() {
			if i := slices.Index(t.items, it); i >= 0 {
				t.items = slices.Delete(t.items, i, i+1)
				t.sync()
			}
		})
	})
}

// shown are the messages on screen, oldest first.
func (t *toast) shown() []string {
	s := make([]string, len(t.items))
	for i, it := range t.items {
		s[i] = it.label.Text
	}
	return s
}

func (t *toast) sync() {
	objs := make([]fyne.CanvasObject, len(t.items))
	for i, it := range t.items {
		objs[i] = it.box
	}
	t.layer.Objects = objs
	t.layer.Refresh()
}

// toastLayout stacks the notifications down from the top right corner,
// each as wide as its text, wrapped at toastShare of the width.
type toastLayout struct{ t *toast }

// Layout places the notifications.
func (l *toastLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := pad
	for i, o := range objs {
		if i >= len(l.t.items) {
			break
		}
		lb := l.t.items[i].label
		w := min(textWidth(lb.Text, lb.TextStyle), max(size.Width*toastShare, 120))
		lb.Resize(fyne.NewSize(w, 1))
		h := lb.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(size.Width-w-pad, y))
		y += h + pad
	}
}

// MinSize is none: the notifications lie over the grid.
func (l *toastLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }
