package player

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// timeNow is the clock of arrival times; tests may replace it.
var timeNow = time.Now

// Session pulls one camera's stream and hands it to its sinks. It
// connects, and reconnects forever with capped exponential back-off, until
// Close; or once, with Once.
type Session struct {
	// URL of the stream: rtsp://, rtsps://, or the path of an SDP file
	// describing raw RTP sent to this machine.
	URL string
	// Name identifies the camera in errors and logs.
	// It defaults to the URL, password redacted.
	Name string
	// User and Pass, when User is set, replace the URL's credentials;
	// Pass alone replaces only the URL's password.
	User, Pass string
	// Transport for RTSP.
	// It defaults to TCP, and UDP when the camera refuses TCP.
	Transport Transport
	// Timeout bounds connecting, each request, and silence from a live
	// camera.
	// It defaults to 10 seconds.
	Timeout time.Duration
	// ReconnectMin is the first wait before reconnecting; it doubles after
	// each failed attempt up to ReconnectMax.
	// They default to 1 and 30 seconds.
	ReconnectMin, ReconnectMax time.Duration
	// Once makes the session end after its first connection, successful
	// or not; Wait returns why.
	Once bool
	// TLSVerify checks that the certificate of an rtsps:// camera chains
	// to a trusted CA and names its host. It is off by default because
	// nearly every camera presents a self-signed one: TLSFingerprint is
	// how those are trusted.
	TLSVerify bool
	// TLSFingerprint is the SHA-256 fingerprint (see Fingerprint) the
	// certificate of an rtsps:// camera must have; another one fails the
	// session with a *CertificateError. Empty trusts the first
	// certificate seen, as ssh does: OnCertificate tells which, to store,
	// and the session's reconnections must meet it again.
	TLSFingerprint string
	// OnCertificate is called, from the session's goroutine, with the
	// fingerprint of the certificate of each rtsps:// connection that
	// went live. It must not block.
	OnCertificate func(fingerprint string)
	// OnState is called on every change of state, from the session's
	// goroutine. It must not block.
	OnState func(StateChange)
	// Logf receives rate-limited reports of per-packet problems.
	// It defaults to log.Printf.
	Logf func(format string, args ...any)

	ctx       context.Context
	ctxCancel context.CancelFunc
	done      chan struct{}
	err       error

	mu     sync.RWMutex
	sinks  map[Sink]*sinkQueue
	tracks []*Track // of the current connection, nil when not live
	state  StateChange
	ended  bool // run has returned: no sink may be added

	stats      counters
	refusesTCP atomic.Bool // the camera answered 461 to TCP: use UDP
}

// Start checks the URL and starts connecting in the background.
func (s *Session) Start() error {
	if s.Name == "" {
		s.Name = Redact(s.URL)
	}
	if s.Timeout == 0 {
		s.Timeout = 10 * time.Second
	}
	if s.ReconnectMin == 0 {
		s.ReconnectMin = time.Second
	}
	if s.ReconnectMax == 0 {
		s.ReconnectMax = 30 * time.Second
	}
	if s.Logf == nil {
		s.Logf = log.Printf
	}
	if s.TLSFingerprint != "" {
		fp, err := ParseFingerprint(s.TLSFingerprint)
		if err != nil {
			return &Error{Camera: s.Name, Kind: ErrTLS, Detail: err.Error(), Cause: err}
		}
		s.TLSFingerprint = fp
	}
	if _, err := s.newSource(); err != nil {
		return err
	}
	if s.sinks == nil {
		s.sinks = make(map[Sink]*sinkQueue)
	}
	s.stats.init()
	s.ctx, s.ctxCancel = context.WithCancel(context.Background())
	s.done = make(chan struct{})
	go s.run()
	return nil
}

// Close stops the session, ends every sink's stream and waits.
func (s *Session) Close() {
	s.ctxCancel()
	<-s.done
}

// Wait blocks until the session ends (Once, a permanent error, or Close)
// and returns why: nil after Close or a clean end, else an *Error.
func (s *Session) Wait() error {
	<-s.done
	return s.err
}

