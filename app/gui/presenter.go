package gui

import (
	"context"
	"sync"
	"time"

	"github.com/camdeck/camdeck/player/decode"
)

// presentInterval is the shortest time between two screen updates. Fyne
// repaints the whole window for any change, so four cameras at 25 fps,
// each refreshed on its own, would repaint nearly every 60 Hz tick; in
// batches at most every 1/30 s, a 25-30 fps camera still shows every
// frame, and many cameras cost one repaint.
const presentInterval = time.Second / 30

// presenter gathers the tiles that have a new frame and shows them all in
// one call on the UI goroutine, with at most one such call pending.
type presenter struct {
	do   func(func())
	kick chan struct{}

	mu    sync.Mutex
	dirty map[*tile]*decode.FrameSlot
}

func newPresenter(do func(func())) *presenter {
	return &presenter{do: do, kick: make(chan struct{}, 1), dirty: map[*tile]*decode.FrameSlot{}}
}

// mark says that t has a new frame in slot.
func (p *presenter) mark(t *tile, slot *decode.FrameSlot) {
	p.mu.Lock()
	p.dirty[t] = slot
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// run presents batches until ctx ends.
func (p *presenter) run(ctx context.Context) {
	done := make(chan struct{}, 1)
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		}
		if wait := presentInterval - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		p.mu.Lock()
		batch := p.dirty
		p.dirty = make(map[*tile]*decode.FrameSlot, len(batch))
		p.mu.Unlock()
		last = time.Now()
		p.do(func() {
			for t, slot := range batch {
				t.present(slot)
			}
			done <- struct{}{}
		})
		select {
		case <-ctx.Done():
			return
		case <-done:
		}
	}
}
