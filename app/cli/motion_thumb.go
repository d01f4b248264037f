package cli

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/camdeck/camdeck/recorder"
)

// thumbWidth is an event thumbnail's width: a list row's picture, and a
// few tens of kilobytes of JPEG whatever the camera's resolution.
const thumbWidth = 320

// thumbWait bounds the wait for the decoder's next frame.
const thumbWait = 5 * time.Second

// eventThumbnail takes a picture of the camera with snap, scales it down
// to thumbWidth and writes it as dir/CAMERA_motion_DATE_TIME.jpg. It
// returns the path, or "" after telling warn why not.
func eventThumbnail(snap func(context.Context) (*image.RGBA, error), dir, camera string, start time.Time, warn func(error)) string {
	ctx, cancel := context.WithTimeout(context.Background(), thumbWait)
	defer cancel()
	img, err := snap(ctx)
	if err != nil {
		warn(err)
		return ""
	}
	path := recorder.SnapshotPath(dir, camera+"_motion", start)
	if err := recorder.WriteJPEG(path, shrink(img, thumbWidth), recorder.SnapshotQuality); err != nil {
		warn(fmt.Errorf("%s: %w", path, err))
		return ""
	}
	return path
}

// shrink scales img down by a whole factor to at most w wide, averaging
// the pixels under each new one.
func shrink(img *image.RGBA, w int) *image.RGBA {
	b := img.Bounds()
	f := (b.Dx() + w - 1) / w
	if f <= 1 {
		return img
	}
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/f, b.Dy()/f))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			var sum [4]int
			for dy := range f {
				row := img.Pix[(y*f+dy)*img.Stride+x*f*4:]
				for dx := range f {
					for c := range 4 {
						sum[c] += int(row[dx*4+c])
					}
				}
			}
			o := out.Pix[y*out.Stride+x*4:]
			for c := range 4 {
				o[c] = byte(sum[c] / (f * f))
			}
		}
	}
	return out
}
