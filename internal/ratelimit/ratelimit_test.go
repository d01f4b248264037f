package ratelimit

import (
	"sync"
	"testing"
	"time"
)

// TestLimit: of many events at once, one is let through per period, also
// when they come from several goroutines; after the period, one more.
func TestLimit(t *testing.T) {
	l := &Limit{Every: time.Hour}
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if l.Allow() {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 1 {
		t.Fatalf("%d of 800 events let through within the period, want 1", allowed)
	}
	l.last.Add(-int64(time.Hour)) // the period has passed
	if !l.Allow() || l.Allow() {
		t.Fatal("after the period: want one event through, then none")
	}
}
