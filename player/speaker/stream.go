package speaker

import (
	"encoding/binary"
	"io"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// DefaultJitter is the audio a Stream holds before it starts to play, and
// again after it ran dry: it absorbs the spread of packet arrivals (a
// camera's packets of 20 to 40 ms, network jitter) at that much delay.
const DefaultJitter = 40 * time.Millisecond

// maxQueued is the most audio a Stream keeps beyond its jitter buffer and
// the latest write: audio that piles up (a clock faster than the sound
// card's, a burst after a stall) is dropped from the oldest so the delay
// stays near Jitter.
const maxQueued = 60 * time.Millisecond

// Stream is one camera's sound: Write hands it decoded PCM (interleaved
// signed 16-bit little-endian at Rate and Channels) as it comes; the
// device reads it as it plays, with silence where there is none.
type Stream struct {
	// Jitter is the audio held before playing starts. It defaults to
	// DefaultJitter.
	Jitter time.Duration

	mu        sync.Mutex
	queue     []byte
	primed    bool    // playing from the queue (else waiting for Jitter)
	volume    float64 // 0 to 1
	volSet    bool    // SetVolume was called (else the volume is 1)
	muted     bool
	played    int64 // bytes given to the device
	lastWrite time.Time
	endNTP    time.Time     // the sender's wallclock just after the last sample written; zero: none
	delay     time.Duration // held beyond Jitter, to wait for the video (Delay)
	dropped   int64         // bytes dropped to keep the delay
	closed    bool
	player    *oto.Player
}

func (s *Stream) init() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Jitter <= 0 {
		s.Jitter = DefaultJitter
	}
	if !s.volSet {
		s.volume = 1
	}
}

// resumeGap is how long without audio makes a stream hold Jitter again
// before it plays: the camera stalled or was muted, not a late packet.
const resumeGap = 200 * time.Millisecond

// MaxDelay bounds what Delay holds in all: a camera whose audio is a
// second ahead of its video has clocks not worth following (GStreamer's
// RTSP server's sender reports put its audio and video seconds apart,
// and moved them during a session, while it sent both in step).
const MaxDelay = time.Second

// Write queues decoded audio to play.
func (s *Stream) Write(pcm []byte) { s.WriteNTP(pcm, time.Time{}) }

// WriteNTP queues decoded audio to play whose first sample the sender
// stamped ntp (from RTCP sender reports; zero: unknown), for Playing.
func (s *Stream) WriteNTP(pcm []byte, ntp time.Time) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.muted {
		return
	}
	if now.Sub(s.lastWrite) > resumeGap {
		s.primed = false
	}
	s.lastWrite = now
	s.endNTP = time.Time{}
	if !ntp.IsZero() {
		s.endNTP = ntp.Add(durationOf(len(pcm)))
	}
	hold := s.Jitter + s.delay
	s.queue = append(s.queue, pcm...)
	if limit := bytesFor(hold+maxQueued) + len(pcm); len(s.queue) > limit {
		n := len(s.queue) - bytesFor(hold) - len(pcm)
		n -= n % (Channels * 2)
		s.queue = s.queue[n:]
		s.dropped += int64(n)
	}
	if !s.primed && len(s.queue) >= bytesFor(hold) {
		s.primed = true
	}
}

// Delay holds the stream's sound d longer, once, by playing silence until
// that much more is queued, and keeps it that much later: for audio that
// runs ahead of its video. What it holds in all is at most MaxDelay.
func (s *Stream) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 || s.delay >= MaxDelay {
		return
	}
	s.delay = min(s.delay+d, MaxDelay)
	s.primed = false
}

// Playing tells what the sound output is playing now: the sender's
// wallclock of that sample (zero when the camera sends no sender
// reports), and false when nothing plays (no audio yet, held, muted or
// ran dry). It is the last sample written less what waits in the stream,
// in oto's player and in the device's buffer (taken as full: oto fills it
// as it empties).
func (s *Stream) Playing() (time.Time, bool) {
	s.mu.Lock()
	end, queued, p := s.endNTP, len(s.queue), s.player
	playing := s.primed && queued > 0 && !s.muted && !s.closed
	s.mu.Unlock()
	if !playing || end.IsZero() {
		return time.Time{}, playing
	}
	out := durationOf(queued)
	if p != nil { // not under s.mu: oto reads the stream holding its own lock
		out += durationOf(p.BufferedSize()) + deviceBuffer
	}
	return end.Add(-out), true
}

// Read implements io.Reader for oto, whose mixer reads ahead into a
// buffer of deviceBuffer: it takes the queued audio at the volume, and
// silence while the stream holds its jitter buffer, is muted or ran dry.
// It never returns 0 bytes without an error: oto's Play reads until its
// buffer is full and would spin on an empty read, at 100 % of a core for a
// camera without sound. After Close it returns io.EOF, which ends oto's
// reading.
func (s *Stream) Read(p []byte) (int, error) {
	p = p[:len(p)-len(p)%(Channels*2)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, io.EOF
	}
	if !s.primed || len(s.queue) == 0 {
		clear(p)
		return len(p), nil
	}
	n := copy(p, s.queue)
	s.queue = s.queue[n:]
	if len(s.queue) == 0 {
		s.queue = s.queue[:0:0] // let the backing array go
	}
	if s.volume < 1 {
		for i := 0; i+1 < n; i += 2 {
			v := float64(int16(binary.LittleEndian.Uint16(p[i:]))) * s.volume
			binary.LittleEndian.PutUint16(p[i:], uint16(int16(v)))
		}
	}
	s.played += int64(n)
	return n, nil
}

// SetVolume sets the volume, 0 to 1 (linear).
func (s *Stream) SetVolume(v float64) {
	s.mu.Lock()
	s.volume, s.volSet = min(max(v, 0), 1), true
	s.mu.Unlock()
}

// Volume is the volume, 0 to 1.
func (s *Stream) Volume() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.volSet {
		return 1
	}
	return s.volume
}

// SetMuted mutes or unmutes the stream; muted, what was queued is let go.
func (s *Stream) SetMuted(m bool) {
	s.mu.Lock()
	s.muted = m
	if m {
		s.queue, s.primed = nil, false
	}
	s.mu.Unlock()
}

// Queued is the audio waiting to play: the stream's share of the delay.
func (s *Stream) Queued() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return durationOf(len(s.queue))
}

// durationOf is how long n bytes of output audio play.
func durationOf(n int) time.Duration {
	return time.Duration(n/(Channels*2)) * time.Second / Rate
}

// Dropped is the audio dropped to keep the delay near Jitter.
func (s *Stream) Dropped() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(s.dropped/(Channels*2)) * time.Second / Rate
}

// Close stops the stream's sound.
func (s *Stream) Close() {
	s.mu.Lock()
	s.closed = true
	s.queue = nil
	p := s.player
	s.player = nil
	s.mu.Unlock()
	if p != nil {
		p.Pause()
		_ = p.Close()
	}
}
