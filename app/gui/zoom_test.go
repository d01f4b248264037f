package gui

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player/decode"
)

// quadrants is a w x h picture: red top left, green top right, blue
// bottom left, white bottom right.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 255, A: 255}
			switch {
			case x >= w/2 && y < h/2:
				c = color.RGBA{G: 255, A: 255}
			case x < w/2 && y >= h/2:
				c = color.RGBA{B: 255, A: 255}
			case x >= w/2:
				c = color.RGBA{R: 255, G: 255, B: 255, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// shownColour is the one colour of every pixel the tile shows, or false.
func shownColour(t *testing.T, tl *tile) (color.RGBA, image.Rectangle, bool) {
	t.Helper()
	img, ok := tl.img.Image.(*image.RGBA)
	if !ok || img == nil {
		t.Fatalf("the tile shows %T", tl.img.Image)
	}
	b := img.Bounds()
	first := img.RGBAAt(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.RGBAAt(x, y) != first {
				return first, b, false
			}
		}
	}
	return first, b, true
}

// TestFocusZoom: in the focused view the wheel zooms around the pointer,
// a drag pans, 0 shows all; the part shown is cut from the frame, and the
// decoder is asked for frames as large as the zoom needs, up to the
// stream's full size; going back to the grid unzooms.
func TestFocusZoom(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	h.liveAll()
	c := h.ui.cams[0]
	tl := c.tile
	h.ui.toggleFocus(c)
	h.q.drain()
	slot := tl.feed.slot
	frame := quadrants(1920, 1080)
	slot.Put(&decode.Frame{Image: frame, SourceWidth: 1920, SourceHeight: 1080})
	tl.present(slot)
	if tl.img.Image != frame {
		t.Fatal("unzoomed, the tile does not show the whole frame")
	}
	fitW := tl.feed.outW
	if fitW <= 0 || fitW >= 1920 {
		t.Fatalf("unzoomed, the decoder is asked for %d wide frames", fitW)
	}

	// The wheel over the picture's top left quarter: the red quadrant.
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(tl)
	pw, ph := tl.pictureSize()
	s := tl.Size()
	quarter := at.Add(fyne.NewPos((s.Width-pw)/2+pw/4, (s.Height-ph)/2+ph/4))
	for range 4 {
		test.Scroll(h.win.Canvas(), quarter, 0, 10)
	}
	if z := tl.zoom.z; z < 2.4 || z > 2.5 {
		t.Fatalf("zoom %.2f after 4 notches, want 1.25^4", z)
	}
	if col, b, one := shownColour(t, tl); !one || col.R != 255 || col.G != 0 || b.Dx() != int(1920/tl.zoom.z) {
		t.Fatalf("zoomed on the top left: one colour %v %v, %v of the frame", one, col, b)
	}
	if w := tl.feed.outW; w <= fitW || w > 1920 {
		t.Fatalf("zoomed, the decoder is asked for %d wide frames (unzoomed %d)", w, fitW)
	}

	// A drag to the left by one and a half pictures: the green quadrant.
	test.Drag(h.win.Canvas(), quarter, -1.5*pw, 0)
	if col, _, one := shownColour(t, tl); !one || col.G != 255 || col.R != 0 {
		t.Fatalf("panned right: one colour %v %v", one, col)
	}

	// + to the most: the stream's full size is asked for.
	for range 12 {
		h.ui.typedRune('+')
	}
	if tl.zoom.z != zoomMost || tl.feed.outW != 1920 || tl.feed.outH != 1080 {
		t.Fatalf("zoom %.2f asks for %dx%d, want the full 1920x1080", tl.zoom.z, tl.feed.outW, tl.feed.outH)
	}
	h.ui.typedRune('0')
	if tl.zoomed() || tl.img.Image != frame || tl.feed.outW != fitW {
		t.Fatalf("0: zoom %.2f, asks for %d wide", tl.zoom.z, tl.feed.outW)
	}

	// Zoom is the focused view's: the grid shows all of the picture.
	h.ui.typedRune('+')
	h.ui.unfocus()
	if tl.zoomed() {
		t.Fatal("still zoomed in the grid")
	}
	test.Scroll(h.win.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(tl).Add(fyne.NewPos(50, 50)), 0, 10)
	if tl.zoomed() {
		t.Fatal("the wheel zooms a tile in the grid")
	}
	h.ui.bg.Wait()
}
