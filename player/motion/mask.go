package motion

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Point is a position in fractions of the picture (0 to 1).
type Point struct {
	X, Y float64
}

// Polygon is an area to ignore (a tree, a road), its corners in fractions
// of the picture so that a mask drawn on a still holds at any resolution.
type Polygon []Point

// Rect is the polygon of the rectangle from (x0, y0) to (x1, y1).
func Rect(x0, y0, x1, y1 float64) Polygon {
	return Polygon{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// ErrBadMask is returned by ParsePolygon.
var ErrBadMask = errors.New("motion: a mask is x0,y0,x1,y1 (a rectangle) or x,y,x,y,x,y... (a polygon), in fractions 0-1")

// ParsePolygon reads a mask as the command line gives it: four numbers
// are a rectangle's corners, six or more a polygon's.
func ParsePolygon(s string) (Polygon, error) {
	f := strings.Split(s, ",")
	if len(f) < 4 || len(f)%2 != 0 {
		return nil, fmt.Errorf("%w: %q", ErrBadMask, s)
	}
	v := make([]float64, len(f))
	for i, x := range f {
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || n < 0 || n > 1 {
			return nil, fmt.Errorf("%w: %q", ErrBadMask, s)
		}
		v[i] = n
	}
	if len(v) == 4 {
		if v[2] <= v[0] || v[3] <= v[1] {
			return nil, fmt.Errorf("%w: %q is an empty rectangle", ErrBadMask, s)
		}
		return Rect(v[0], v[1], v[2], v[3]), nil
	}
	p := make(Polygon, 0, len(v)/2)
	for i := 0; i < len(v); i += 2 {
		p = append(p, Point{v[i], v[i+1]})
	}
	return p, nil
}

// contains tells whether (x, y) is inside p (even-odd rule).
func (p Polygon) contains(x, y float64) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		a, b := p[i], p[j]
		if (a.Y > y) != (b.Y > y) && x < (b.X-a.X)*(y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// rasterize returns, for each pixel of a w x h picture, whether its centre
// is outside every polygon of mask.
func rasterize(mask []Polygon, w, h int) []bool {
	watch := make([]bool, w*h)
	for y := range h {
		fy := (float64(y) + 0.5) / float64(h)
		for x := range w {
			fx := (float64(x) + 0.5) / float64(w)
			ok := true
			for _, p := range mask {
				if p.contains(fx, fy) {
					ok = false
					break
				}
			}
			watch[y*w+x] = ok
		}
	}
	return watch
}
