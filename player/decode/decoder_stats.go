package decode

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stats describes the decoding side of a camera.
type Stats struct {
	Frames        uint64
	Errors        uint64
	Width, Height int // of the stream, as decoded
	// Client latency, from the arrival of a unit's last packet to its
	// frame being ready in the slot, over the last frames.
	LatencyP50, LatencyP95, LatencyP99 time.Duration
}

// latencyWindow is how many recent frames the percentiles cover: about
// 10-20 s of video, enough for a stable p99.
const latencyWindow = 512

type decoderCounters struct {
	errors atomic.Uint64

	mu      sync.Mutex
	frames  uint64
	w, h    int
	latency [latencyWindow]time.Duration
}

func (c *decoderCounters) frame(w, h int, lat time.Duration) {
	c.mu.Lock()
	c.latency[c.frames%latencyWindow] = lat
	c.frames++
	c.w, c.h = w, h
	c.mu.Unlock()
}

// Stats returns a snapshot of the decoder's counters.
func (d *Decoder) Stats() Stats {
	c := &d.stats
	c.mu.Lock()
	st := Stats{Frames: c.frames, Errors: c.errors.Load(), Width: c.w, Height: c.h}
	n := min(int(c.frames), latencyWindow)
	lat := append([]time.Duration(nil), c.latency[:n]...)
	c.mu.Unlock()
	if n > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		pick := func(p float64) time.Duration { return lat[min(n-1, int(p*float64(n)))] }
		st.LatencyP50, st.LatencyP95, st.LatencyP99 = pick(0.50), pick(0.95), pick(0.99)
	}
	return st
}
