package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/camdeck/camdeck/player/motion"
)

// motionFlags are the detector's settings, for motion and record
// --on-motion.
type motionFlags struct {
	sensitivity int
	threshold   int
	minArea     float64 // percent of the watched picture
	minDuration time.Duration
	hold        time.Duration
	masks       maskList
}

// maskList is a repeatable --mask.
type maskList []motion.Polygon

func (m *maskList) String() string { return fmt.Sprint(len(*m), " masks") }

func (m *maskList) Set(s string) error {
	p, err := motion.ParsePolygon(s)
	if err != nil {
		return err
	}
	*m = append(*m, p)
	return nil
}

func (m *motionFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&m.sensitivity, "sensitivity", motion.DefaultSensitivity, "1 (large, strong changes only) to 10 (anything)")
	fs.IntVar(&m.threshold, "threshold", 0, "luma difference 1-255 that makes a pixel changed (default: the sensitivity's)")
	fs.Float64Var(&m.minArea, "min-area", 0, "percent of the picture that must change (default: the sensitivity's)")
	fs.DurationVar(&m.minDuration, "min-duration", motion.DefaultMinDuration, "how long motion must last to be an event")
	fs.DurationVar(&m.hold, "hold", motion.DefaultHold, "how long without motion ends an event")
	fs.Var(&m.masks, "mask", "an area to ignore: x0,y0,x1,y1 (a rectangle) or x,y,x,y,x,y... (a polygon),\n"+
		"in fractions 0-1 of the picture from the top left; repeat for more")
}

// detector makes a detector with the flags' settings.
func (m *motionFlags) detector() (*motion.Detector, error) {
	if m.sensitivity < 1 || m.sensitivity > 10 {
		return nil, usageErrorf("--sensitivity %d: from 1 to 10", m.sensitivity)
	}
	if m.threshold < 0 || m.threshold > 255 || m.minArea < 0 || m.minArea > 100 {
		return nil, usageErrorf("--threshold %d --min-area %g: a threshold is 0-255, an area 0-100 %%", m.threshold, m.minArea)
	}
	if m.minDuration < 0 || m.hold < 0 {
		return nil, usageErrorf("--min-duration %v --hold %v: a duration cannot be negative", m.minDuration, m.hold)
	}
	return &motion.Detector{
		Sensitivity: m.sensitivity, Threshold: m.threshold, MinArea: m.minArea / 100,
		MinDuration: max(m.minDuration, time.Nanosecond), Hold: max(m.hold, time.Nanosecond),
		Mask: m.masks,
	}, nil
}

// eventLine is an event as the commands print it: one JSON object a line.
type eventLine struct {
	Camera string   `json:"camera"`
	Start  string   `json:"start"`
	End    string   `json:"end"`
	Score  float64  `json:"score"`
	Box    eventBox `json:"box"`
	File   string   `json:"file,omitempty"`
}

type eventBox struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// eventTime is RFC 3339 with milliseconds: a tenth of an analysis step.
const eventTime = "2006-01-02T15:04:05.000Z07:00"

// round4 keeps four decimals of a share: a pixel of 160x90 is 0.00007.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func newEventLine(camera string, e motion.Event, file string) string {
	l := eventLine{
		Camera: camera, Start: e.Start.Format(eventTime), End: e.End.Format(eventTime),
		Score: round4(e.Score),
		Box:   eventBox{round4(e.Box.X), round4(e.Box.Y), round4(e.Box.W), round4(e.Box.H)},
		File:  file,
	}
	b, _ := json.Marshal(l) // strings and numbers only
	return strings.TrimSpace(string(b))
}
