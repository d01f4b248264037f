package player

import (
	"sync"
	"sync/atomic"
)

// Sink consumes a session's stream: the decoder, a recorder. Its methods
// are called from one goroutine of its own, in order: OnStream, the units
// of that connection, OnStreamEnd; again for every reconnection.
type Sink interface {
	// OnStream starts a connection's stream with its tracks.
	OnStream(tracks []*Track)
	// OnUnit delivers one unit. After a drop (the sink was too slow)
	// delivery resumes at the next keyframe; so it does after packets of
	// the video track were lost, unless the sink is a LossKeeper.
	OnUnit(u *Unit)
	// OnStreamEnd ends the stream: the connection was lost (err) or the
	// sink was removed or the session closed (err == nil).
	OnStreamEnd(err error)
}

// LossKeeper is a Sink that wants every complete unit, even those that
// follow lost packets (Unit.AfterLoss): a recorder, since a damaged GOP
// still belongs in the file, as ffmpeg and MediaMTX keep it. A decoder is
// not one: fed a frame whose references are missing it draws garbage, so
// it resumes at the next keyframe.
type LossKeeper interface {
	Sink
	// KeepsUnitsAfterLoss returns true to receive units after loss.
	KeepsUnitsAfterLoss() bool
}

// DefaultQueueSize is the units a sink may fall behind before it drops:
// at 25-30 fps, about 2 s of video, enough to ride out a disk stall of a
// recorder without letting a slow decoder pile up more than that delay.
const DefaultQueueSize = 64

type eventKind int

const (
	evStream eventKind = iota
	evUnit
	evEnd
)

type event struct {
	kind   eventKind
	tracks []*Track
	unit   *Unit
	err    error
}

// sinkQueue runs one sink behind a bounded queue. Pushing never blocks:
// when the queue is full the unit is dropped, and so is every video unit
// after it up to the next keyframe, so the sink never sees a broken chain
// of reference frames. Control events (stream start and end) are never
// dropped.
type sinkQueue struct {
	sink     Sink
	size     int
	keepLoss bool // the sink is a LossKeeper

	mu       sync.Mutex
	cond     *sync.Cond
	events   []event
	closed   bool
	queued   int  // units in events
	skipping bool // dropping video until a keyframe
	done     chan struct{}

	dropped atomic.Uint64
}

func newSinkQueue(s Sink, size int) *sinkQueue {
	q := &sinkQueue{sink: s, size: size, done: make(chan struct{}), skipping: true}
	if k, ok := s.(LossKeeper); ok {
		q.keepLoss = k.KeepsUnitsAfterLoss()
	}
	q.cond = sync.NewCond(&q.mu)
	go q.run()
	return q
}

func (q *sinkQueue) pushControl(ev event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.events = append(q.events, ev)
	if ev.kind == evStream {
		q.skipping = true // a stream starts at its first keyframe
	}
	q.cond.Signal()
}

// pushUnit queues u unless the sink is behind, or u follows lost packets
// and the sink wants video to restart at a keyframe.
func (q *sinkQueue) pushUnit(u *Unit) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	video := u.Track.Codec.IsVideo()
	if video {
		if u.AfterLoss && !u.Key && !q.keepLoss {
			q.skipping = true
		}
		if q.skipping && u.Key {
			q.skipping = false
		}
		if q.skipping {
			q.dropped.Add(1)
			return
		}
	}
	if q.queued >= q.size {
		q.dropped.Add(1)
		if video && !u.Key {
			q.skipping = true
		}
		return
	}
	q.events = append(q.events, event{kind: evUnit, unit: u})
	q.queued++
	q.cond.Signal()
}

// close delivers what is queued, then ends the stream if it was open, and
// waits for the sink's goroutine to finish.
func (q *sinkQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.cond.Signal()
	q.mu.Unlock()
	<-q.done
}

func (q *sinkQueue) run() {
	defer close(q.done)
	open := false
	for {
		q.mu.Lock()
		for len(q.events) == 0 && !q.closed {
			q.cond.Wait()
		}
		if len(q.events) == 0 {
			q.mu.Unlock()
			if open {
				q.sink.OnStreamEnd(nil)
			}
			return
		}
		ev := q.events[0]
		q.events[0] = event{}
		q.events = q.events[1:]
		if ev.kind == evUnit {
			q.queued--
		}
		q.mu.Unlock()

		switch ev.kind {
		case evStream:
			if open {
				q.sink.OnStreamEnd(nil)
			}
			q.sink.OnStream(ev.tracks)
			open = true
		case evUnit:
			if open {
				q.sink.OnUnit(ev.unit)
			}
		case evEnd:
			if open {
				q.sink.OnStreamEnd(ev.err)
				open = false
			}
		}
	}
}
