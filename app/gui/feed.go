package gui

import (
	"log"
	"sync"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// stream is what the window needs of a player.Session; tests use fakes.
type stream interface {
	Start() error
	Close()
	State() player.StateChange
	Stats() player.Stats
	AddSink(sink player.Sink, queueSize int) error
	RemoveSink(sink player.Sink)
	Done() <-chan struct{}
	Wait() error
}

// streamConfig says which stream to open and where its states go.
type streamConfig struct {
	URL, Name, User, Pass string
	Transport             player.Transport
	OnState               func(player.StateChange)
	// TLSFingerprint and OnCertificate are the profile's trust of an
	// rtsps:// camera (see player.Session).
	TLSFingerprint string
	OnCertificate  func(fingerprint string)
	Once           bool          // connect once, as a probe does
	Timeout        time.Duration // 0: the session's default
}

// openSession opens a real camera stream.
func openSession(c streamConfig) stream {
	return &player.Session{
		URL: c.URL, Name: c.Name, User: c.User, Pass: c.Pass,
		Transport: c.Transport, OnState: c.OnState, Logf: log.Printf,
		TLSFingerprint: c.TLSFingerprint, OnCertificate: c.OnCertificate,
		Once: c.Once, Timeout: c.Timeout,
	}
}

// feed is one stream of a camera (its main stream, or its sub-stream)
// shared by whoever needs it: the tile showing it, a recording, a
// snapshot. The session runs while it has users; a decoder is attached
// while some of them watch. Its fields are the UI goroutine's, except
// state, which the session's goroutine sets under mu.
type feed struct {
	cam  *camera
	cfg  streamConfig
	slot *decode.FrameSlot

	sess     stream
	dec      *decode.Decoder // attached while watchers > 0
	users    int
	watchers int
	outW     int // output size the tile asked for
	outH     int

	mu    sync.Mutex
	gen   int // bumped per session, so a closed session's late states are ignored
	state player.StateChange
}

func newFeed(cam *camera, cfg streamConfig) *feed {
	return &feed{cam: cam, cfg: cfg, slot: decode.NewFrameSlot()}
}

// use starts the session if needed; watch attaches the decoder too. It
// never blocks.
func (f *feed) use(watch bool) {
	ui := f.cam.ui
	if f.users == 0 {
		f.mu.Lock()
		f.gen++
		gen := f.gen
		f.state = player.StateChange{State: player.StateConnecting}
		f.mu.Unlock()
		cfg := f.cfg
		cfg.OnState = func(c player.StateChange) { f.onState(gen, c) }
		s := ui.open(cfg)
		if err := s.Start(); err != nil {
			f.setState(gen, player.StateChange{State: player.StateFailed, Err: err})
		} else {
			f.sess = s
		}
	}
	f.users++
	if watch {
		f.watchers++
		if f.watchers == 1 && f.sess != nil {
			f.dec = &decode.Decoder{Slot: f.slot}
			f.dec.SetOutputSize(f.outW, f.outH)
			f.sess.AddSink(f.dec, 0)
		}
	}
}

// release undoes use. The session is closed, or the decoder detached, in
// the background: both wait for goroutines.
func (f *feed) release(watch bool) {
	ui := f.cam.ui
	if watch {
		f.watchers--
		if f.watchers == 0 && f.dec != nil {
			sess, dec := f.sess, f.dec
			f.dec = nil
			if f.users > 1 {
				ui.goBackground(func() { sess.RemoveSink(dec) })
			}
		}
	}
	f.users--
	if f.users == 0 && f.sess != nil {
		sess := f.sess
		f.sess = nil
		f.mu.Lock()
		f.gen++
		f.state = player.StateChange{State: player.StateClosed}
		f.mu.Unlock()
		ui.goBackground(sess.Close)
	}
}

// setOutputSize passes the size the tile shows to the decoder.
func (f *feed) setOutputSize(w, h int) {
	f.outW, f.outH = w, h
	if f.dec != nil {
		f.dec.SetOutputSize(w, h)
	}
}

// onState runs on the session's goroutine: it records the state and asks
// the UI goroutine to show it.
func (f *feed) onState(gen int, c player.StateChange) {
	if f.setState(gen, c) {
		f.cam.ui.do(f.cam.stateChanged)
	}
}

func (f *feed) setState(gen int, c player.StateChange) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen != f.gen {
		return false
	}
	f.state = c
	return true
}

// State returns the feed's latest state; safe from any goroutine.
func (f *feed) State() player.StateChange {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state
}
