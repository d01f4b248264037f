package player

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/pion/rtcp"

	"github.com/camdeck/camdeck/internal/democam"
)

// eventSink records what a session delivers: units, stream starts and
// ends. With keep it is a LossKeeper, as a recorder is.
type eventSink struct {
	keep bool

	mu      sync.Mutex
	units   []*Unit
	streams chan []*Track
	ends    chan error
}

func newEventSink(keep bool) *eventSink {
	return &eventSink{keep: keep, streams: make(chan []*Track, 16), ends: make(chan error, 16)}
}

func (s *eventSink) KeepsUnitsAfterLoss() bool { return s.keep }
func (s *eventSink) OnStream(t []*Track)       { s.streams <- t }
func (s *eventSink) OnStreamEnd(err error)     { s.ends <- err }
func (s *eventSink) OnUnit(u *Unit) {
	s.mu.Lock()
	s.units = append(s.units, u)
	s.mu.Unlock()
}

// video returns the video units received so far.
func (s *eventSink) video() []*Unit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var v []*Unit
	for _, u := range s.units {
		if u.Track.Codec.IsVideo() {
			v = append(v, u)
		}
	}
	return v
}

// waitVideo waits until n video units have come.
func (s *eventSink) waitVideo(t *testing.T, n int, within time.Duration) []*Unit {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		v := s.video()
		if len(v) >= n {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d video units after %v, want %d", len(v), within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *eventSink) waitEnd(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case err := <-s.ends:
		return err
	case <-time.After(within):
		t.Fatalf("the stream did not end within %v", within)
		return nil
	}
}

