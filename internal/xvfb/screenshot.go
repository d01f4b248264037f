package xvfb

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// grabTimeout bounds one screen grab: ImageMagick's import takes a few
// hundred milliseconds for a 1280x800 screen, far longer when the machine
// is busy.
const grabTimeout = 30 * time.Second

// Screenshot grabs the whole screen (X11 GetImage through ImageMagick's
// import), writes it to path as PNG, which is kept to look at when a test
// fails, and returns it decoded.
func (s *Server) Screenshot(path string) (image.Image, error) {
	if s.display == "" {
		return nil, errNotStarted
	}
	ctx, cancel := context.WithTimeout(context.Background(), grabTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "import", "-window", "root", "png:"+path)
	cmd.Env = append(os.Environ(), s.Env())
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("xvfb: import: %w: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("xvfb: %w", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("xvfb: %s: %w", filepath.Base(path), err)
	}
	return img, nil
}

// changeThreshold is how far apart (the sum over R, G and B, 16-bit) two
// pixels must be to count as changed: above the noise of scaling and
// dithering, well below the difference between two frames of video.
const changeThreshold = 3 * 16 << 8

// Changed is the fraction of the pixels of r that differ between a and
// b: video that plays changes, a frozen picture does not.
func Changed(a, b image.Image, r image.Rectangle) float64 {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	diff, n := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			if absDiff(ar, br)+absDiff(ag, bg)+absDiff(ab, bb) > changeThreshold {
				diff++
			}
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(diff) / float64(n)
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