// Done is closed when the session has ended.
func (s *Session) Done() <-chan struct{} {
	return s.done
}

// State returns the current state.
func (s *Session) State() StateChange {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state
}

// AddSink attaches a sink behind a queue of queueSize units (0 means
// DefaultQueueSize). A sink is known by its value, so it must be
// comparable: use a pointer. If the session is live, the sink's stream starts at
// once; its video starts at the next keyframe. On a session that has
// ended it returns ErrSessionEnded: nothing would ever end the sink's
// stream.
func (s *Session) AddSink(sink Sink, queueSize int) error {
	if queueSize <= 0 {
		queueSize = DefaultQueueSize
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return ErrSessionEnded
	}
	if s.sinks == nil {
		s.sinks = make(map[Sink]*sinkQueue)
	}
	if old := s.sinks[sink]; old != nil {
		return nil // already attached
	}
	q := newSinkQueue(sink, queueSize)
	s.sinks[sink] = q
	if s.tracks != nil {
		q.pushControl(event{kind: evStream, tracks: s.tracks})
	}
	return nil
}

// RemoveSink detaches a sink; its stream ends (OnStreamEnd(nil)) after the
// units already queued, and RemoveSink returns when it has.
func (s *Session) RemoveSink(sink Sink) {
	s.mu.Lock()
	q := s.sinks[sink]
	delete(s.sinks, sink)
	s.mu.Unlock()
	if q != nil {
		q.close()
	}
}

func (s *Session) setState(c StateChange) {
	s.mu.Lock()
	s.state = c
	s.mu.Unlock()
	if s.OnState != nil {
		s.OnState(c)
	}
}

// credentials puts the session's User/Pass, if set, into u.
func (s *Session) credentials(u *url.URL) {
	switch {
	case s.User != "":
		u.User = url.UserPassword(s.User, s.Pass)
	case s.Pass != "":
		u.User = url.UserPassword(u.User.Username(), s.Pass) // Username is nil-safe
	}
}

// redact removes the session's passwords from a text that may quote them
// in a form RedactIn does not recognise.
func (s *Session) redact(text string) string {
	_, _, pass := SplitUserinfo(strings.TrimSpace(s.URL))
	return redactSecret(redactSecret(RedactIn(text), s.Pass), pass)
}

func (s *Session) run() {
	defer close(s.done)
	defer func() {
		s.mu.Lock()
		qs := make([]*sinkQueue, 0, len(s.sinks))
		for _, q := range s.sinks {
			qs = append(qs, q)
		}
		s.sinks = nil
		s.ended = true
		s.mu.Unlock()
		for _, q := range qs {
			q.close()
		}
	}()

	delay := s.ReconnectMin
	for attempt := 0; ; attempt++ {
		st := StateConnecting
		if attempt > 0 {
			st = StateReconnecting
		}
		s.setState(StateChange{State: st})

		src, _ := s.newSource() // checked by Start
		connCtx, end := context.WithCancelCause(s.ctx)
		up := &uplink{s: s, end: end}
		err := src.run(connCtx, up)
		if cause := context.Cause(connCtx); cause != nil && s.ctx.Err() == nil {
			err = cause // the watchdog or the camera's BYE ended it
		}
		end(nil)
		up.wait()
		s.disconnected(err)

		if s.ctx.Err() != nil {
			s.setState(StateChange{State: StateClosed})
			return
		}
		var perr *Error
		if err != nil {
			perr = classify(s.Name, err)
			perr.Detail = s.redact(perr.Detail)
		}
		if s.Once || (perr != nil && perr.Permanent()) {
			if perr != nil && perr.Kind != ErrEnded {
				s.err = perr
				s.setState(StateChange{State: StateFailed, Err: perr})
			} else {
				s.setState(StateChange{State: StateClosed})
			}
			return
		}
		if perr == nil {
			perr = classify(s.Name, ErrEnded)
		}
		if up.live {
			delay = s.ReconnectMin
			s.stats.reconnects.Add(1)
		}
		s.setState(StateChange{State: StateReconnecting, Err: perr, RetryAt: time.Now().Add(delay)})
		select {
		case <-s.ctx.Done():
			s.setState(StateChange{State: StateClosed})
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, s.ReconnectMax)
	}
}

