package gui

import (
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipDelay is how long the pointer rests on a button before its tooltip
// shows: long enough not to flash while the pointer crosses the window.
const tipDelay = 600 * time.Millisecond

// tipLayer shows one tooltip at a time, above the window's content. It
// lies in the content, not in an overlay, because an overlay would take
// the pointer from the button and hide its own tooltip.
type tipLayer struct {
	do    func(func())
	label *widget.Label
	bg    *canvas.Rectangle
	box   *fyne.Container
	layer *fyne.Container

	mu    sync.Mutex
	timer *time.Timer
	owner tipTarget
}

// tipTarget is what shows a tooltip: an icon button, or a label whose
// text is cut short.
type tipTarget interface {
	fyne.CanvasObject
	tipText() string // "" shows none
}

func newTipLayer(do func(func())) *tipLayer {
	l := &tipLayer{do: do, label: widget.NewLabel("")}
	l.bg = canvas.NewRectangle(nil)
	l.bg.StrokeWidth = 1
	l.bg.CornerRadius = 4
	l.box = container.NewStack(l.bg, l.label)
	l.box.Hide()
	l.layer = container.New(&tipLayout{l: l}, l.box)
	return l
}

// tipLayout hides the tooltip when the window changes size: its place
// was worked out for the old one, and its button may be gone.
type tipLayout struct {
	l    *tipLayer
	size fyne.Size
}

// Layout hides the tooltip on a new size.
func (t *tipLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	if size != t.size {
		t.size = size
		t.l.box.Hide()
	}
}

// MinSize is none: the tooltip lies over the window.
func (t *tipLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

func (l *tipLayer) arm(b tipTarget) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.owner = b
	l.timer = time.AfterFunc(tipDelay, func() {
		l.do(func() { l.show(b) })
	})
}

func (l *tipLayer) disarm(b tipTarget) {
	l.mu.Lock()
	if l.owner == b {
		l.owner = nil
		if l.timer != nil {
			l.timer.Stop()
		}
	}
	l.mu.Unlock()
	l.box.Hide()
}

// show places the tooltip under the button, inside the window.
func (l *tipLayer) show(b tipTarget) {
	l.mu.Lock()
	owner := l.owner
	l.mu.Unlock()
	tip := b.tipText()
	if owner != b || !b.Visible() || tip == "" {
		return
	}
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(b).Subtract(d.AbsolutePositionForObject(l.layer))
	l.label.SetText(tip)
	l.label.Wrapping = fyne.TextWrapWord
	area := l.layer.Size()
	w := textWidth(tip, fyne.TextStyle{})
	if area.Width > 0 {
		w = min(w, max(area.Width*0.8, 120)) // long errors wrap
	}
	l.box.Resize(fyne.NewSize(w, 1))
	size := fyne.NewSize(w, l.label.MinSize().Height)
	l.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	l.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	pos.Y += b.Size().Height + 2
	if pos.Y+size.Height > area.Height {
		pos.Y -= b.Size().Height + size.Height + 4
	}
	pos.X = max(0, min(pos.X, area.Width-size.Width))
	l.box.Resize(size)
	l.box.Move(pos)
	l.box.Show()
	l.box.Refresh()
}

// iconButton is a button with only an icon, and a tooltip that says what
// it does and its shortcut.
type iconButton struct {
	widget.Button
	tips *tipLayer
	tip  string
}

func (b *iconButton) tipText() string { return b.tip }

func newIconButton(tips *tipLayer, icon fyne.Resource, tip string, tapped func()) *iconButton {
	b := &iconButton{tips: tips, tip: tip}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn arms the tooltip.
func (b *iconButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.tips != nil {
		b.tips.arm(b)
	}
}

// MouseOut hides the tooltip.
func (b *iconButton) MouseOut() {
	b.Button.MouseOut()
	if b.tips != nil {
		b.tips.disarm(b)
	}
}

// Tapped hides the tooltip and runs the button's action.
func (b *iconButton) Tapped(e *fyne.PointEvent) {
	if b.tips != nil {
		b.tips.disarm(b)
	}
	b.Button.Tapped(e)
}

// tipLabel is a label cut short with an ellipsis when it does not fit;
// its tooltip then shows the whole text.
type tipLabel struct {
	widget.Label
	tips *tipLayer
}

func newTipLabel(tips *tipLayer, style fyne.TextStyle) *tipLabel {
	l := &tipLabel{tips: tips}
	l.TextStyle = style
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// naturalWidth is the width the whole text needs on one line.
func (l *tipLabel) naturalWidth() float32 {
	return textWidth(l.Text, l.TextStyle)
}

// textWidth is the width a label needs for s on one line, with a little
// to spare: the window rounds to pixels, and a width a fraction short
// cuts the text.
func textWidth(s string, style fyne.TextStyle) float32 {
	return float32(math.Ceil(float64(fyne.MeasureText(s, theme.TextSize(), style).Width+2*theme.InnerPadding()))) + textSlack
}

// textSlack is the spare width of textWidth, in Fyne units: two pixels
// at a scale of 2.
const textSlack = 1

// cut says whether the text is shown shortened.
func (l *tipLabel) cut() bool {
	if l.Wrapping != fyne.TextWrapOff {
		return l.Label.MinSize().Height > l.Size().Height+0.5
	}
	return l.naturalWidth() > l.Size().Width+0.5
}

func (l *tipLabel) tipText() string {
	if !l.cut() {
		return ""
	}
	return l.Text
}

// MouseIn arms the tooltip.
func (l *tipLabel) MouseIn(*desktop.MouseEvent) {
	if l.tips != nil {
		l.tips.arm(l)
	}
}

// MouseMoved does nothing: the tooltip stays where it was armed.
func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the tooltip.
func (l *tipLabel) MouseOut() {
	if l.tips != nil {
		l.tips.disarm(l)
	}
}
