package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// messageLayout centres a tile's message (over its shade, the first
// object) in the tile: as wide as its text, at most the tile's width, and
// wrapped within it. When the wrapped text is taller than the tile it is
// cut to one line with an ellipsis; the label's tooltip has all of it.
// The button (Retry now), when shown, sits under the text.
type messageLayout struct {
	label  *tipLabel
	button fyne.CanvasObject
}

// Layout wraps the message to the tile and centres it.
func (m messageLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	maxW, maxH := size.Width-2*pad, size.Height-2*pad
	l := m.label
	var bs fyne.Size
	if m.button != nil && m.button.Visible() {
		bs = m.button.MinSize()
		// Room for the button means room for it and one line of text;
		// the label's own MinSize would depend on how it was wrapped last.
		if maxH-bs.Height-pad < oneLineHeight(l.TextStyle) {
			bs = fyne.Size{} // no room for both: the text, and the menu has the button
		}
		maxH -= bs.Height + pad
	}
	if maxW <= 0 || maxH <= 0 || l.Text == "" {
		for _, o := range objs {
			o.Resize(fyne.NewSize(0, 0))
		}
		return
	}
	w := min(textWidth(l.Text, l.TextStyle), maxW)
	setWrap(l, fyne.TextWrapWord, fyne.TextTruncateOff)
	l.Resize(fyne.NewSize(w, maxH))
	h := l.MinSize().Height
	if h > maxH {
		setWrap(l, fyne.TextWrapOff, fyne.TextTruncateEllipsis)
		h = min(l.MinSize().Height, maxH)
	}
	boxW, boxH := max(w, min(bs.Width+2*pad, maxW)), h
	if bs.Height > 0 {
		boxH += bs.Height + pad
	}
	pos := fyne.NewPos((size.Width-boxW)/2, (size.Height-boxH)/2)
	for _, o := range objs {
		if o == m.button {
			if bs.Height == 0 {
				o.Resize(fyne.NewSize(0, 0))
				continue
			}
			bw := min(bs.Width, boxW)
			o.Move(pos.AddXY((boxW-bw)/2, h))
			o.Resize(fyne.NewSize(bw, bs.Height))
			continue
		}
		if o == l {
			o.Move(pos.AddXY((boxW-w)/2, 0))
			o.Resize(fyne.NewSize(w, h))
			continue
		}
		o.Move(pos)
		o.Resize(fyne.NewSize(boxW, boxH+pad/2))
	}
}

// MinSize is none: the tile decides the size, the message fits itself.
func (messageLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

func setWrap(l *tipLabel, w fyne.TextWrap, t fyne.TextTruncation) {
	if l.Wrapping != w || l.Truncation != t {
		l.Wrapping, l.Truncation = w, t
		l.Refresh()
	}
}

// captionLayout lays out a tile's caption: the name, the state, and the
// buttons (right) at their size on the right. Name and state share what
// is left; when both do not fit the name keeps at least about half of it,
// and each is cut with an ellipsis, never drawn under the buttons. In a
// small tile the spare button (focus: double-click and Enter do it too)
// goes, and a state with no room for a word is not drawn (a tile that is
// not live says its state in the middle).
type captionLayout struct {
	name, state *tipLabel
	right       *fyne.Container
	spare       fyne.CanvasObject
}

// captionNameShare is the part of the caption's free width the name keeps
// when name and state do not both fit: the name says which camera it is.
const captionNameShare = 0.55

// captionCompact is the tile width below which the spare button goes:
// below it the name would have no room for a word.
const captionCompact = 300

// captionStateLeast is the least width worth showing the state in: about
// "live · t…".
const captionStateLeast = 64

// Layout places the name, the state and the buttons.
func (c captionLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	if c.spare != nil && c.spare.Visible() != (size.Width >= captionCompact) {
		setVisible(c.spare, size.Width >= captionCompact)
		c.right.Refresh()
	}
	rs := c.right.MinSize()
	rx := max(0, size.Width-rs.Width)
	c.right.Move(fyne.NewPos(rx, (size.Height-rs.Height)/2))
	c.right.Resize(fyne.NewSize(min(rs.Width, size.Width), rs.Height))
	free := rx
	nn, sn := c.name.naturalWidth(), c.state.naturalWidth()
	if c.state.Text == "" {
		sn = 0
	}
	nw := nn
	if nn+sn > free {
		nw = min(nn, max(free-sn, free*captionNameShare))
		if free-nw < captionStateLeast {
			nw = min(nn, free) // no room for the state: all to the name
		}
	}
	nw = min(nw, free)
	sw := max(0, free-nw)
	c.name.Move(fyne.NewPos(0, 0))
	c.name.Resize(fyne.NewSize(nw, size.Height))
	c.state.Move(fyne.NewPos(nw, 0))
	c.state.Resize(fyne.NewSize(sw, size.Height))
	setVisible(c.state, sw >= captionStateLeast)
}

// MinSize is as tall as the tallest part; the tile decides the width.
func (c captionLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	h := max(c.name.MinSize().Height, c.state.MinSize().Height, c.right.MinSize().Height)
	return fyne.NewSize(0, h)
}

// oneLineHeight is the height of a label showing one line of text.
func oneLineHeight(style fyne.TextStyle) float32 {
	return fyne.MeasureText("Mg", theme.TextSize(), style).Height + 2*theme.InnerPadding()
}
