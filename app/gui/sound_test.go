package gui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player/speaker"
)

// fakeSound is a sound device that counts the streams played on it.
type fakeSound struct {
	mu      sync.Mutex
	streams []*speaker.Stream
}

func (f *fakeSound) Play(s *speaker.Stream) {
	f.mu.Lock()
	f.streams = append(f.streams, s)
	f.mu.Unlock()
}

func (f *fakeSound) played() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.streams)
}

// streamOf is the fake session a camera's main feed runs.
func (h *harness) streamOf(c *camera) *fakeStream {
	h.t.Helper()
	for _, s := range h.streams {
		if s == c.main.sess {
			return s
		}
	}
	h.t.Fatalf("%s has no session", c.prof.Name)
	return nil
}

// TestSoundNoDevice: without a sound device the speaker buttons are
// disabled and say why; focusing and M change nothing and fail nothing.
func TestSoundNoDevice(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("a"), profile("b")})
	h.q.until(t, "the sound device looked for", func() bool { return h.ui.soundWhy == errNoSound.Error() })
	a := h.ui.cams[0]
	h.ui.toggleFocus(a)
	h.ui.typedRune('m')
	h.q.drain()
	for _, c := range h.ui.cams {
		b := c.tile.soundBtn
		if !b.Disabled() || b.tip != "No sound: no sound device: none in tests" {
			t.Errorf("%s: button disabled %v, tip %q; want disabled, saying why", c.prof.Name, b.Disabled(), b.tip)
		}
		if c.listening != nil {
			t.Errorf("%s is heard without a sound device", c.prof.Name)
		}
	}
}

// TestSoundFocusAndMute: the focused camera is heard (an audio decoder
// on its session, a stream on the device); grid tiles are silent until
// their speaker button is tapped; M silences the current camera and
// unsilences it, and the choice stays with the camera after the focus.
func TestSoundFocusAndMute(t *testing.T) {
	dev := &fakeSound{}
	h := newHarnessSound(t, []camdeck.Profile{profile("a"), profile("b")},
		filepath.Join(t.TempDir(), "camdeck", camdeck.FileName), nil, dev)
	h.q.until(t, "the sound device found", func() bool { return h.ui.soundDev != nil })
	a, b := h.ui.cams[0], h.ui.cams[1]
	heard := func(c *camera) bool {
		h.ui.bg.Wait() // sinks are removed in the background
		return c.listening != nil && h.streamOf(c).has(c.listening.audio)
	}
	if heard(a) || heard(b) {
		t.Fatal("a grid camera is heard before any choice")
	}
	if b.tile.soundBtn.Disabled() || b.tile.soundBtn.tip != "Listen to this camera (M)" {
		t.Fatalf("b's button disabled %v, tip %q", b.tile.soundBtn.Disabled(), b.tile.soundBtn.tip)
	}

	h.ui.toggleFocus(a)
	h.q.drain()
	if !heard(a) || dev.played() != 1 {
		t.Fatalf("focused a: heard %v, %d streams played; want heard on one", heard(a), dev.played())
	}
	if a.tile.soundBtn.tip != "Silence this camera (M)" {
		t.Errorf("a's tip %q", a.tile.soundBtn.tip)
	}
	l := a.listening
	h.ui.typedRune('m')
	h.q.drain()
	if heard(a) || h.streamOf(a).has(l.audio) {
		t.Fatal("M did not silence the focused camera")
	}
	h.ui.typedRune('M')
	h.q.drain()
	if !heard(a) {
		t.Fatal("M again did not make it heard")
	}
	h.ui.back()
	h.q.drain()
	if !heard(a) {
		t.Fatal("a, chosen to be heard, went silent when the focus ended")
	}

	test.Tap(b.tile.soundBtn)
	h.q.drain()
	if !heard(b) || !heard(a) {
		t.Fatalf("after b's button: a heard %v, b heard %v; want both", heard(a), heard(b))
	}
	test.Tap(b.tile.soundBtn)
	h.q.drain()
	if heard(b) {
		t.Fatal("b's button did not silence it again")
	}
}