// disconnected ends the sinks' stream after a connection.
func (s *Session) disconnected(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tracks == nil {
		return
	}
	s.tracks = nil
	if s.ctx.Err() != nil {
		err = nil
	}
	for _, q := range s.sinks {
		q.pushControl(event{kind: evEnd, err: err})
	}
}

// uplink is how a source hands one connection's stream to the session.
// Its methods may be called from several goroutines at once (gortsplib
// reads each UDP track on its own), so it keeps no per-track state: loss
// is tracked by each track's depacketizer.
type uplink struct {
	s    *Session
	live bool
	// end ends the connection with a cause (silence, the camera's BYE).
	end context.CancelCauseFunc

	start     time.Time    // monotonic base of lastVideo
	lastVideo atomic.Int64 // since start, when the last complete video unit came
	watchDone chan struct{}
}

// connected starts the stream in every sink and the silence watchdog.
func (u *uplink) connected(ctx context.Context, tracks []*Track, transport string) {
	s := u.s
	u.live = true
	s.stats.connected(tracks, transport)
	s.mu.Lock()
	s.tracks = tracks
	for _, q := range s.sinks {
		q.pushControl(event{kind: evStream, tracks: tracks})
	}
	s.mu.Unlock()
	s.setState(StateChange{State: StateLive, Transport: transport, Tracks: tracks})
	u.watch(ctx)
}

// watch ends the connection when no complete video unit has come for the
// session's Timeout. Packets alone do not count: a camera whose encoder
// hung may keep the connection open and send RTCP reports, or fragments
// of a frame that never completes.
func (u *uplink) watch(ctx context.Context) {
	u.start = time.Now()
	u.watchDone = make(chan struct{})
	timeout := u.s.Timeout
	// Checking four times per timeout notices silence at most a quarter
	// late, at a negligible cost.
	tick := time.NewTicker(timeout / 4)
	go func() {
		defer close(u.watchDone)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if time.Since(u.start)-time.Duration(u.lastVideo.Load()) >= timeout {
					u.end(fmt.Errorf("no complete video frame for %v: %w", timeout, ErrTimeout))
					return
				}
			}
		}
	}()
}

// wait waits for the watchdog, once the connection's context is done.
func (u *uplink) wait() {
	if u.watchDone != nil {
		<-u.watchDone
	}
}

// ended reports the camera's end of stream (RTCP BYE).
func (u *uplink) ended() {
	u.end(ErrEnded)
}

// lost counts packets the network lost.
func (u *uplink) lost(n uint64) {
	u.s.stats.packetsLost.Add(n)
}

// badPacket counts a packet that could not be depacketized.
func (u *uplink) badPacket(err error) {
	u.s.stats.badPackets.Add(1)
	if u.s.stats.logLimit.Allow() {
		u.s.Logf("player: %s: %s (%d so far)", u.s.Name, Escape(u.s.redact(err.Error())), u.s.stats.badPackets.Load())
	}
}

// basicInClear warns, once per session, that the camera takes the
// password in clear.
func (u *uplink) basicInClear() {
	if u.s.stats.basicClear.CompareAndSwap(false, true) {
		u.s.Logf("camera %s accepts only Basic authentication over plain RTSP: the password crosses the network in clear", u.s.Name)
	}
}

// unit hands a unit to every sink.
func (u *uplink) unit(un *Unit) {
	s := u.s
	if un.Track.Codec.IsVideo() {
		u.lastVideo.Store(int64(time.Since(u.start)))
		s.stats.videoUnit(un)
	}
	s.mu.RLock()
	for _, q := range s.sinks {
		q.pushUnit(un)
	}
	s.mu.RUnlock()
}
