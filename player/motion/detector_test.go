package motion

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// scene draws synthetic luma pictures of 160x90: vertical bars of eight
// greys, sensor noise of +-noise levels, a brightness offset and boxes.
type scene struct {
	noise  int
	bright func(t float64) float64 // offset in levels at t seconds
	boxes  []box
	n      int // pictures drawn
}

// noiseTable holds the noise the scenes add, drawn once: a random number
// per pixel per picture would cost most of the tests' time under -race.
var noiseTable = func() []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	t := make([]float64, 1<<16+1)
	for i := range t {
		t[i] = rng.Float64()*2 - 1
	}
	return t
}()

// box is a square of side s whose top left is at (x(t), y) while t is in
// [from, to); its left half is white, its right half black, so it shows
// against any bar.
type box struct {
	from, to float64
	x        func(t float64) float64
	y, s     int
}

const sw, sh = 160, 90

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (s *scene) frame(t float64, pix []byte) {
	s.n++
	// An odd step through the table gives each picture other noise.
	k := s.n * 7919
	off := 0.0
	if s.bright != nil {
		off = s.bright(t)
	}
	for y := range sh {
		for x := range sw {
			v := 30 + float64(x*8/sw)*25 + off
			if s.noise > 0 {
				k = (k + 1) & (1<<16 - 1)
				v += math.Round(noiseTable[k] * float64(s.noise))
			}
			pix[y*sw+x] = byte(math.Max(0, math.Min(255, v)))
		}
	}
	for _, b := range s.boxes {
		if t < b.from || t >= b.to {
			continue
		}
		bx := int(math.Round(b.x(t)))
		for y := b.y; y < b.y+b.s && y < sh; y++ {
			for x := bx; x < bx+b.s; x++ {
				if x < 0 || x >= sw || y < 0 {
					continue
				}
				if x-bx < b.s/2 {
					pix[y*sw+x] = 235
				} else {
					pix[y*sw+x] = 16
				}
			}
		}
	}
}

// play feeds d the scene at fps for seconds and returns the events that
// ended (and the one still open, flushed at the end).
func play(d *Detector, s *scene, fps, seconds float64) []Event {
	var evs []Event
	var starts int
	d.OnStart = func(Event) { starts++ }
	d.OnEnd = func(e Event) { evs = append(evs, e) }
	pix := make([]byte, sw*sh)
	for i := 0; float64(i) < seconds*fps; i++ {
		t := float64(i) / fps
		s.frame(t, pix)
		d.Feed(pix, sw, sh, sw, at(t))
	}
	d.Flush()
	if starts != len(evs) {
		panic("every event that starts must end")
	}
	return evs
}

func at(t float64) time.Time {
	return epoch.Add(time.Duration(t * float64(time.Second)))
}

func sec(tm time.Time) float64 { return tm.Sub(epoch).Seconds() }

// moving is x = x0 + v (t - from).
func moving(x0, v, from float64) func(float64) float64 {
	return func(t float64) float64 { return x0 + v*(t-from) }
}