// TestSoundKept: each camera's choice is in the layout file and comes
// back after a restart.
func TestSoundKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "camdeck", camdeck.FileName)
	h := newHarnessSound(t, []camdeck.Profile{profile("a"), profile("b"), profile("c")}, path, nil, &fakeSound{})
	h.q.until(t, "the sound device found", func() bool { return h.ui.soundDev != nil })
	h.ui.save() // the profiles, with the ids the layout names them by
	h.ui.toggleFocus(h.ui.cams[0])
	h.ui.typedRune('m') // a: off
	h.ui.back()
	test.Tap(h.ui.cams[1].tile.soundBtn) // b: on
	h.q.drain()
	h.ui.requestClose()
	h.q.until(t, "the window to quit", h.ui.quit.Load)

	ps, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	h2 := newHarnessSound(t, ps, path, nil, &fakeSound{})
	h2.q.until(t, "the sound device found", func() bool { return h2.ui.soundDev != nil })
	want := []soundChoice{soundOff, soundOn, soundDefault}
	for i, c := range h2.ui.cams {
		if c.sound != want[i] {
			t.Errorf("%s: sound %d after the restart, want %d", c.prof.Name, c.sound, want[i])
		}
	}
	if c := h2.ui.cams[1]; c.listening == nil {
		t.Error("b, chosen to be heard, is silent after the restart")
	}
	h2.ui.bg.Wait()
}

// TestSoundVolumeKept: the focused view shows the heard camera's volume
// slider (the grid does not); the slider sets the volume of the stream
// playing and of the next one, and each camera's volume is in the layout
// file and comes back after a restart.
func TestSoundVolumeKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "camdeck", camdeck.FileName)
	dev := &fakeSound{}
	h := newHarnessSound(t, []camdeck.Profile{profile("a"), profile("b")}, path, nil, dev)
	h.q.until(t, "the sound device found", func() bool { return h.ui.soundDev != nil })
	h.ui.save() // the profiles, with the ids the layout names them by
	a, b := h.ui.cams[0], h.ui.cams[1]
	if a.tile.volBox.Visible() || b.tile.volBox.Visible() {
		t.Fatal("a volume slider in the grid")
	}
	h.ui.toggleFocus(a)
	h.q.drain()
	if !a.tile.volBox.Visible() || a.listening == nil {
		t.Fatalf("focused a: slider shown %v, heard %v; want both", a.tile.volBox.Visible(), a.listening != nil)
	}
	if v := a.listening.out.Volume(); v != 1 {
		t.Fatalf("a plays at %v before any choice, want 1", v)
	}
	a.tile.volume.SetValue(30) // as a drag does
	if v := a.listening.out.Volume(); v != 0.3 {
		t.Errorf("a plays at %v after the slider went to 30, want 0.3", v)
	}
	h.ui.typedRune('m')
	h.q.drain()
	if a.tile.volBox.Visible() {
		t.Error("the slider of a silenced camera is shown")
	}
	h.ui.typedRune('m')
	h.q.drain()
	if a.listening == nil || a.listening.out.Volume() != 0.3 {
		t.Fatalf("heard again: want its stream at 0.3 (%v)", a.listening)
	}
	h.ui.back()
	h.ui.toggleFocus(b)
	b.tile.volume.SetValue(0)
	h.ui.back()
	h.q.drain()
	h.ui.requestClose()
	h.q.until(t, "the window to quit", h.ui.quit.Load)

	data, err := os.ReadFile(filepath.Join(filepath.Dir(path), LayoutFileName))
	if err != nil {
		t.Fatal(err)
	}
	var l windowLayout
	if err := json.Unmarshal(data, &l); err != nil || l.Volume[a.prof.ID] != 30 || l.Volume[b.prof.ID] != 0 || len(l.Volume) != 2 {
		t.Fatalf("layout file %v: %s", err, data)
	}

	ps, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	dev2 := &fakeSound{}
	h2 := newHarnessSound(t, ps, path, nil, dev2)
	h2.q.until(t, "the sound device found", func() bool { return h2.ui.soundDev != nil })
	for i, want := range []int{30, 0} {
		c := h2.ui.cams[i]
		if c.volume != want || c.tile.volume.Value != float64(want) {
			t.Errorf("%s: volume %d, slider %v after the restart; want %d", c.prof.Name, c.volume, c.tile.volume.Value, want)
		}
	}
	a2 := h2.ui.cams[0]
	if a2.listening == nil || a2.listening.out.Volume() != 0.3 {
		t.Fatalf("a, chosen to be heard at 30 %%, after the restart: %v", a2.listening)
	}
	h2.ui.bg.Wait()
}

