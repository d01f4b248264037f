package recorder

import "time"

// Thresholds of Clock.
const (
	// DriftTolerance is how far a camera's clock may wander from the
	// wallclock before the recording re-anchors to the wallclock: wide
	// enough that network jitter and TCP bursts after a stall (seconds at
	// worst) never trigger it, narrow enough that a slow or fast camera
	// clock cannot stretch or shrink a recording by more than this.
	DriftTolerance = 5 * time.Second
	// reorderWindow is how far back in time a frame may go relative to the
	// previous one in decoding order: B-frames reorder by a few frames,
	// never by a second.
	reorderWindow = time.Second
	// jumpSlack is how much more RTP time than wallclock time may pass
	// between two frames: a camera catching up after a hiccup sends frames
	// faster than real time, never a second ahead.
	jumpSlack = time.Second
	// flatSlack is how far frames stamped by arrival may stray from their
	// arrival: more than network jitter, less than a viewer notices.
	flatSlack = 200 * time.Millisecond
)

// Clock maps a camera's presentation times (RTP ticks) to a recording's
// timeline. The RTP clock gives the spacing of frames; the arrival
// wallclock anchors it. When the two disagree (the camera's timestamps
// jump forward or back, wrap, restart after a reboot, or drift past
// DriftTolerance) the clock re-anchors to the wallclock, never going back
// in time, so the file stays monotonic and its length matches the time
// that really passed; when RTP time does not advance at all, frames are
// stamped by their arrival. Map is called in decoding order.
type Clock struct {
	// Rate is the RTP clock, ticks per second. Required.
	Rate int64
	// Tolerance overrides DriftTolerance.
	Tolerance time.Duration

	started     bool
	wall0       time.Time // wallclock at mapped time 0
	offset      int64     // mapped = pts + offset
	prevPTS     int64
	prevArrival time.Time
	maxMapped   int64
	step        int64 // the smallest forward step seen: about a frame
	reanchors   int
	flat        int   // frames stamped by arrival: their RTP time did not advance
	flatStep    int64 // their mean arrival interval
}

func (c *Clock) ticks(d time.Duration) int64 {
	return int64(d) * c.Rate / int64(time.Second)
}

// Map returns the recording time of a frame, in Rate ticks from the first
// frame mapped.
func (c *Clock) Map(pts int64, arrival time.Time) int64 {
	if !c.started {
		c.started = true
		c.wall0, c.offset = arrival, -pts
		c.prevPTS, c.prevArrival = pts, arrival
		return 0
	}
	tol := c.Tolerance
	if tol == 0 {
		tol = DriftTolerance
	}
	d := pts - c.prevPTS
	w := c.ticks(arrival.Sub(c.prevArrival))
	elapsed := c.ticks(arrival.Sub(c.wall0))
	mapped := pts + c.offset
	drift := mapped - elapsed

	jumped := d < -c.ticks(reorderWindow) || d > w+c.ticks(jumpSlack) ||
		drift > c.ticks(tol) || drift < -c.ticks(tol)
	switch {
	case d == 0:
		// RTP time did not advance: no two frames present at once, so
		// the camera's clock is broken (some servers stamp a raw stream
		// once). Arrival times stamp the frames instead, smoothed to the
		// mean arrival interval so that network jitter does not make the
		// frame rate jitter; they anchor it within flatSlack.
		if c.flatStep == 0 {
			c.flatStep = max(w, 1)
		} else {
			c.flatStep += (w - c.flatStep) / 64
		}
		mapped = c.maxMapped + max(c.flatStep, 1)
		if mapped-elapsed > c.ticks(flatSlack) || elapsed-mapped > c.ticks(flatSlack) {
			mapped = max(elapsed, c.maxMapped+1)
		}
		c.offset = mapped - pts
		c.flat++
	case jumped:
		mapped = max(elapsed, c.maxMapped+max(c.step, 1))
		c.offset = mapped - pts
		c.reanchors++
	case d > 0 && (c.step == 0 || d < c.step):
		c.step = d
	}
	c.prevPTS, c.prevArrival = pts, arrival
	c.maxMapped = max(c.maxMapped, mapped)
	return mapped
}

// Offset converts another track's time, in Rate ticks on the same RTP
// timeline (gortsplib aligns a stream's tracks), to recording time.
func (c *Clock) Offset(pts int64) int64 {
	return pts + c.offset
}

// Wall is the wallclock time of a recording time.
func (c *Clock) Wall(mapped int64) time.Time {
	return c.wall0.Add(time.Duration(mapped * int64(time.Second) / c.Rate))
}

// Reanchors counts the times the clock re-anchored to the wallclock.
func (c *Clock) Reanchors() int {
	return c.reanchors
}

// Flat counts the frames stamped by their arrival because their RTP time
// had not advanced.
func (c *Clock) Flat() int {
	return c.flat
}