func TestDetectorScenes(t *testing.T) {
	type want struct{ start, end float64 } // true times of each object
	cases := []struct {
		name  string
		scene scene
		mask  []Polygon
		want  []want
	}{
		{name: "noise only", scene: scene{noise: 8}},
		{name: "object crossing", scene: scene{noise: 8, boxes: []box{
			{from: 3, to: 9, x: moving(-20, 30, 3), y: 30, s: 20}}},
			want: []want{{3, 9}}},
		{name: "two visits", scene: scene{noise: 8, boxes: []box{
			{from: 3, to: 6, x: moving(10, 20, 3), y: 30, s: 16},
			{from: 20, to: 24, x: moving(150, -20, 20), y: 50, s: 16}}},
			want: []want{{3, 6}, {20, 24}}},
		{name: "brightness steps", scene: scene{noise: 8, bright: func(t float64) float64 {
			if math.Mod(t, 20) >= 10 {
				return 50
			}
			return 0
		}}},
		{name: "dusk over a minute", scene: scene{noise: 8, bright: func(t float64) float64 { return -t }}},
		{name: "small slow object", scene: scene{noise: 8, boxes: []box{
			{from: 5, to: 25, x: moving(40, 2, 5), y: 60, s: 6}}},
			want: []want{{5, 25}}},
		{name: "flash shorter than the minimum duration", scene: scene{noise: 8, boxes: []box{
			{from: 5, to: 5.2, x: moving(60, 0, 5), y: 30, s: 30}}}},
		{name: "object in a masked area", scene: scene{noise: 8, boxes: []box{
			{from: 3, to: 9, x: moving(0, 10, 3), y: 10, s: 20}}},
			mask: []Polygon{Rect(0, 0, 1, 0.5)}},
		{name: "object outside the mask", scene: scene{noise: 8, boxes: []box{
			{from: 3, to: 9, x: moving(0, 10, 3), y: 60, s: 20}}},
			mask: []Polygon{Rect(0, 0, 1, 0.5)}, want: []want{{3, 9}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := &Detector{Mask: c.mask}
			// 5 fps is the analysis rate: frames in between would be skipped.
			evs := play(d, &c.scene, 5, 60)
			if len(evs) != len(c.want) {
				t.Fatalf("%d events %+v, want %d", len(evs), evs, len(c.want))
			}
			for i, e := range evs {
				s, en := sec(e.Start), sec(e.End)
				t.Logf("event %.2f-%.2f score %.4f box %+v", s, en, e.Score, e.Box)
				if s < c.want[i].start || s > c.want[i].start+0.5 {
					t.Errorf("event %d starts at %.2f s, want within 0.5 s after %.2f", i, s, c.want[i].start)
				}
				if en < c.want[i].end-0.5 || en > c.want[i].end+0.5 {
					t.Errorf("event %d ends at %.2f s, want within 0.5 s of %.2f", i, en, c.want[i].end)
				}
				if e.Score <= 0 || e.Score >= DefaultGlobal {
					t.Errorf("event %d score %v", i, e.Score)
				}
			}
		})
	}
}

// TestDetectorInterval: of a 25 fps stream, one picture in five is analysed.
func TestDetectorInterval(t *testing.T) {
	d := &Detector{}
	play(d, &scene{noise: 8}, 25, 10)
	if st := d.Stats(); st.Analyses < 45 || st.Analyses > 50 {
		t.Errorf("%d analyses of 10 s at 25 fps, want one every %v", st.Analyses, DefaultInterval)
	}
}

// TestDetectorBox checks the box of an object that stays in one place.
func TestDetectorBox(t *testing.T) {
	s := &scene{noise: 8, boxes: []box{{from: 2, to: 6, x: moving(40, 0, 2), y: 27, s: 32}}}
	evs := play(&Detector{}, s, 5, 10)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	b := evs[0].Box
	want := Box{X: 40.0 / sw, Y: 27.0 / sh, W: 32.0 / sw, H: 32.0 / sh}
	if math.Abs(b.X-want.X) > 0.02 || math.Abs(b.Y-want.Y) > 0.03 ||
		math.Abs(b.W-want.W) > 0.03 || math.Abs(b.H-want.H) > 0.05 {
		t.Fatalf("box %+v, want about %+v", b, want)
	}
	// 32x32 of 160x90 changed at its peak.
	if sc := evs[0].Score; math.Abs(sc-32*32.0/(sw*sh)) > 0.01 {
		t.Fatalf("score %.4f, want about %.4f", sc, 32*32.0/(sw*sh))
	}
}

// TestDetectorHold: a pause shorter than Hold keeps one event, a longer
// one makes two.
func TestDetectorHold(t *testing.T) {
	for _, c := range []struct {
		gap  float64
		want int
	}{{1, 1}, {4, 2}} {
		s := &scene{noise: 8, boxes: []box{
			{from: 2, to: 4, x: moving(20, 15, 2), y: 30, s: 16},
			{from: 4 + c.gap, to: 7 + c.gap, x: moving(100, -15, 4+c.gap), y: 30, s: 16}}}
		if evs := play(&Detector{}, s, 5, 15); len(evs) != c.want {
			t.Errorf("gap %.0f s: %d events %+v, want %d", c.gap, len(evs), evs, c.want)
		}
	}
}

