package decode

import (
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// TestFrameNTP: each picture carries the sender's wallclock of its own
// PTS, also when the decoder gives it out after a later unit (B-frames),
// and none while the units have none (no sender report yet).
func TestFrameNTP(t *testing.T) {
	clip := democam.BenchClip(t)
	d := &Decoder{Slot: NewFrameSlot(), Threads: 1}
	track := benchTrack(clip)
	d.OnStream([]*player.Track{track})
	defer d.OnStreamEnd(nil)
	base := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	frames := clip.Frames[:min(len(clip.Frames), 30)]
	shown, zero := 0, 0
	for i, fr := range frames {
		u := &player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key}
		if i >= 5 { // the first report came with the sixth unit
			u.NTP = base.Add(player.TicksDuration(fr.PTS, track.ClockRate))
		}
		d.OnUnit(u)
		f := d.Slot.Take()
		if f == nil {
			continue
		}
		d.Slot.Release(f.Image)
		if u.NTP.IsZero() {
			zero++
			if !f.NTP.IsZero() {
				t.Errorf("picture at %v has NTP %v before any report", f.PTS, f.NTP)
			}
			continue
		}
		shown++
		if want := base.Add(f.PTS); !f.NTP.Equal(want) {
			t.Errorf("picture at %v (after the unit at %v): NTP %v, want %v", f.PTS,
				player.TicksDuration(fr.PTS, track.ClockRate), f.NTP, want)
		}
	}
	if shown < 10 {
		t.Fatalf("%d pictures with NTP out of %d units (%d without), want most", shown, len(frames), zero)
	}
}
