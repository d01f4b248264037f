package gui

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// uiQueue stands for Fyne's event loop: what background goroutines hand
// to the UI runs on the test goroutine when the test drains the queue, so
// widgets are touched by one goroutine only, as in the app.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) post(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// drain runs what is queued, and what that queues, until nothing is.
func (q *uiQueue) drain() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// until drains the queue until cond holds, or fails the test.
func (q *uiQueue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fakeStream is a camera session the test drives.
type fakeStream struct {
	cfg streamConfig

	mu      sync.Mutex
	started bool
	closed  bool
	sinks   map[player.Sink]bool
	removed []player.Sink
	state   player.StateChange
}

func (f *fakeStream) Start() error {
	f.mu.Lock()
	f.started = true
	f.mu.Unlock()
	f.set(player.StateChange{State: player.StateConnecting})
	return nil
}

// Done and Wait: a fake stream never ends by itself.
func (f *fakeStream) Done() <-chan struct{} { return nil }
func (f *fakeStream) Wait() error           { return nil }

func (f *fakeStream) Close() {
	f.mu.Lock()
	f.closed = true
	sinks := f.sinks
	f.sinks = nil
	f.mu.Unlock()
	for s := range sinks {
		end(s)
	}
}

func (f *fakeStream) State() player.StateChange {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state
}

func (f *fakeStream) Stats() player.Stats {
	return player.Stats{Codec: "H.264", Width: 1280, Height: 720, MeasuredFPS: 25, Bitrate: 2e6, Transport: "tcp"}
}

func (f *fakeStream) AddSink(s player.Sink, _ int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sinks == nil {
		f.sinks = map[player.Sink]bool{}
	}
	f.sinks[s] = true
	return nil
}

func (f *fakeStream) RemoveSink(s player.Sink) {
	f.mu.Lock()
	ok := f.sinks[s]
	delete(f.sinks, s)
	f.removed = append(f.removed, s)
	f.mu.Unlock()
	if ok {
		end(s)
	}
}

// end ends a sink's stream; decoders that never started need nothing.
func end(s player.Sink) {
	if _, dec := s.(*decode.Decoder); !dec {
		s.OnStreamEnd(nil)
	}
}

func (f *fakeStream) set(c player.StateChange) {
	f.mu.Lock()
	f.state = c
	f.mu.Unlock()
	f.cfg.OnState(c)
}

func (f *fakeStream) has(s player.Sink) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sinks[s]
}

func (f *fakeStream) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// fakeRecorder is a recorder whose progress the test sets.
type fakeRecorder struct {
	cfg recorderConfig

	mu     sync.Mutex
	status recorder.Status
	ended  bool
	closed bool // Close was called, after the stream ended
}

// Close records that the recorder was closed once its stream had ended.
func (r *fakeRecorder) Close() {
	r.mu.Lock()
	r.closed = r.ended
	r.mu.Unlock()
}

// isClosed tells that the recorder was removed, then closed.
func (r *fakeRecorder) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func (r *fakeRecorder) OnStream([]*player.Track) {}
func (r *fakeRecorder) OnUnit(*player.Unit)      {}
func (r *fakeRecorder) OnStreamEnd(error) {
	r.mu.Lock()
	r.ended = true
	r.status.Recording = false
	r.mu.Unlock()
}

func (r *fakeRecorder) Status() recorder.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

func (r *fakeRecorder) set(st recorder.Status) {
	r.mu.Lock()
	r.status = st
	r.mu.Unlock()
}

func (r *fakeRecorder) isEnded() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ended
}

// harness is a window with fake cameras.
type harness struct {
	t       *testing.T
	ui      *UI
	q       *uiQueue
	win     fyne.Window
	store   *camdeck.Store
	streams []*fakeStream
	recs    []*fakeRecorder
}

func newHarness(t *testing.T, ps []camdeck.Profile) *harness {
	t.Helper()
	return newHarnessWith(t, ps, nil)
}

// newHarnessWith is newHarness with a recordings index.
func newHarnessWith(t *testing.T, ps []camdeck.Profile, lib *recordingsLibrary) *harness {
	t.Helper()
	return newHarnessFull(t, ps, filepath.Join(t.TempDir(), "camdeck", camdeck.FileName), lib)
}

// newHarnessAt is newHarness with the profile file (and so the layout
// file) at path: a second harness on the same path is a restart.
func newHarnessAt(t *testing.T, ps []camdeck.Profile, path string) *harness {
	t.Helper()
	return newHarnessFull(t, ps, path, nil)
}

func newHarnessFull(t *testing.T, ps []camdeck.Profile, path string, lib *recordingsLibrary) *harness {
	t.Helper()
	return newHarnessSound(t, ps, path, lib, nil)
}

// errNoSound is the tests' sound device unless they bring one: none.
var errNoSound = errors.New("no sound device: none in tests")

// newHarnessSound is newHarnessFull with a sound device (nil: none).
func newHarnessSound(t *testing.T, ps []camdeck.Profile, path string, lib *recordingsLibrary, out soundOutput) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	h := &harness{t: t, q: &uiQueue{}}
	h.store = &camdeck.Store{Path: path}
	h.win = test.NewTempWindow(t, nil)
	h.win.Resize(fyne.NewSize(1280, 760))
	h.ui = newUI(a, h.win, h.store, options{
		demoURL: "rtsp://127.0.0.1:1/demo",
		do:      h.q.post,
		open: func(c streamConfig) stream {
			s := &fakeStream{cfg: c}
			h.streams = append(h.streams, s)
			return s
		},
		newRecorder: func(c recorderConfig) recorderSink {
			r := &fakeRecorder{cfg: c, status: recorder.Status{Recording: true, Path: filepath.Join(c.Dir, c.Camera+".mp4")}}
			h.recs = append(h.recs, r)
			return r
		},
		lib: lib,
		sound: func() (soundOutput, error) {
			if out == nil {
				return nil, errNoSound
			}
			return out, nil
		},
	})
	t.Cleanup(h.ui.stopPresent)
	// Profile saves run in the background: wait for them before the
	// temporary folder they write to is removed.
	t.Cleanup(h.ui.bg.Wait)
	h.ui.build(ps)
	if _, err := os.Stat(layoutPath(h.store)); err != nil {
		h.win.Resize(fyne.NewSize(1280, 760)) // no layout restored
	}
	h.q.drain()
	return h
}

// liveAll makes every open stream live.
func (h *harness) liveAll() {
	for _, s := range h.streams {
		if !s.isClosed() {
			s.set(player.StateChange{State: player.StateLive, Transport: "tcp"})
		}
	}
	h.q.drain()
}

func profile(name string) camdeck.Profile {
	return camdeck.Profile{Name: name, URL: "rtsp://127.0.0.1:1/" + name, Transport: "tcp", RecordDir: "/nonexistent/rec"}
}