// TestDetectorSensitivity: a faint object (12 levels from the background)
// is seen at sensitivity 10, not at the default.
func TestDetectorSensitivity(t *testing.T) {
	faint := func() *scene {
		return &scene{noise: 2, bright: nil}
	}
	for _, c := range []struct {
		sens, want int
	}{{DefaultSensitivity, 0}, {10, 1}} {
		s := faint()
		d := &Detector{Sensitivity: c.sens}
		var evs []Event
		d.OnEnd = func(e Event) { evs = append(evs, e) }
		pix := make([]byte, sw*sh)
		for i := range 25 * 10 {
			tm := float64(i) / 25
			s.frame(tm, pix)
			if tm >= 3 && tm < 7 {
				for y := 30; y < 50; y++ {
					for x := 60; x < 80; x++ {
						pix[y*sw+x] += 12
					}
				}
			}
			d.Feed(pix, sw, sh, sw, at(tm))
		}
		d.Flush()
		if len(evs) != c.want {
			t.Errorf("sensitivity %d: %d events, want %d", c.sens, len(evs), c.want)
		}
	}
}

// TestDetectorResize: a new picture size restarts the background and ends
// the open event.
func TestDetectorResize(t *testing.T) {
	d := &Detector{}
	var ends int
	d.OnEnd = func(Event) { ends++ }
	s := &scene{noise: 8, boxes: []box{{from: 1, to: 10, x: moving(0, 10, 1), y: 30, s: 20}}}
	pix := make([]byte, sw*sh)
	for i := range 25 * 5 {
		s.frame(float64(i)/25, pix)
		d.Feed(pix, sw, sh, sw, at(float64(i)/25))
	}
	d.Feed(pix[:80*45], 80, 45, 80, at(5.2))
	if ends != 1 {
		t.Fatalf("%d events ended at the size change, want 1", ends)
	}
}

// TestDetectorReset: after a reset (a reconnection) a changed view is the
// new background, not motion.
func TestDetectorReset(t *testing.T) {
	d := &Detector{}
	var starts int
	d.OnStart = func(Event) { starts++ }
	before := &scene{noise: 8}
	after := &scene{noise: 8, boxes: []box{{from: 0, to: 100, x: moving(30, 0, 0), y: 20, s: 40}}}
	pix := make([]byte, sw*sh)
	for i := range 25 {
		before.frame(float64(i)/5, pix)
		d.Feed(pix, sw, sh, sw, at(float64(i)/5))
	}
	d.Reset()
	for i := 25; i < 50; i++ {
		after.frame(float64(i)/5, pix)
		d.Feed(pix, sw, sh, sw, at(float64(i)/5))
	}
	if starts != 0 {
		t.Fatalf("%d events after a reset, want 0", starts)
	}
}

func TestParsePolygon(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		fail bool
	}{
		{"0,0,0.5,0.5", 4, false},
		{"0.1,0.1,0.9,0.1,0.5,0.9", 3, false},
		{"0,0,1", 0, true},
		{"0,0,1,1,1", 0, true},
		{"0.5,0,0.2,1", 0, true},
		{"0,0,1.5,1", 0, true},
		{"a,b,c,d", 0, true},
	} {
		p, err := ParsePolygon(c.in)
		if (err != nil) != c.fail || len(p) != c.n {
			t.Errorf("%q: %v %v", c.in, p, err)
		}
	}
	tri, _ := ParsePolygon("0,0,1,0,0,1")
	if !tri.contains(0.2, 0.2) || tri.contains(0.8, 0.8) {
		t.Error("triangle contains the wrong points")
	}
}

// BenchmarkDetector is the cost of one analysis of a 160x90 picture with
// an object in it; at 5 analyses a second, the share of a core is 5 times
// the time per op. Figure 10 of `make bench` adds BenchmarkLumaScale to it.
func BenchmarkDetector(b *testing.B) {
	s := &scene{noise: 8, boxes: []box{{from: 0, to: 1e9, x: func(t float64) float64 { return math.Mod(t*30, 140) }, y: 30, s: 20}}}
	const n = 64
	pics := make([][]byte, n)
	for i := range pics {
		pics[i] = make([]byte, sw*sh)
		s.frame(float64(i)/5, pics[i])
	}
	d := &Detector{}
	b.ResetTimer()
	for i := range b.N {
		d.Feed(pics[i%n], sw, sh, sw, at(float64(i)/5))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*5/1e9*100, "%core@5Hz")
}
