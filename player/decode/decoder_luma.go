package decode

import (
	"image"
	"time"

	"github.com/camdeck/camdeck/player"
)

// Luma is a small grey copy of a decoded picture, for motion detection.
type Luma struct {
	// Image is the luma scaled to LumaWidth; it is reused for the next
	// picture once the callback returns.
	Image *image.Gray
	// PTS is the picture's presentation time in the stream.
	PTS time.Duration
	// Wallclock is when the picture was taken, as far as the receiver
	// knows: its unit's arrival, less the decoder's reordering delay.
	Wallclock time.Time
}

// Luma defaults.
const (
	// DefaultLumaWidth is enough to see a person across a street and
	// small enough (14 400 pixels at 16:9) that comparing costs little.
	DefaultLumaWidth = 160
	// DefaultLumaInterval gives 5 pictures a second of stream time.
	DefaultLumaInterval = 200 * time.Millisecond
	// lumaFilter averages the pixels under each output pixel, which also
	// averages sensor noise away (4x4 pixels from 640 wide).
	lumaFilter = swsArea
)

// lumaState is the decoder's luma output, owned by its goroutine.
type lumaState struct {
	sc      scaler
	img     *image.Gray
	lastPTS int64 // frame PTS of the last picture given, in the track's clock
	given   bool
}

// luma gives the decoded frame to d.Luma when LumaInterval of stream time
// passed since the last one (or the stream went back).
func (d *Decoder) luma(u *player.Unit) {
	if d.Luma == nil {
		return
	}
	pts := d.frame.Pts()
	rate := u.Track.ClockRate
	every := d.LumaInterval
	if every <= 0 {
		every = DefaultLumaInterval
	}
	if d.ls.given && pts >= d.ls.lastPTS && player.TicksDuration(pts-d.ls.lastPTS, rate) < every {
		return
	}
	sw, sh := d.frame.Width(), d.frame.Height()
	if sw <= 0 || sh <= 0 {
		return
	}
	w := d.LumaWidth
	if w <= 0 {
		w = DefaultLumaWidth
	}
	w = min(w, sw)
	h := max((w*sh+sw/2)/sw, 1)
	if d.ls.img == nil || d.ls.img.Rect.Dx() != w || d.ls.img.Rect.Dy() != h {
		d.ls.img = image.NewGray(image.Rect(0, 0, w, h))
	}
	if err := d.ls.sc.gray(d.frame.UnsafePointer(), d.ls.img, lumaFilter); err != nil {
		d.stats.errors.Add(1)
		return
	}
	d.ls.given, d.ls.lastPTS = true, pts
	// A frame decoded from a later unit (B-frames) was taken earlier.
	lag := player.TicksDuration(u.PTS-pts, rate)
	d.Luma(Luma{
		Image:     d.ls.img,
		PTS:       player.TicksDuration(pts, rate),
		Wallclock: u.Arrival.Add(-max(lag, 0)),
	})
}