// waitState waits for a state change that ok accepts.
func (w *watched) waitState(t *testing.T, within time.Duration, ok func(StateChange) bool) StateChange {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, s := range w.history() {
			if ok(s.StateChange) {
				return s.StateChange
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no such state within %v: %+v", within, w.history())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// streamingFakeCam starts a fake camera and a session reading it into a
// sink, with the given silence timeout, and sends 25 frames: it returns
// once they flow, with the RTP time after the last one.
func streamingFakeCam(t *testing.T, timeout time.Duration) (*fakeCam, *eventSink, *watched, uint32) {
	t.Helper()
	fc := startFakeCam(t, false)
	sink := newEventSink(true)
	s := &Session{URL: fc.URL(), Timeout: timeout, ReconnectMin: 100 * time.Millisecond}
	s.AddSink(sink, 0)
	w := watch(t, s)
	fc.waitPlay(t)
	ts := fc.sendFrames(t, 25, 1000)
	w.waitFrames(t, 10, 10*time.Second)
	return fc, sink, w, ts
}

// TestSilenceWhileFragmentsArrive: a camera that keeps sending packets
// but never a whole frame (FU-A fragments that never end) is silent: the
// session reports no data after its timeout, ends the sinks' stream and
// reconnects.
func TestSilenceWhileFragmentsArrive(t *testing.T) {
	t.Parallel()
	fc, sink, w, ts := streamingFakeCam(t, 2*time.Second)

	// Fragments every 20 ms for up to 12 s: far more often than the
	// timeout, so only a silence timer that wants whole frames fires.
	stop := make(chan struct{})
	go func() {
		for i := 0; i < 600; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			_ = fc.stream.WritePacketRTP(fc.media, fuStart(uint16(i), ts))
		}
	}()
	defer close(stop)

	if err := sink.waitEnd(t, 12*time.Second); !errors.Is(err, ErrTimeout) {
		t.Fatalf("stream ended with %v, want ErrTimeout", err)
	}
	st := w.waitState(t, 5*time.Second, func(c StateChange) bool { return c.State == StateReconnecting && c.Err != nil })
	if !errors.Is(st.Err, ErrTimeout) || !strings.Contains(st.Err.Error(), "no data from the camera") {
		t.Fatalf("reconnecting after %v, want no data from the camera", st.Err)
	}
	fc.waitPlay(t) // the reconnection
}

// TestByeEndsStream: the camera's RTCP BYE ends the stream at once (the
// recorder finishes its file), not after the silence timeout, and the
// session then reconnects.
func TestByeEndsStream(t *testing.T) {
	t.Parallel()
	fc, sink, w, _ := streamingFakeCam(t, 20*time.Second)

	if err := fc.stream.WritePacketRTCP(fc.media, &rtcp.Goodbye{Sources: []uint32{1}}); err != nil {
		t.Fatal(err)
	}
	// Well within the 20 s timeout: only the BYE can end it this soon.
	if err := sink.waitEnd(t, 5*time.Second); !errors.Is(err, ErrEnded) {
		t.Fatalf("stream ended with %v, want ErrEnded", err)
	}
	st := w.waitState(t, 5*time.Second, func(c StateChange) bool { return c.State == StateReconnecting && c.Err != nil })
	if !strings.Contains(st.Err.Error(), "the camera ended the stream") {
		t.Fatalf("reconnecting after %q", st.Err)
	}
	if n := len(sink.video()); n != 25 {
		t.Fatalf("%d units before the BYE, want the 25 sent", n)
	}
	fc.waitPlay(t) // reconnecting after an end is fine
}

// TestRefusedTCP: a camera that answers 461 to TCP (VLC's server) is read
// over UDP by default, said once in the log; with an explicit TCP it is a
// permanent error with a hint.
func TestRefusedTCP(t *testing.T) {
	t.Run("default falls back to UDP", func(t *testing.T) {
		t.Parallel()
		fc := startFakeCam(t, true)
		var mu sync.Mutex
		var logs []string
		s := &Session{URL: fc.URL(), Timeout: 2 * time.Second, ReconnectMin: 100 * time.Millisecond, Logf: func(f string, a ...any) {
			mu.Lock()
			logs = append(logs, f)
			mu.Unlock()
		}}
		w := watch(t, s)
		fc.waitPlay(t)
		ts := fc.sendFrames(t, 25, 1000)
		w.waitFrames(t, 10, 10*time.Second)
		if tr := s.Stats().Transport; tr != "udp" {
			t.Fatalf("transport %q, want udp", tr)
		}
		// Silence makes the session reconnect, straight over UDP, without
		// a second line.
		fc.waitPlay(t)
		fc.sendFrames(t, 25, ts)
		if got := fc.transports(); strings.Join(got, " ") != "tcp udp udp" {
			t.Fatalf("SETUP transports %v, want tcp, udp, then udp", got)
		}
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, l := range logs {
			if strings.Contains(l, "refuses TCP") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d log lines about TCP, want 1: %q", n, logs)
		}
	})
	t.Run("explicit TCP fails", func(t *testing.T) {
		t.Parallel()
		fc := startFakeCam(t, true)
		err := watch(t, &Session{URL: fc.URL(), Transport: TransportTCP, ReconnectMin: 100 * time.Millisecond, Logf: t.Logf}).givesUp(t)
		if errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "the camera refuses TCP; try --transport udp or auto") {
			t.Fatalf("err %v, want a permanent refusal with the hint", err)
		}
	})
}

// TestRefusedRequest: a camera that answers DESCRIBE with a client error
// (400 Bad Request: MediaMTX for a path name it cannot take) fails once,
// naming the reply, instead of being called unreachable and retried
// forever; a server error (503: too many viewers) is retried.
func TestRefusedRequest(t *testing.T) {
	t.Run("400 is permanent", func(t *testing.T) {
		t.Parallel()
		fc := startFakeCam(t, false)
		fc.describeStatus = base.StatusBadRequest
		err := watch(t, &Session{URL: fc.URL(), ReconnectMin: 100 * time.Millisecond, Logf: t.Logf}).givesUp(t)
		if !errors.Is(err, ErrRefused) || errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "400 Bad Request") {
			t.Fatalf("err %v, want the camera refusing the request, naming 400 Bad Request", err)
		}
		if n := fc.describeCount(); n != 1 {
			t.Fatalf("%d DESCRIBEs, want 1", n)
		}
	})
	t.Run("503 is retried", func(t *testing.T) {
		t.Parallel()
		fc := startFakeCam(t, false)
		fc.describeStatus = base.StatusServiceUnavailable
		s := &Session{URL: fc.URL(), ReconnectMin: 100 * time.Millisecond, ReconnectMax: 200 * time.Millisecond, Logf: t.Logf}
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		deadline := time.Now().Add(15 * time.Second)
		for fc.describeCount() < 3 {
			if time.Now().After(deadline) {
				t.Fatalf("%d DESCRIBEs in 15 s, want retries", fc.describeCount())
			}
			time.Sleep(20 * time.Millisecond)
		}
		select {
		case <-s.Done():
			t.Fatalf("the session ended: %v", s.Wait())
		default:
		}
	})
}

// TestUDPReadBuffer: each UDP socket of the session has at least the
// 1 MiB receive buffer a large keyframe's burst needs (the system
// default, about 208 KB, loses packets of a 170 KB keyframe).
func TestUDPReadBuffer(t *testing.T) {
	t.Parallel()
	srv := democam.StartForTest(t, &democam.Server{})
	w := watch(t, &Session{URL: srv.URL(), Transport: TransportUDP})
	w.waitFrames(t, 5, 15*time.Second)
	if st := w.sess.Stats(); st.Transport != "udp" || st.UDPReadBuffer < udpReadBuffer {
		t.Fatalf("transport %s, UDP read buffer %d bytes, want at least %d", st.Transport, st.UDPReadBuffer, udpReadBuffer)
	}
}
