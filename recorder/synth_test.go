package recorder

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// synth drives a Recorder with the demo clip's frames as units, without a
// network: arrival times are made up, PTS follow the clip (or a test's
// rule), and the files are read back with mediacommon's fMP4 reader.
type synth struct {
	t     *testing.T
	rec   *Recorder
	clip  *democam.Clip
	track *player.Track
	t0    time.Time // arrival of the first frame
	fps   float64
	n     int // frames fed so far
	// pts, when set, stamps frame i instead of the clip's timestamps.
	pts func(i int) int64
	// late, when set, delays frame i's arrival (a stall on a busy machine).
	late func(i int) time.Duration

	events
}

// events is what a Recorder reported through its callbacks, for a test
// to read under mu: the synth's and the fixture's.
type events struct {
	mu      sync.Mutex
	opened  []string    // segments opened, in order
	opens   []time.Time // and when each starts
	done    []string    // segments finished
	errs    []error
	limited int // times the duration limit was reached
}

// listen makes rec report to e.
func (e *events) listen(rec *Recorder) {
	rec.OnSegmentOpen = func(path string, start time.Time) {
		e.mu.Lock()
		e.opened, e.opens = append(e.opened, path), append(e.opens, start)
		e.mu.Unlock()
	}
	rec.OnSegment = func(path string, _ time.Duration) {
		e.mu.Lock()
		e.done = append(e.done, path)
		e.mu.Unlock()
	}
	rec.OnError = func(err error) {
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	}
	rec.OnLimit = func() {
		e.mu.Lock()
		e.limited++
		e.mu.Unlock()
	}
}

// errors is a copy of the errors reported so far.
func (e *events) errors() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.errs...)
}

func newSynth(t *testing.T, rec *Recorder) *synth {
	t.Helper()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	return newSynthClip(t, rec, clip)
}

// newSynthClip is newSynth with another clip.
func newSynthClip(t *testing.T, rec *Recorder, clip *democam.Clip) *synth {
	t.Helper()
	s := &synth{t: t, rec: rec, clip: clip, fps: clip.FPS(), t0: time.Now()}
	s.track = &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height, FPS: clip.FPS()}
	if rec.Dir == "" {
		rec.Dir = t.TempDir()
	}
	if rec.Camera == "" {
		rec.Camera = "cam"
	}
	s.listen(rec)
	t.Cleanup(rec.Close)
	rec.OnStream([]*player.Track{s.track})
	return s
}

// arrival is when frame i arrives: at the clip's frame rate from t0.
func (s *synth) arrival(i int) time.Time {
	at := s.t0.Add(time.Duration(float64(i) * float64(time.Second) / s.fps))
	if s.late != nil {
		at = at.Add(s.late(i))
	}
	return at
}

// unit is frame i of the looped clip, with its PTS and arrival.
func (s *synth) unit(i int) *player.Unit {
	k, loop := i%len(s.clip.Frames), int64(i/len(s.clip.Frames))
	fr := &s.clip.Frames[k]
	pts := fr.PTS + loop*s.clip.Duration
	if s.pts != nil {
		pts = s.pts(i)
	}
	return &player.Unit{Track: s.track, Data: fr.NALUs, PTS: pts, Arrival: s.arrival(i), Key: fr.Key}
}

// feed delivers the next n frames.
func (s *synth) feed(n int) {
	for range n {
		s.rec.OnUnit(s.unit(s.n))
		s.n++
	}
}

// files lists the camera's recordings, oldest first.
func (s *synth) files() []string {
	m, _ := filepath.Glob(filepath.Join(s.rec.Dir, s.rec.Camera, "*.mp4"))
	sort.Strings(m)
	return m
}

// readParts reads a recording with mediacommon: its init and its parts
// (the prft box in front of the first is skipped).
func readParts(t *testing.T, file string) (*fmp4.Init, fmp4.Parts) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	top, err := readBoxes(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var init fmp4.Init
	var parts fmp4.Parts
	off := 0
	for i, b := range top {
		size := 8 + len(b.body)
		switch b.typ {
		case "moov":
			if err := init.Unmarshal(bytes.NewReader(data[:off+size])); err != nil {
				t.Fatalf("%s: init: %v", file, err)
			}
		case "moof":
			if i+1 >= len(top) || top[i+1].typ != "mdat" {
				t.Fatalf("%s: a moof without its mdat", file)
			}
			end := off + size + 8 + len(top[i+1].body)
			var ps fmp4.Parts
			if err := ps.Unmarshal(data[off:end]); err != nil {
				t.Fatalf("%s: part at %d: %v", file, off, err)
			}
			parts = append(parts, ps...)
		}
		off += size
	}
	return &init, parts
}

// videoSamples flattens the video track's samples with their decode times.
type timedSample struct {
	dts int64
	*fmp4.Sample
}

func videoSamples(parts fmp4.Parts) []timedSample {
	var out []timedSample
	for _, p := range parts {
		for _, tr := range p.Tracks {
			if tr.ID != 1 {
				continue
			}
			dts := int64(tr.BaseTime)
			for _, s := range tr.Samples {
				out = append(out, timedSample{dts, s})
				dts += int64(s.Duration)
			}
		}
	}
	return out
}
