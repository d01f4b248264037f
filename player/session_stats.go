package player

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/camdeck/camdeck/internal/ratelimit"
)

// Stats describes a session's stream and network.
type Stats struct {
	Codec       string
	Width       int // from the SDP's SPS; the decoder knows the real size
	Height      int
	DeclaredFPS float64 // from the SPS
	MeasuredFPS float64 // video units per second over the last seconds
	Bitrate     float64 // video bits per second over the last seconds
	Transport   string
	PacketsLost uint64 // RTP sequence numbers that never arrived
	// UDPReadBuffer is the receive buffer the system granted each UDP
	// socket, in bytes (0 over TCP); less than 1 MiB loses packets of
	// large keyframes.
	UDPReadBuffer int
	BadPackets    uint64 // packets the depacketizer rejected
	Dropped       uint64 // units dropped by slow sinks
	Reconnects    uint64
	// BasicInClear tells that the camera asked for Basic authentication
	// only, over plain RTSP: the password crosses the network readable.
	BasicInClear bool
}

// rateWindow is how far back fps and bitrate look: long enough to smooth
// the size swing between keyframes and other frames (GOPs of 1-2 s).
const rateWindow = 4 * time.Second

type rateSample struct {
	at           time.Time
	units, bytes uint64
}

type counters struct {
	packetsLost atomic.Uint64
	badPackets  atomic.Uint64
	reconnects  atomic.Uint64
	basicClear  atomic.Bool
	logLimit    ratelimit.Limit

	mu        sync.Mutex
	track     Track
	transport string
	udpBuffer int
	units     uint64
	bytes     uint64
	samples   []rateSample // one a second, oldest first
}

func (c *counters) init() {
	c.logLimit.Every = 10 * time.Second
}

func (c *counters) connected(tracks []*Track, transport string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := VideoTrack(tracks); v != nil {
		c.track = *v
	}
	c.transport = transport
	c.samples = c.samples[:0]
}

func (c *counters) setUDPReadBuffer(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.udpBuffer == 0 || n < c.udpBuffer {
		c.udpBuffer = n
	}
}

func (c *counters) setTransport(t string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.transport = t
}

// videoUnit counts a unit; it runs on the network goroutine, so it only
// adds, and takes a sample once a second.
func (c *counters) videoUnit(u *Unit) {
	n := 0
	for _, d := range u.Data {
		n += len(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.units++
	c.bytes += uint64(n)
	if len(c.samples) == 0 || u.Arrival.Sub(c.samples[len(c.samples)-1].at) >= time.Second {
		c.samples = append(c.samples, rateSample{at: u.Arrival, units: c.units, bytes: c.bytes})
		for len(c.samples) > 1 && u.Arrival.Sub(c.samples[0].at) > rateWindow {
			c.samples = c.samples[1:]
		}
	}
}

// Stats returns a snapshot of the session's counters.
func (s *Session) Stats() Stats {
	c := &s.stats
	st := Stats{
		PacketsLost:  c.packetsLost.Load(),
		BadPackets:   c.badPackets.Load(),
		Reconnects:   c.reconnects.Load(),
		BasicInClear: c.basicClear.Load(),
	}
	c.mu.Lock()
	st.Codec = c.track.Codec.String()
	st.Width, st.Height, st.DeclaredFPS = c.track.Width, c.track.Height, c.track.FPS
	st.Transport = c.transport
	if c.transport != string(TransportTCP) {
		st.UDPReadBuffer = c.udpBuffer
	}
	if n := len(c.samples); n >= 2 {
		a, b := c.samples[0], c.samples[n-1]
		if secs := b.at.Sub(a.at).Seconds(); secs > 0 {
			st.MeasuredFPS = float64(b.units-a.units) / secs
			st.Bitrate = float64(b.bytes-a.bytes) * 8 / secs
		}
	}
	c.mu.Unlock()

	s.mu.RLock()
	for _, q := range s.sinks {
		st.Dropped += q.dropped.Load()
	}
	s.mu.RUnlock()
	return st
}
