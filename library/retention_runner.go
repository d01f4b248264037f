package library

import (
	"context"
	"errors"
	"log"
	"sync"
	"syscall"
	"time"
)

// pruneEvery is how often retention runs on its own: often enough that
// a day's limit is kept to minutes, rarely enough to cost nothing.
const pruneEvery = 10 * time.Minute

// Retention applies a Policy to an Index in the background: at Start,
// every Every, and at once when triggered (before each new segment, and
// on a full disk).
type Retention struct {
	// Index is the recordings. Required.
	Index *Index
	// Policy is what to keep.
	Policy Policy
	// Every is the period. It defaults to 10 minutes.
	Every time.Duration
	// OnPrune, if set, is called after each run with what it deleted.
	OnPrune func([]Deletion, error)

	trigger chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

// Start runs retention once now and then in the background.
func (r *Retention) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	r.trigger = make(chan struct{}, 1)
	every := r.Every
	if every <= 0 {
		every = pruneEvery
	}
	go func() {
		defer close(r.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			dels, err := r.Index.Prune(ctx, r.Policy, false)
			if err != nil && ctx.Err() == nil {
				log.Printf("library: retention: %v", err)
			}
			if r.OnPrune != nil && ctx.Err() == nil {
				r.OnPrune(dels, err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-r.trigger:
			}
		}
	}()
}

// Trigger asks for a run now; it never blocks. Call it before a recorder
// opens a segment (its OnSegmentOpen).
func (r *Retention) Trigger() {
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

// OnRecorderError is for a recorder's OnError: a full disk (ENOSPC)
// triggers a run at once, so that the recorder's retry finds space.
func (r *Retention) OnRecorderError(err error) {
	if errors.Is(err, syscall.ENOSPC) {
		r.Trigger()
	}
}

// Close stops the background runs and waits for the one in progress.
func (r *Retention) Close() {
	r.once.Do(func() {
		if r.cancel != nil {
			r.cancel()
			<-r.done
		}
	})
}
