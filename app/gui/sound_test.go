package gui

import (
	"path/filepath"
	"sync"
	"testing"

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
