package app

import (
	"fmt"
	"time"

	"github.com/camdeck/camdeck/player/motion"
	"github.com/camdeck/camdeck/recorder"
)

// Recording modes: what a camera records when camdeck starts, and
// whether the window looks for motion in it. The profile keeps them as
// AutoRecord and Motion.Mode, so that a profile file from before motion
// still means what it meant.
const (
	// RecordOff records only when asked (the record button).
	RecordOff = "off"
	// RecordContinuous records all the time from the start.
	RecordContinuous = "continuous"
	// RecordOnMotion records only around motion: from the pre-record
	// buffer before an event to the post-roll after it.
	RecordOnMotion = "motion"
	// RecordContinuousEvents records all the time and marks motion
	// events on the timeline.
	RecordContinuousEvents = "continuous+events"
)

// RecordModes are the modes in the order the editor lists them.
var RecordModes = []string{RecordOff, RecordContinuous, RecordOnMotion, RecordContinuousEvents}

// Motion detection modes (MotionSettings.Mode).
const (
	// MotionOff: no detector runs for the camera.
	MotionOff = ""
	// MotionEvents finds events, marks them and notifies; what is
	// recorded is AutoRecord's.
	MotionEvents = "events"
	// MotionRecord records around events only.
	MotionRecord = "record"
)

// MotionSettings is how a camera's motion is found and recorded. The zero
// value is off, with every other setting at its default.
type MotionSettings struct {
	// Mode is MotionOff, MotionEvents or MotionRecord.
	Mode string `json:"mode,omitempty"`
	// Sensitivity from 1 (large, strong changes only) to 10 (anything);
	// zero is motion.DefaultSensitivity.
	Sensitivity int `json:"sensitivity,omitempty"`
	// Pre is the video from before an event a file begins with; zero is
	// recorder.DefaultPre.
	Pre Duration `json:"pre,omitempty"`
	// Post is how long a file goes on after the motion ends; zero is
	// recorder.DefaultPost.
	Post Duration `json:"post,omitempty"`
	// PreMB caps the pre-record buffer's memory in MB; zero is
	// recorder.DefaultPreBytes.
	PreMB int `json:"pre_mb,omitempty"`
	// Masks are areas to ignore: each a polygon's corners as x,y pairs in
	// fractions (0-1) of the picture from the top left.
	Masks [][]float64 `json:"masks,omitempty"`
	// Quiet turns the desktop notifications of events off.
	Quiet bool `json:"quiet,omitempty"`
}

// RecordMode is the profile's recording mode, one of RecordModes.
func (p *Profile) RecordMode() string {
	switch {
	case p.Motion.Mode == MotionRecord:
		return RecordOnMotion
	case p.AutoRecord && p.Motion.Mode == MotionEvents:
		return RecordContinuousEvents
	case p.AutoRecord:
		return RecordContinuous
	}
	return RecordOff
}

// SetRecordMode sets AutoRecord and Motion.Mode for mode. Off keeps a
// detector that only marks events (MotionEvents without AutoRecord), so
// that choosing off does not lose it.
func (p *Profile) SetRecordMode(mode string) error {
	switch mode {
	case RecordOff:
		p.AutoRecord = false
		if p.Motion.Mode == MotionRecord {
			p.Motion.Mode = MotionOff
		}
	case RecordContinuous:
		p.AutoRecord, p.Motion.Mode = true, MotionOff
	case RecordOnMotion:
		p.AutoRecord, p.Motion.Mode = false, MotionRecord
	case RecordContinuousEvents:
		p.AutoRecord, p.Motion.Mode = true, MotionEvents
	default:
		return fmt.Errorf("recording mode %q: one of %v", mode, RecordModes)
	}
	return nil
}

// Check says what in the settings is out of range, or nil.
func (m *MotionSettings) Check() error {
	switch m.Mode {
	case MotionOff, MotionEvents, MotionRecord:
	default:
		return fmt.Errorf("motion mode %q: %q, %q or none", m.Mode, MotionEvents, MotionRecord)
	}
	if m.Sensitivity < 0 || m.Sensitivity > 10 {
		return fmt.Errorf("motion sensitivity %d: from 1 to 10", m.Sensitivity)
	}
	if m.Pre < 0 || m.Post < 0 || m.PreMB < 0 {
		return fmt.Errorf("motion pre %v, post %v, buffer %d MB: none can be negative", time.Duration(m.Pre), time.Duration(m.Post), m.PreMB)
	}
	_, err := m.Polygons()
	return err
}

// Polygons are the masks as the detector takes them.
func (m *MotionSettings) Polygons() ([]motion.Polygon, error) {
	var out []motion.Polygon
	for i, c := range m.Masks {
		if len(c) < 6 || len(c)%2 != 0 {
			return nil, fmt.Errorf("motion mask %d: %d numbers, not 3 or more x,y corners", i+1, len(c))
		}
		p := make(motion.Polygon, 0, len(c)/2)
		for j := 0; j < len(c); j += 2 {
			if c[j] < 0 || c[j] > 1 || c[j+1] < 0 || c[j+1] > 1 {
				return nil, fmt.Errorf("motion mask %d: corner %g,%g is outside 0-1", i+1, c[j], c[j+1])
			}
			p = append(p, motion.Point{X: c[j], Y: c[j+1]})
		}
		out = append(out, p)
	}
	return out, nil
}

// SetPolygons keeps ps as the masks.
func (m *MotionSettings) SetPolygons(ps []motion.Polygon) {
	m.Masks = nil
	for _, p := range ps {
		c := make([]float64, 0, 2*len(p))
		for _, pt := range p {
			c = append(c, pt.X, pt.Y)
		}
		m.Masks = append(m.Masks, c)
	}
}

// Detector is a detector with these settings (callbacks unset), or an
// error if a mask is malformed.
func (m *MotionSettings) Detector() (*motion.Detector, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	masks, _ := m.Polygons()
	return &motion.Detector{Sensitivity: m.Sensitivity, Mask: masks}, nil
}

// PreDuration, PostDuration and PreBytes are the settings, defaults
// applied.
func (m *MotionSettings) PreDuration() time.Duration {
	return orDefault(time.Duration(m.Pre), recorder.DefaultPre)
}
func (m *MotionSettings) PostDuration() time.Duration {
	return orDefault(time.Duration(m.Post), recorder.DefaultPost)
}
func (m *MotionSettings) PreBytes() int {
	if m.PreMB == 0 {
		return recorder.DefaultPreBytes
	}
	return m.PreMB << 20
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
