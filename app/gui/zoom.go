package gui

import (
	"image"

	"fyne.io/fyne/v2"
)

// Digital zoom of the focused view. At zoom z the tile asks the decoder
// for frames z times the size it shows (no more than the stream's own),
// so the part on screen is cut from a picture of up to full resolution,
// not blown up from a tile-sized one.
const (
	zoomStep = 1.25 // one wheel notch, or + and −
	zoomMost = 8.0  // past this a 1080p picture shows blocks of pixels
)

// zoomState is where the focused view looks: its zoom, and the centre of
// what it shows, in fractions of the picture (0.5, 0.5 is the middle).
type zoomState struct {
	z      float64 // 1: the whole picture
	cx, cy float64
}

// zoomed tells whether the tile shows part of the picture.
func (t *tile) zoomed() bool { return t.zoom.z > 1 }

// setZoom zooms to z keeping the picture point at the fraction (fx, fy)
// of the tile's picture where it is on screen (the pointer, or the middle).
func (t *tile) setZoom(z, fx, fy float64) {
	z = min(max(z, 1), zoomMost)
	old := t.zoom
	if old.z == 0 {
		old = zoomState{z: 1, cx: 0.5, cy: 0.5}
	}
	// The point under (fx, fy) before: it stays under it after.
	px := old.cx + (fx-0.5)/old.z
	py := old.cy + (fy-0.5)/old.z
	t.zoom = zoomState{z: z, cx: px - (fx-0.5)/z, cy: py - (fy-0.5)/z}
	t.clampZoom()
	if t.feed != nil {
		t.feed.setOutputSize(t.outputSize())
	}
	t.reshow()
}

// zoomBy zooms in (n > 0) or out by n steps around the middle.
func (t *tile) zoomBy(n int) {
	z := max(t.zoom.z, 1)
	for ; n > 0; n-- {
		z *= zoomStep
	}
	for ; n < 0; n++ {
		z /= zoomStep
	}
	if z < 1.01 {
		z = 1
	}
	t.setZoom(z, 0.5, 0.5)
}

// resetZoom shows the whole picture again.
func (t *tile) resetZoom() {
	if t.zoom.z > 1 {
		t.setZoom(1, 0.5, 0.5)
	}
}

// clampZoom keeps what is shown inside the picture.
func (t *tile) clampZoom() {
	h := 0.5 / t.zoom.z
	t.zoom.cx = min(max(t.zoom.cx, h), 1-h)
	t.zoom.cy = min(max(t.zoom.cy, h), 1-h)
}

// pan moves the zoomed picture with a drag of d.
func (t *tile) pan(d fyne.Delta) {
	if !t.zoomed() {
		return
	}
	pw, ph := t.pictureSize()
	if pw <= 0 || ph <= 0 {
		return
	}
	t.zoom.cx -= float64(d.DX) / float64(pw) / t.zoom.z
	t.zoom.cy -= float64(d.DY) / float64(ph) / t.zoom.z
	t.clampZoom()
	t.reshow()
}

// Scrolled zooms the focused view around the pointer.
func (t *tile) Scrolled(e *fyne.ScrollEvent) {
	if t.cam.ui.focused != t.cam || e.Scrolled.DY == 0 {
		return
	}
	z := max(t.zoom.z, 1)
	if e.Scrolled.DY > 0 {
		z *= zoomStep
	} else {
		z /= zoomStep
	}
	if z < 1.01 {
		z = 1
	}
	fx, fy := t.pictureFraction(e.Position)
	t.setZoom(z, fx, fy)
}

// pictureSize is the size, in Fyne units, of the picture in the tile: the
// stream's aspect fitted in it.
func (t *tile) pictureSize() (float32, float32) {
	s := t.Size()
	if t.srcW <= 0 || t.srcH <= 0 {
		return s.Width, s.Height
	}
	w, h := s.Width, s.Width*float32(t.srcH)/float32(t.srcW)
	if h > s.Height {
		w, h = s.Height*float32(t.srcW)/float32(t.srcH), s.Height
	}
	return w, h
}

// pictureFraction is where p (in the tile) is in its picture, from 0 to 1.
func (t *tile) pictureFraction(p fyne.Position) (float64, float64) {
	s := t.Size()
	pw, ph := t.pictureSize()
	if pw <= 0 || ph <= 0 {
		return 0.5, 0.5
	}
	fx := float64(p.X-(s.Width-pw)/2) / float64(pw)
	fy := float64(p.Y-(s.Height-ph)/2) / float64(ph)
	return min(max(fx, 0), 1), min(max(fy, 0), 1)
}

// cropRect is the part of an image of size b that the zoom shows.
func (z zoomState) cropRect(b image.Rectangle) image.Rectangle {
	w, h := float64(b.Dx()), float64(b.Dy())
	cw, ch := max(int(w/z.z), 1), max(int(h/z.z), 1)
	x0 := min(max(int(z.cx*w)-cw/2, 0), b.Dx()-cw)
	y0 := min(max(int(z.cy*h)-ch/2, 0), b.Dy()-ch)
	return image.Rect(x0, y0, x0+cw, y0+ch).Add(b.Min)
}

// reshow draws the held frame again, cut to the zoom: at once on a zoom or
// a pan, not at the next frame.
func (t *tile) reshow() {
	src := t.shownImg.img
	if src == nil {
		return
	}
	if !t.zoomed() {
		t.img.Image = src
		t.img.Refresh()
		return
	}
	r := t.zoom.cropRect(src.Bounds())
	// Fyne uploads an RGBA's pixels as tightly packed rows, so the part
	// is copied out rather than taken as a sub-image. Two buffers take
	// turns: the one on screen is never written.
	t.cropTurn = 1 - t.cropTurn
	dst := t.crops[t.cropTurn]
	if dst == nil || dst.Rect.Dx() != r.Dx() || dst.Rect.Dy() != r.Dy() {
		dst = image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		t.crops[t.cropTurn] = dst
	}
	n := r.Dx() * 4
	for y := 0; y < r.Dy(); y++ {
		off := src.PixOffset(r.Min.X, r.Min.Y+y)
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+n], src.Pix[off:off+n])
	}
	t.img.Image = dst
	t.img.Refresh()
}
