package player

import (
	"testing"
	"time"
)

// TestTicksDuration: a 90 kHz PTS past 28 hours of one connection (a
// camera recorded day and night) is still the right duration; multiplying
// by time.Second first overflowed into negative times.
func TestTicksDuration(t *testing.T) {
	for _, c := range []struct {
		ticks int64
		rate  int
		want  time.Duration
	}{
		{90000, 90000, time.Second},
		{45, 90000, 500 * time.Microsecond},
		{-90000, 90000, -time.Second},
		{30 * 3600 * 90000, 90000, 30 * time.Hour},
		{1000 * 3600 * 48000, 48000, 1000 * time.Hour},
	} {
		if got := TicksDuration(c.ticks, c.rate); got != c.want {
			t.Errorf("TicksDuration(%d, %d) = %v, want %v", c.ticks, c.rate, got, c.want)
		}
	}
	u := &Unit{PTS: 30 * 3600 * 90000, Track: &Track{ClockRate: 90000}}
	if d := u.PTSDuration(); d != 30*time.Hour {
		t.Errorf("a unit 30 h into its connection has PTS %v", d)
	}
}
