package player

import (
	"testing"
	"time"
)

// gateSink blocks in OnUnit until released, and records what it got.
type gateSink struct {
	keep    bool
	entered chan struct{} // a value each time OnUnit is entered
	gate    chan struct{} // closed to let every OnUnit through
	got     []*Unit       // read after the queue is closed
	ended   int
}

func newGateSink(keep bool) *gateSink {
	return &gateSink{keep: keep, entered: make(chan struct{}, 1000), gate: make(chan struct{})}
}

func (g *gateSink) KeepsUnitsAfterLoss() bool { return g.keep }
func (g *gateSink) OnStream([]*Track)         {}
func (g *gateSink) OnStreamEnd(error)         { g.ended++ }
func (g *gateSink) OnUnit(u *Unit) {
	g.entered <- struct{}{}
	<-g.gate
	g.got = append(g.got, u)
}

var testVideo = &Track{Codec: CodecH264, ClockRate: 90000}

func vunit(i int, key bool) *Unit {
	return &Unit{Track: testVideo, PTS: int64(i), Key: key, Data: [][]byte{{5}}}
}

// pushAll pushes units and fails if pushing ever waits for the sink.
func pushAll(t *testing.T, q *sinkQueue, units ...*Unit) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for _, u := range units {
			q.pushUnit(u)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("pushing blocked on a stuck sink")
	}
}

func pts(units []*Unit) []int64 {
	out := make([]int64, len(units))
	for i, u := range units {
		out[i] = u.PTS
	}
	return out
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSinkQueueBounded: a stuck sink holds at most its queue; the rest is
// dropped and counted, never blocking the source; after the drop, video
// resumes at a keyframe; the stream's end is never dropped.
func TestSinkQueueBounded(t *testing.T) {
	g := newGateSink(false)
	q := newSinkQueue(g, 4)
	q.pushControl(event{kind: evStream, tracks: []*Track{testVideo}})
	pushAll(t, q, vunit(0, true))
	<-g.entered // the sink is stuck on unit 0
	var units []*Unit
	for i := 1; i <= 20; i++ {
		units = append(units, vunit(i, i == 15))
	}
	pushAll(t, q, units...)
	// Queued: 1-4. Dropped: 5-20, the queue being full all along (a
	// keyframe finds no room either).
	if d := q.dropped.Load(); d != 16 {
		t.Fatalf("%d dropped, want 16", d)
	}
	q.pushControl(event{kind: evEnd})
	close(g.gate)
	q.close()
	want := []int64{0, 1, 2, 3, 4}
	if got := pts(g.got); !equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	if g.ended != 1 {
		t.Fatalf("%d stream ends, want 1", g.ended)
	}
}

// TestSinkQueueResumesAtKeyframe: after the sink catches up, delivery
// starts again at the next keyframe, not at the next unit.
func TestSinkQueueResumesAtKeyframe(t *testing.T) {
	g := newGateSink(false)
	q := newSinkQueue(g, 2)
	q.pushControl(event{kind: evStream, tracks: []*Track{testVideo}})
	pushAll(t, q, vunit(0, true))
	<-g.entered
	pushAll(t, q, vunit(1, false), vunit(2, false), vunit(3, false)) // 3 overflows
	close(g.gate)
	for range 2 {
		<-g.entered // 1 and 2 delivered: the sink has caught up
	}
	pushAll(t, q, vunit(4, false), vunit(5, true), vunit(6, false))
	q.close()
	if got, want := pts(g.got), []int64{0, 1, 2, 5, 6}; !equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	if d := q.dropped.Load(); d != 2 {
		t.Fatalf("%d dropped, want 2 (3 and 4)", d)
	}
}

// TestSinkQueueAfterLoss: a unit after lost packets restarts a decoder's
// video at a keyframe, while a LossKeeper (a recorder) gets every unit.
func TestSinkQueueAfterLoss(t *testing.T) {
	for _, keep := range []bool{false, true} {
		g := newGateSink(keep)
		close(g.gate)
		q := newSinkQueue(g, 16)
		q.pushControl(event{kind: evStream, tracks: []*Track{testVideo}})
		lost := vunit(2, false)
		lost.AfterLoss = true
		pushAll(t, q, vunit(0, true), vunit(1, false), lost, vunit(3, false), vunit(4, true), vunit(5, false))
		q.close()
		want := []int64{0, 1, 4, 5}
		if keep {
			want = []int64{0, 1, 2, 3, 4, 5}
		}
		if got := pts(g.got); !equal(got, want) {
			t.Fatalf("keeper %v: delivered %v, want %v", keep, got, want)
		}
	}
}
