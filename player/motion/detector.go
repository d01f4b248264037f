// Package motion finds moving objects in a camera's picture: it compares
// small grey pictures (about 160 pixels wide, a few a second, from the
// decoder) with a background that adapts, and turns what changes into
// events with a start, an end, a peak score and a box. It has no cgo: the
// decoder does the scaling, this package only counts pixels.
package motion

import (
	"image"
	"math"
	"time"
)

// Event is one stretch of motion.
type Event struct {
	// Start is when the motion was first seen (not when it was confirmed,
	// MinDuration later).
	Start time.Time
	// End is the last analysis that saw motion; zero while the event goes on.
	End time.Time
	// Score is the peak share of the watched picture (outside the masks)
	// that changed, 0 to 1.
	Score float64
	// Box is the union of the changed areas, in fractions of the picture.
	Box Box
}

// Box is a rectangle in fractions of the picture (0 to 1, x to the right,
// y down), so it holds at any resolution.
type Box struct {
	X, Y, W, H float64
}

// Defaults, each with its reason.
const (
	// DefaultSensitivity is the middle of the 1-10 scale.
	DefaultSensitivity = 5
	// DefaultInterval is 5 analyses a second: an object crossing a
	// picture takes a second or more, so 0.2 s steps find its start well
	// within the 0.5 s asked, and the cost stays a few hundred
	// microseconds a second.
	DefaultInterval = 200 * time.Millisecond
	// DefaultMinDuration is three analyses in a row: one or two changed
	// pictures are more often an encoder's glitch, a bird or a
	// reconnection's first frame than something worth an event.
	DefaultMinDuration = 400 * time.Millisecond
	// DefaultHold keeps an event open through short pauses (a person who
	// stops for a moment) so that one visit is one event.
	DefaultHold = 2 * time.Second
	// DefaultAdapt is the background's time constant: light that changes
	// over tens of seconds (clouds, dusk) is absorbed before it counts,
	// and an object that stops moving becomes background after some
	// multiple of it.
	DefaultAdapt = 5 * time.Second
	// DefaultGlobal is the share of the picture beyond which a change is
	// the light (a lamp, the camera's day/night switch, auto exposure),
	// not an object: a person that close to the lens fills less.
	DefaultGlobal = 0.5
	// foregroundSlowdown is how much slower the background follows pixels
	// that are changed: a slow object is not absorbed while it is there,
	// yet something that stays (a parked car) fades in after a few minutes.
	foregroundSlowdown = 16
	// minNeighbours is how many of a changed pixel's four neighbours must
	// have changed too for it to count: sensor noise and compression
	// speckle are single pixels, an object is a blob.
	minNeighbours = 2
)

// Threshold and MinArea per sensitivity 1-10 (index 0 is unused). The
// threshold is a luma difference on 0-255: 25 at the default is about ten
// times the noise left after the 4x4 averaging of a 640-wide picture to
// 160 (sensor noise of +-12 levels averages to about 2), and below the
// contrast of most objects against most backgrounds. MinArea is a share of
// the watched picture: 0.2 % at the default is about 29 pixels of 160x90,
// a person 30 m away in a 90-degree view.
var (
	sensitivityThreshold = [11]int{0, 45, 40, 35, 30, 25, 22, 19, 16, 13, 10}
	sensitivityMinArea   = [11]float64{0, 0.02, 0.012, 0.008, 0.004, 0.002, 0.0015, 0.001, 0.0007, 0.0005, 0.0003}
)

