// Package poll waits in tests for a condition that has no event to wait
// on: a file that appears, a window that shows a picture, a count that
// grows.
package poll

import (
	"testing"
	"time"
)

// The pause between two looks starts short, so that a cheap condition is
// seen soon after it holds, and grows to at most maxPause, so that a
// costly one (a screenshot, an ffprobe) does not load a busy machine.
const (
	minPause = 10 * time.Millisecond
	maxPause = 500 * time.Millisecond
)

// Until calls cond until it returns true, and fails the test if it has
// not within the given time; what names the awaited thing in that
// failure.
func Until(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for pause := minPause; !cond(); pause = min(2*pause, maxPause) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(pause)
	}
}
