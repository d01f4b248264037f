package recorder

import (
	"testing"
	"time"
)

// frameAt describes one frame fed to a Clock: its RTP time and arrival.
type frameAt struct {
	pts  int64
	wall time.Duration
}

// stream25 makes n frames at 25 fps from an RTP time and a wallclock time.
func stream25(n int, pts0 int64, wall0 time.Duration) []frameAt {
	out := make([]frameAt, n)
	for i := range out {
		out[i] = frameAt{pts: pts0 + int64(i)*3600, wall: wall0 + time.Duration(i)*40*time.Millisecond}
	}
	return out
}

func concat(parts ...[]frameAt) []frameAt {
	var out []frameAt
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestClock(t *testing.T) {
	const tick = int64(90000)
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	base := int64(1_000_000)

	// B-frames in decoding order: I P B B P B B ...
	var bframes []frameAt
	order := []int{0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11}
	for i, k := range order {
		bframes = append(bframes, frameAt{pts: base + int64(k)*3600, wall: time.Duration(i) * 40 * time.Millisecond})
	}

	// A camera clock 2% slow: after 250 s it is 5 s behind.
	var slow []frameAt
	for i := range 7500 {
		slow = append(slow, frameAt{pts: base + int64(i)*3528, wall: time.Duration(i) * 40 * time.Millisecond})
	}

	cases := []struct {
		name      string
		frames    []frameAt
		reanchors int
		// want: recording time of frame i, or -1 to skip
		want map[int]int64
	}{
		{"steady", stream25(100, base, 0), 0, map[int]int64{0: 0, 99: 99 * 3600}},
		{"B-frames", bframes, 0, map[int]int64{1: 3 * 3600, 2: 3600, 12: 11 * 3600}},
		{"jump forward an hour", concat(stream25(50, base, 0), stream25(50, base+50*3600+3600*tick, 2*time.Second)),
			1, map[int]int64{49: 49 * 3600, 50: 50 * 3600, 99: 99 * 3600}},
		{"jump back 10 s", concat(stream25(50, base, 0), stream25(50, base+50*3600-10*tick, 2*time.Second)),
			1, map[int]int64{50: 50 * 3600, 99: 99 * 3600}},
		{"32-bit wrap seen raw", concat(stream25(50, 1<<32-50*3600, 0), stream25(50, 0, 2*time.Second)),
			1, map[int]int64{50: 50 * 3600, 99: 99 * 3600}},
		{"camera reboot after 30 s", concat(stream25(50, base, 0), stream25(50, 777, 32*time.Second)),
			1, map[int]int64{50: 32 * tick, 99: 32*tick + 49*3600}},
		{"burst after a network stall", concat(stream25(50, base, 0),
			func() []frameAt { // 25 frames held back 1 s, then delivered at once
				f := stream25(25, base+50*3600, 2*time.Second)
				for i := range f {
					f[i].wall = sec(3)
				}
				return f
			}(), stream25(25, base+75*3600, sec(3.04))),
			0, map[int]int64{74: 74 * 3600, 99: 99 * 3600}},
		{"slow camera clock", slow, 1, map[int]int64{100: 100 * 3528}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := &Clock{Rate: tick}
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			maxMapped := int64(-1)
			for i, f := range c.frames {
				m := clk.Map(f.pts, t0.Add(f.wall))
				if want, ok := c.want[i]; ok && m != want {
					t.Fatalf("frame %d: mapped %d, want %d", i, m, want)
				}
				// Never back in time beyond B-frame reordering.
				if m < maxMapped-tick {
					t.Fatalf("frame %d: mapped %d went back from %d", i, m, maxMapped)
				}
				elapsed := int64(f.wall) * tick / int64(time.Second)
				if d := m - elapsed; d > int64(DriftTolerance)*tick/int64(time.Second)+tick || -d > int64(DriftTolerance)*tick/int64(time.Second)+tick {
					t.Fatalf("frame %d: %d ticks from the wallclock", i, d)
				}
				maxMapped = max(maxMapped, m)
			}
			if clk.Reanchors() != c.reanchors {
				t.Fatalf("%d re-anchors, want %d", clk.Reanchors(), c.reanchors)
			}
		})
	}
}
