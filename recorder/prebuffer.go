package recorder

import (
	"time"

	"github.com/camdeck/camdeck/player"
)

// Record-on-motion defaults.
const (
	// DefaultPre is the video kept from before an event: enough to see
	// where the person came from, and what a 4 Mbit/s camera fills 2.5 MB
	// with.
	DefaultPre = 5 * time.Second
	// DefaultPost is how long a file goes on after the motion ends: a
	// person who stops for a few seconds and moves on is one file.
	DefaultPost = 10 * time.Second
	// DefaultPreBytes caps the buffer: 5 s at 25 Mbit/s (a 4K main stream)
	// or several GOPs more of a sub-stream; past it the oldest GOP goes.
	DefaultPreBytes = 16 << 20
	// preSlack is kept beyond Pre: the detector confirms an event its
	// minimum duration after the motion began, and decoding lags the
	// network by a few frames, yet the file must begin Pre before the
	// event's start.
	preSlack = 3 * time.Second
)

// preUnit is a video unit held in the pre-record buffer with what
// processVideo made of it.
type preUnit struct {
	u        *player.Unit
	pts, dts int64
	changed  bool
	wall     time.Time
	size     int
}

// preAudio is an audio unit held in the pre-record buffer, with its time
// on the video's recording timeline.
type preAudio struct {
	u    *player.Unit
	at   int64
	size int
}

// prebuffer is the pre-record ring: the video of the last keep ticks, from
// a keyframe at or before that, and the audio from that keyframe's time
// on, at most max bytes. It drops whole GOPs from the front and counts the
// units it drops for the cap.
type prebuffer struct {
	units   []preUnit
	audio   []preAudio
	bytes   int
	keep    int64 // ticks
	max     int
	dropped uint64
}

func unitSize(u *player.Unit) int {
	n := 0
	for _, p := range u.Data {
		n += len(p)
	}
	return n
}

// push adds a unit; a buffer starts at a keyframe.
func (b *prebuffer) push(p preUnit) {
	if len(b.units) == 0 && !p.u.Key {
		return // nothing to decode it from: not kept, and not a drop of the cap
	}
	p.size = unitSize(p.u)
	b.units = append(b.units, p)
	b.bytes += p.size
	// Time: from the newest keyframe at or before keep ago.
	cut := 0
	for i, q := range b.units {
		if q.pts > p.pts-b.keep {
			break
		}
		if q.u.Key {
			cut = i
		}
	}
	b.drop(cut, false)
	// Bytes: whole GOPs from the front.
	for b.bytes > b.max && len(b.units) > 0 {
		next := len(b.units)
		for i := 1; i < len(b.units); i++ {
			if b.units[i].u.Key {
				next = i
				break
			}
		}
		b.drop(next, true)
	}
}

// pushAudio adds an audio unit at time at (video ticks); audio from
// before the oldest video kept has nothing to play with.
func (b *prebuffer) pushAudio(u *player.Unit, at int64) {
	if len(b.units) == 0 || at < b.units[0].pts {
		return
	}
	p := preAudio{u: u, at: at, size: unitSize(u)}
	b.audio = append(b.audio, p)
	b.bytes += p.size
}

// drop removes the first n units.
func (b *prebuffer) drop(n int, counted bool) {
	if n <= 0 {
		return
	}
	for _, q := range b.units[:n] {
		b.bytes -= q.size
	}
	if counted {
		b.dropped += uint64(n)
	}
	clear(b.units[:n])
	b.units = append(b.units[:0], b.units[n:]...)
	// The audio from before the oldest video left goes with it.
	a := len(b.audio)
	if len(b.units) > 0 {
		a = 0
		for a < len(b.audio) && b.audio[a].at < b.units[0].pts {
			a++
		}
	}
	for _, q := range b.audio[:a] {
		b.bytes -= q.size
	}
	clear(b.audio[:a])
	b.audio = append(b.audio[:0], b.audio[a:]...)
}

// take empties the buffer and returns its video units from the newest
// keyframe at or before from (or from the oldest kept, when none is that
// old), and the audio from that keyframe's time on.
func (b *prebuffer) take(from time.Time) ([]preUnit, []preAudio) {
	cut := 0
	for i, q := range b.units {
		if q.wall.After(from) {
			break
		}
		if q.u.Key {
			cut = i
		}
	}
	out := append([]preUnit(nil), b.units[cut:]...)
	var audio []preAudio
	for _, a := range b.audio {
		if len(out) > 0 && a.at >= out[0].pts {
			audio = append(audio, a)
		}
	}
	b.reset()
	return out, audio
}

func (b *prebuffer) reset() {
	clear(b.units)
	b.units = b.units[:0]
	clear(b.audio)
	b.audio = b.audio[:0]
	b.bytes = 0
}