// Detector finds motion in a sequence of grey pictures. It is used by one
// goroutine; Feed and Flush call OnStart and OnEnd on it.
type Detector struct {
	// Sensitivity from 1 (only large, strong changes) to 10 (anything).
	// It sets Threshold and MinArea when they are zero.
	// It defaults to DefaultSensitivity.
	Sensitivity int
	// Threshold is the luma difference (0-255) from the background that
	// makes a pixel changed. It defaults to Sensitivity's.
	Threshold int
	// MinArea is the share of the watched picture that must change for
	// motion. It defaults to Sensitivity's.
	MinArea float64
	// MinDuration is how long motion must last before an event starts.
	// It defaults to DefaultMinDuration.
	MinDuration time.Duration
	// Hold is how long without motion ends an event.
	// It defaults to DefaultHold.
	Hold time.Duration
	// Interval is the least time between analyses; pictures that come
	// sooner are skipped. It defaults to DefaultInterval.
	Interval time.Duration
	// Adapt is the background's time constant.
	// It defaults to DefaultAdapt.
	Adapt time.Duration
	// Global is the share of the watched picture beyond which a change is
	// taken for the light, not motion: the background is reset to the new
	// picture. It defaults to DefaultGlobal.
	Global float64
	// Mask lists areas to ignore, in fractions of the picture.
	Mask []Polygon
	// OnStart is called when an event starts (its End is zero).
	OnStart func(Event)
	// OnEnd is called when an event ends.
	OnEnd func(Event)

	w, h    int
	bg      []float32 // background luma
	watch   []bool    // outside the masks
	watched int       // pixels outside the masks
	changed []bool
	last    time.Time // the last analysis

	pending    time.Time // first analysis of motion not yet an event; zero if none
	pendScore  float64
	pendBox    image.Rectangle
	cur        *Event // the open event
	curBox     image.Rectangle
	lastMotion time.Time

	// Stats.
	analyses, globals int
}

// Stats counts what the detector did.
type Stats struct {
	// Analyses is the pictures compared with the background.
	Analyses int
	// Globals is the analyses taken for a change of light.
	Globals int
}

// Stats returns the counters.
func (d *Detector) Stats() Stats {
	return Stats{Analyses: d.analyses, Globals: d.globals}
}

func (d *Detector) sensitivity() int {
	s := d.Sensitivity
	if s == 0 {
		s = DefaultSensitivity
	}
	return min(max(s, 1), 10)
}

func (d *Detector) threshold() float32 {
	if d.Threshold > 0 {
		return float32(d.Threshold)
	}
	return float32(sensitivityThreshold[d.sensitivity()])
}