// TestSoundAVOffset: the stats overlay of the heard camera gives the
// offset of the sound playing to the frame shown, from their sender's
// wallclocks: the stream's last sample less what is queued, less the
// frame's NTP. Without sender reports it says so, and sound that runs
// ahead of the picture by more than the jitter buffer is held back.
func TestSoundAVOffset(t *testing.T) {
	dev := &fakeSound{}
	h := newHarnessSound(t, []camdeck.Profile{profile("a")}, filepath.Join(t.TempDir(), "camdeck", camdeck.FileName), nil, dev)
	h.q.until(t, "the sound device found", func() bool { return h.ui.soundDev != nil })
	a := h.ui.cams[0]
	h.ui.toggleFocus(a)
	h.ui.toggleStats()
	h.q.drain()
	if a.listening == nil {
		t.Fatal("the focused camera is not heard")
	}
	out, tl := a.listening.out, a.tile
	overlay := func() string {
		tl.update()
		return tl.stats.Text
	}
	if s := overlay(); !strings.HasSuffix(s, "\nA/V: no sound playing") {
		t.Fatalf("before any sound the overlay says:\n%s", s)
	}
	t0 := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	chunk := make([]byte, 48000*2*2/50) // 20 ms at 48 kHz stereo
	for i := range 3 {
		out.WriteNTP(chunk, t0.Add(time.Duration(i)*20*time.Millisecond)) // 60 ms queued: t0 plays
	}
	tl.shownNTP, tl.lastShow = t0.Add(35*time.Millisecond), time.Now() // the picture 35 ms ahead
	if s := overlay(); !strings.HasSuffix(s, "\nA/V -35 ms") {
		t.Fatalf("sound at t0, picture at t0+35ms; the overlay says:\n%s", s)
	}
	if _, playing := out.Playing(); !playing {
		t.Fatal("sound behind its picture was held")
	}
	tl.shownNTP = time.Time{}
	if s := overlay(); !strings.HasSuffix(s, "\nA/V: no sender reports") {
		t.Fatalf("a picture without NTP; the overlay says:\n%s", s)
	}
	// Sound 600 ms ahead: held unless the test itself took 500 ms (a
	// stale picture) between here and the overlay.
	tl.shownNTP, tl.lastShow = t0.Add(-600*time.Millisecond), time.Now()
	if s := overlay(); !strings.HasSuffix(s, "\nA/V: no sound playing") { // held first, then shown
		t.Fatalf("sound 600 ms ahead; the overlay says:\n%s", s)
	}
	if _, playing := out.Playing(); playing {
		t.Fatal("sound 600 ms ahead of its picture was not held back")
	}
	for i := 3; i < 40; i++ { // past the hold (600 ms more queued): playing again
		out.WriteNTP(chunk, t0.Add(time.Duration(i)*20*time.Millisecond))
	}
	tl.shownNTP, tl.lastShow = t0.Add(-500*time.Millisecond), time.Now()
	if s := overlay(); !strings.Contains(s, "\nA/V +") {
		t.Fatalf("sound ahead again after its hold; the overlay says:\n%s", s)
	}
	if _, playing := out.Playing(); !playing {
		t.Fatal("the sound was held a second time")
	}
	h.ui.bg.Wait()
}
