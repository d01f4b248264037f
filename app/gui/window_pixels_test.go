package gui

import (
	"fmt"
	"image"
)

// tileRegions are where the two tiles of TestRealWindow are on the
// screen: the window (1280x760 at the top left, no window manager) puts
// two cameras one above the other right of the camera list. The regions
// keep clear of the toolbar, the list and the tiles' bars.
func tileRegions(b image.Rectangle) []image.Rectangle {
	return []image.Rectangle{
		image.Rect(300, 70, 1200, 370).Intersect(b),
		image.Rect(300, 430, 1200, 730).Intersect(b),
	}
}

// tilesShowVideo tells why a screenshot does not show video in every
// tile: blank, black, or a single colour.
func tilesShowVideo(img image.Image) error {
	for i, r := range tileRegions(img.Bounds()) {
		colours := map[uint32]int{}
		bright, n := 0, 0
		for y := r.Min.Y; y < r.Max.Y; y += 2 {
			for x := r.Min.X; x < r.Max.X; x += 2 {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				cr, cg, cb = cr>>8, cg>>8, cb>>8
				colours[cr>>4<<8|cg>>4<<4|cb>>4]++
				if (cr*299+cg*587+cb*114)/1000 > 48 {
					bright++
				}
				n++
			}
		}
		top := 0
		for _, c := range colours {
			top = max(top, c)
		}
		switch {
		case n == 0:
			return fmt.Errorf("tile %d is off the screen", i+1)
		case bright < n/4:
			return fmt.Errorf("tile %d is black (%d%% bright)", i+1, bright*100/n)
		case len(colours) < 16 || top > n*9/10:
			return fmt.Errorf("tile %d is a single colour (%d colours)", i+1, len(colours))
		}
	}
	return nil
}
