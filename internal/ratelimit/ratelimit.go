// Package ratelimit lets one event through per period, so that a log line
// a camera can cause many times a second (a rejected packet, a decoder's
// complaint) is printed now and then, not flooded. The session and the
// decoder share it.
package ratelimit

import (
	"sync/atomic"
	"time"
)

// Limit lets one event through per Every. Its zero value lets every event
// through; it is safe for concurrent use.
type Limit struct {
	Every time.Duration
	last  atomic.Int64 // unix nanoseconds of the last event let through
}

// Allow reports whether an event now is let through, and counts it if so.
func (r *Limit) Allow() bool {
	now := time.Now().UnixNano()
	last := r.last.Load()
	return now-last >= int64(r.Every) && r.last.CompareAndSwap(last, now)
}
