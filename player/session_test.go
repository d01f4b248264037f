package player

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
)

func startDemo(t *testing.T, s *democam.Server) *democam.Server {
	t.Helper()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// watched is a session with a decoder and a log of its states.
type watched struct {
	sess *Session
	dec  *Decoder

	mu     sync.Mutex
	states []stateAt
}

type stateAt struct {
	StateChange
	at time.Time
}

func watch(t *testing.T, s *Session) *watched {
	t.Helper()
	w := &watched{sess: s, dec: &Decoder{Slot: NewFrameSlot()}}
	w.dec.SetOutputSize(640, 360)
	s.OnState = func(c StateChange) {
		w.mu.Lock()
		w.states = append(w.states, stateAt{c, time.Now()})
		w.mu.Unlock()
	}
	if s.Logf == nil {
		s.Logf = t.Logf
	}
	s.AddSink(w.dec, 0)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return w
}

// waitFrames waits until the decoder has produced n frames in all.
func (w *watched) waitFrames(t *testing.T, n uint64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for w.dec.Stats().Frames < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d frames after %v, want %d (state %+v)", w.dec.Stats().Frames, within, n, w.sess.State())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *watched) history() []stateAt {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]stateAt(nil), w.states...)
}

// TestLiveCount: over TCP and UDP, every frame the camera sends (250, at
// 25 fps) reaches the recorder-like sink in order and the decoder, none
// dropped or lost. The rate is only logged: `make bench` measures it.
func TestLiveCount(t *testing.T) {
	const frames = 250
	for _, tr := range []Transport{TransportTCP, TransportUDP} {
		t.Run(string(tr), func(t *testing.T) {
			t.Parallel()
			srv := startDemo(t, &democam.Server{Frames: frames})
			sink := newEventSink(true)
			s := &Session{URL: srv.URL(), Transport: tr, Timeout: 60 * time.Second, Logf: t.Logf}
			s.AddSink(sink, frames)
			// Queues that hold the whole clip: a loaded machine may
			// decode slower than real time, and this counts, not times.
			w := &watched{sess: s, dec: &Decoder{Slot: NewFrameSlot()}}
			w.dec.SetOutputSize(640, 360)
			s.AddSink(w.dec, frames)
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			// The decoder keeps the last frames for B-frame reordering
			// until more come, so it shows at most reorder fewer.
			const reorder = 2
			w.waitFrames(t, 1, 20*time.Second)
			start := time.Now()
			w.waitFrames(t, frames-reorder, 60*time.Second)
			took := time.Since(start)

			units := sink.waitVideo(t, frames, 10*time.Second)
			if len(units) != frames {
				t.Fatalf("%d units, want %d", len(units), frames)
			}
			for i := 1; i < len(units); i++ {
				if units[i].Arrival.Before(units[i-1].Arrival) || units[i].AfterLoss {
					t.Fatalf("unit %d out of order or after loss", i)
				}
			}
			st, ds := w.sess.Stats(), w.dec.Stats()
			if ds.Frames != frames-reorder || st.Dropped != 0 || st.PacketsLost != 0 || st.BadPackets != 0 || ds.Errors != 0 {
				t.Fatalf("all %d frames must arrive whole: %+v %+v", frames, st, ds)
			}
			if st.Transport != string(tr) || st.DeclaredFPS != 25 {
				t.Fatalf("stats %+v", st)
			}
			if ds.Width != 1280 || ds.Height != 720 || ds.LatencyP50 <= 0 {
				t.Fatalf("decoder stats %+v", ds)
			}
			t.Logf("%s: %d frames in %v (%.2f fps), measured %.2f fps, %.2f Mbit/s, latency p50 %v p95 %v p99 %v",
				tr, frames-reorder-1, took, float64(frames-reorder-1)/took.Seconds(), st.MeasuredFPS, st.Bitrate/1e6,
				ds.LatencyP50, ds.LatencyP95, ds.LatencyP99)
		})
	}
}

// TestReconnect: the camera drops the connection; the session schedules
// its first retry after ReconnectMin (not a longer back-off), reconnects,
// and frames flow again.
func TestReconnect(t *testing.T) {
	t.Parallel()
	srv := startDemo(t, &democam.Server{DropAfter: 3 * time.Second})
	w := watch(t, &Session{URL: srv.URL()})

	deadline := time.Now().Add(30 * time.Second)
	for {
		h := w.history()
		var dropped, back *stateAt
		for i := range h {
			if h[i].State == StateReconnecting && h[i].Err != nil && dropped == nil {
				dropped = &h[i]
			}
			if dropped != nil && h[i].State == StateLive && h[i].at.After(dropped.at) {
				back = &h[i]
				break
			}
		}
		if back != nil {
			if d := dropped.RetryAt.Sub(dropped.at); d > w.sess.ReconnectMin {
				t.Fatalf("first retry scheduled %v after the drop, want at most %v", d, w.sess.ReconnectMin)
			}
			if !errors.Is(dropped.Err, ErrUnreachable) {
				t.Fatalf("drop reported as %v", dropped.Err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reconnection: %+v", h)
		}
		time.Sleep(50 * time.Millisecond)
	}
	n := w.dec.Stats().Frames
	w.waitFrames(t, n+25, 30*time.Second)
	if w.sess.Stats().Reconnects < 1 {
		t.Fatal("reconnection not counted")
	}
}

// TestTimestampJumps: the camera's timestamps jump; frames keep coming.
func TestTimestampJumps(t *testing.T) {
	for _, jump := range []time.Duration{time.Hour, -10 * time.Second} {
		t.Run(jump.String(), func(t *testing.T) {
			t.Parallel()
			srv := startDemo(t, &democam.Server{JumpAfter: 2 * time.Second, JumpBy: jump})
			w := watch(t, &Session{URL: srv.URL()})
			// The jump comes 2 s (50 frames) in; 50 more are past it.
			w.waitFrames(t, 100, 60*time.Second)
			if st := w.sess.State(); st.State != StateLive {
				t.Fatalf("state %v after the jump", st.State)
			}
		})
	}
}

// TestJoinMidGOP: a shared camera is joined between keyframes; the sinks
// start at the first keyframe and the decoder reports no error.
func TestJoinMidGOP(t *testing.T) {
	t.Parallel()
	srv := startDemo(t, &democam.Server{Shared: true})
	time.Sleep(700 * time.Millisecond) // between the keyframes at 0 and 2 s
	first := make(chan *Unit, 1)
	s := &Session{URL: srv.URL()}
	s.AddSink(sinkFunc(func(u *Unit) {
		select {
		case first <- u:
		default:
		}
	}), 0)
	w := watch(t, s)
	w.waitFrames(t, 10, 10*time.Second)
	if u := <-first; !u.Key {
		t.Fatal("the first unit delivered is not a keyframe")
	}
	if e := w.dec.Stats().Errors; e != 0 {
		t.Fatalf("%d decode errors: garbage was fed before the first keyframe", e)
	}
}

// funcSink is a Sink that only looks at units.
type funcSink struct{ f func(*Unit) }

func sinkFunc(f func(*Unit)) *funcSink { return &funcSink{f} }

func (s *funcSink) OnStream([]*Track) {}
func (s *funcSink) OnUnit(u *Unit)    { s.f(u) }
func (s *funcSink) OnStreamEnd(error) {}

// TestSlowSink: a sink that cannot keep up drops (and counts) without
// costing another sink a unit, and after a drop it resumes at a keyframe.
func TestSlowSink(t *testing.T) {
	t.Parallel()
	const frames = 150
	srv := startDemo(t, &democam.Server{Frames: frames})
	var mu sync.Mutex
	var got []*Unit
	slow := sinkFunc(func(u *Unit) {
		mu.Lock()
		got = append(got, u)
		mu.Unlock()
		time.Sleep(150 * time.Millisecond)
	})
	fast := newEventSink(false)
	s := &Session{URL: srv.URL(), Timeout: 60 * time.Second, Logf: t.Logf}
	s.AddSink(slow, 8)
	s.AddSink(fast, 0)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	units := fast.waitVideo(t, frames, 60*time.Second)
	pts := make([]int64, len(units))
	for i, u := range units {
		pts[i] = u.PTS
	}
	slices.Sort(pts) // presentation order: the clip has B-frames
	for i := 1; i < len(pts); i++ {
		if pts[i]-pts[i-1] != 3600 {
			t.Fatalf("the fast sink misses frames: PTS %d then %d", pts[i-1], pts[i])
		}
	}
	if s.Stats().Dropped == 0 {
		t.Fatal("the slow sink dropped nothing")
	}
	mu.Lock()
	defer mu.Unlock()
	// Units reach the slow sink in runs that each start with a keyframe:
	// a gap in the PTS sequence is always followed by a keyframe.
	for i := 1; i < len(got); i++ {
		if got[i].PTS-got[i-1].PTS > 3600*4 && !got[i].Key {
			t.Fatalf("unit %d resumes after a drop without a keyframe", i)
		}
	}
}
