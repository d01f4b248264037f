package app

import (
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/player/motion"
	"github.com/camdeck/camdeck/recorder"
)

func TestRecordModeRoundTrip(t *testing.T) {
	for _, mode := range RecordModes {
		p := DemoProfile()
		if err := p.SetRecordMode(mode); err != nil {
			t.Fatal(err)
		}
		data, err := Encode([]Profile{p})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := ps[0].RecordMode(); got != mode {
			t.Errorf("%s: read back as %s (%s)", mode, got, data)
		}
	}
	p := DemoProfile()
	if err := p.SetRecordMode("sometimes"); err == nil {
		t.Error("an unknown mode was accepted")
	}
	// A profile from before motion: auto_record alone is continuous, and
	// no "motion" key is written for it.
	ps, err := Decode([]byte(`{"version":1,"cameras":[{"name":"a","url":"rtsp://h/x","auto_record":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].RecordMode() != RecordContinuous {
		t.Errorf("old profile: %s", ps[0].RecordMode())
	}
	if data, _ := Encode(ps); strings.Contains(string(data), `"motion"`) {
		t.Errorf("motion written for a profile without it: %s", data)
	}
}

func TestMotionSettings(t *testing.T) {
	var m MotionSettings
	if m.PreDuration() != recorder.DefaultPre || m.PostDuration() != recorder.DefaultPost || m.PreBytes() != recorder.DefaultPreBytes {
		t.Errorf("defaults: %v %v %d", m.PreDuration(), m.PostDuration(), m.PreBytes())
	}
	m = MotionSettings{Mode: MotionRecord, Sensitivity: 7, Pre: Duration(3 * time.Second), PreMB: 4}
	m.SetPolygons([]motion.Polygon{motion.Rect(0, 0, 0.5, 0.25)})
	d, err := m.Detector()
	if err != nil {
		t.Fatal(err)
	}
	if d.Sensitivity != 7 || len(d.Mask) != 1 || len(d.Mask[0]) != 4 || d.Mask[0][2] != (motion.Point{X: 0.5, Y: 0.25}) {
		t.Errorf("detector %+v", d)
	}
	if m.PreDuration() != 3*time.Second || m.PreBytes() != 4<<20 {
		t.Errorf("%v %d", m.PreDuration(), m.PreBytes())
	}
	for _, bad := range []MotionSettings{
		{Mode: "always"},
		{Sensitivity: 11},
		{Post: Duration(-time.Second)},
		{Masks: [][]float64{{0, 0, 1, 1}}},         // two corners
		{Masks: [][]float64{{0, 0, 1, 0, 1, 1.5}}}, // outside the picture
	} {
		p := DemoProfile()
		p.Motion = bad
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