func (d *Detector) minArea() float64 {
	if d.MinArea > 0 {
		return d.MinArea
	}
	return sensitivityMinArea[d.sensitivity()]
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Feed analyses a grey picture of w x h pixels (row r at pix[r*stride:])
// taken at the given time, unless it comes less than Interval after the
// last analysis. A change of size restarts the background.
func (d *Detector) Feed(pix []byte, w, h, stride int, at time.Time) {
	if w <= 0 || h <= 0 || len(pix) < (h-1)*stride+w {
		return
	}
	if !d.last.IsZero() && at.Sub(d.last) < orDefault(d.Interval, DefaultInterval) && w == d.w && h == d.h {
		return
	}
	dt := at.Sub(d.last)
	d.last = at
	if w != d.w || h != d.h || d.bg == nil {
		d.reset(pix, w, h, stride)
		return
	}
	d.analyses++

	n, box := d.compare(pix, stride)
	frac := 0.0
	if d.watched > 0 {
		frac = float64(n) / float64(d.watched)
	}
	if frac >= orDefault(d.Global, DefaultGlobal) {
		// The light changed: start again from this picture. An event that
		// was open neither ends nor grows on a picture that says nothing
		// about objects.
		d.globals++
		d.copyBackground(pix, stride)
		d.pending = time.Time{}
		d.expire(at)
		return
	}
	d.adapt(pix, stride, dt)

	if frac < d.minArea() {
		d.pending = time.Time{}
		d.expire(at)
		return
	}
	d.lastMotion = at
	if d.cur != nil {
		d.cur.Score = max(d.cur.Score, frac)
		d.curBox = d.curBox.Union(box)
		return
	}
	if d.pending.IsZero() {
		d.pending, d.pendScore, d.pendBox = at, frac, box
	} else {
		d.pendScore = max(d.pendScore, frac)
		d.pendBox = d.pendBox.Union(box)
	}
	if at.Sub(d.pending) >= orDefault(d.MinDuration, DefaultMinDuration) {
		d.cur = &Event{Start: d.pending, Score: d.pendScore}
		d.curBox = d.pendBox
		d.pending = time.Time{}
		if d.OnStart != nil {
			d.OnStart(d.event())
		}
	}
}

// expire ends the open event when it has seen no motion for Hold.
func (d *Detector) expire(at time.Time) {
	if d.cur != nil && at.Sub(d.lastMotion) >= orDefault(d.Hold, DefaultHold) {
		d.end()
	}
}

// Reset ends the open event and forgets the background: the next
// picture starts a new one (after a reconnection, the view may differ).
func (d *Detector) Reset() {
	d.Flush()
	d.bg = nil
	d.last = time.Time{}
}

// Flush ends the open event, if any (the stream ended).
func (d *Detector) Flush() {
	d.pending = time.Time{}
	if d.cur != nil {
		d.end()
	}
}

func (d *Detector) end() {
	d.cur.End = d.lastMotion
	ev := d.event()
	d.cur = nil
	if d.OnEnd != nil {
		d.OnEnd(ev)
	}
}

// event is the open event with its box in fractions.
func (d *Detector) event() Event {
	ev := *d.cur
	b := d.curBox
	ev.Box = Box{
		X: float64(b.Min.X) / float64(d.w), Y: float64(b.Min.Y) / float64(d.h),
		W: float64(b.Dx()) / float64(d.w), H: float64(b.Dy()) / float64(d.h),
	}
	return ev
}

// reset starts the background from pix at a new size; an open event ends.
func (d *Detector) reset(pix []byte, w, h, stride int) {
	if d.cur != nil {
		d.end()
	}
	d.pending = time.Time{}
	d.w, d.h = w, h
	d.bg = make([]float32, w*h)
	d.changed = make([]bool, w*h)
	d.watch = rasterize(d.Mask, w, h)
	d.watched = 0
	for _, ok := range d.watch {
		if ok {
			d.watched++
		}
	}
	d.copyBackground(pix, stride)
}

func (d *Detector) copyBackground(pix []byte, stride int) {
	for y := range d.h {
		row := pix[y*stride : y*stride+d.w]
		bg := d.bg[y*d.w : (y+1)*d.w]
		for x, v := range row {
			bg[x] = float32(v)
		}
	}
}

// compare marks the watched pixels that differ from the background by the
// threshold and returns how many of them count (they have minNeighbours
// changed neighbours) and their bounding box.
func (d *Detector) compare(pix []byte, stride int) (int, image.Rectangle) {
	thr := d.threshold()
	w, h := d.w, d.h
	for y := range h {
		row := pix[y*stride : y*stride+w]
		bg := d.bg[y*w : (y+1)*w]
		ch := d.changed[y*w : (y+1)*w]
		watch := d.watch[y*w : (y+1)*w]
		for x, v := range row {
			diff := float32(v) - bg[x]
			ch[x] = watch[x] && (diff >= thr || -diff >= thr)
		}
	}
	n := 0
	box := image.Rectangle{Min: image.Pt(w, h)}
	for y := range h {
		for x := range w {
			i := y*w + x
			if !d.changed[i] {
				continue
			}
			nb := 0
			if x > 0 && d.changed[i-1] {
				nb++
			}
			if x < w-1 && d.changed[i+1] {
				nb++
			}
			if y > 0 && d.changed[i-w] {
				nb++
			}
			if y < h-1 && d.changed[i+w] {
				nb++
			}
			if nb < minNeighbours {
				continue
			}
			n++
			box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
			box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
		}
	}
	if n == 0 {
		return 0, image.Rectangle{}
	}
	return n, box
}

// adapt moves the background towards pix by the share of Adapt that dt
// is; changed pixels follow foregroundSlowdown times slower.
func (d *Detector) adapt(pix []byte, stride int, dt time.Duration) {
	a := float32(1 - math.Exp(-dt.Seconds()/orDefault(d.Adapt, DefaultAdapt).Seconds()))
	if dt <= 0 {
		return
	}
	af := a / foregroundSlowdown
	w := d.w
	for y := range d.h {
		row := pix[y*stride : y*stride+w]
		bg := d.bg[y*w : (y+1)*w]
		ch := d.changed[y*w : (y+1)*w]
		for x, v := range row {
			k := a
			if ch[x] {
				k = af
			}
			bg[x] += k * (float32(v) - bg[x])
		}
	}
}
