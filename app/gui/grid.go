package gui

import (
	"fyne.io/fyne/v2"
)

// gridGap is the space between tiles, in Fyne units.
const gridGap = 4

// videoAspect is the shape tiles are laid out for: nearly every camera
// sends 16:9.
const videoAspect = 16.0 / 9.0

// gridLayout lays out 1 to 16 (or more) tiles in the columns and rows
// that make each 16:9 picture largest in the space there is: 1, 2x2, 3x3,
// 4x4 in a landscape window, fewer columns in a tall one.
type gridLayout struct{}

// gridShape returns the columns and rows for n tiles in a w x h area.
func gridShape(n int, w, h float32) (cols, rows int) {
	if n <= 0 {
		return 0, 0
	}
	best := float32(-1)
	for c := 1; c <= n; c++ {
		r := (n + c - 1) / c
		if (c-1)*r >= n { // a column fewer holds them: same rows, bigger tiles
			continue
		}
		tw := (w - gridGap*float32(c-1)) / float32(c)
		th := (h - gridGap*float32(r-1)) / float32(r)
		pw := min(tw, th*videoAspect) // the picture in the tile
		if pw > best+0.5 {
			best, cols, rows = pw, c, r
		}
	}
	return cols, rows
}

// Layout places the visible objects row by row.
func (gridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	vis := visible(objs)
	cols, rows := gridShape(len(vis), size.Width, size.Height)
	if cols == 0 {
		return
	}
	tw := (size.Width - gridGap*float32(cols-1)) / float32(cols)
	th := (size.Height - gridGap*float32(rows-1)) / float32(rows)
	for i, o := range vis {
		c, r := i%cols, i/cols
		o.Move(fyne.NewPos(float32(c)*(tw+gridGap), float32(r)*(th+gridGap)))
		o.Resize(fyne.NewSize(tw, th))
	}
}

// MinSize lets the window shrink: tiles have no minimum of their own.
func (gridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(160, 90)
}

func visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	vis := make([]fyne.CanvasObject, 0, len(objs))
	for _, o := range objs {
		if o.Visible() {
			vis = append(vis, o)
		}
	}
	return vis
}

// gridSlot is the place, among n tiles laid out in size, of the tile
// under pos: the nearest one when pos is in a gap or outside.
func gridSlot(n int, size fyne.Size, pos fyne.Position) int {
	cols, rows := gridShape(n, size.Width, size.Height)
	if cols == 0 {
		return -1
	}
	tw := (size.Width - gridGap*float32(cols-1)) / float32(cols)
	th := (size.Height - gridGap*float32(rows-1)) / float32(rows)
	c := min(max(int(pos.X/(tw+gridGap)), 0), cols-1)
	r := min(max(int(pos.Y/(th+gridGap)), 0), rows-1)
	return min(r*cols+c, n-1)
}
