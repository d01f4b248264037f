package democam

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
)

func ticksToDuration(t int64) time.Duration {
	return time.Duration(t) * time.Second / clockRate
}

// feed is one live stream of the clip: a gortsplib ServerStream and the
// goroutine that sends the clip to it in a loop, in real time, from a
// keyframe. Its misbehaviour timers count from its start.
type feed struct {
	srv    *Server
	stream *gortsplib.ServerStream
	media  *description.Media

	ctx       context.Context
	ctxCancel context.CancelFunc
	done      chan struct{}
	startOnce sync.Once

	mu         sync.Mutex
	jumpTicks  int64     // pending jump, applied on the next keyframe
	stallUntil time.Time // nothing is sent before this time
	started    time.Time // the wallclock of the clip's time 0 in the first loop
}

func newFeed(s *Server) (*feed, error) {
	f := &feed{srv: s, done: make(chan struct{})}
	f.media = &description.Media{
		Type: description.MediaTypeVideo,
		Formats: []format.Format{&format.H264{
			PayloadTyp:        96,
			PacketizationMode: 1,
			SPS:               s.Clip.SPS,
			PPS:               s.Clip.PPS,
		}},
	}
	f.stream = &gortsplib.ServerStream{
		Server: s.rtsp,
		Desc:   &description.Session{Medias: []*description.Media{f.media}},
	}
	if err := f.stream.Initialize(); err != nil {
		return nil, err
	}
	f.ctx, f.ctxCancel = context.WithCancel(context.Background())
	return f, nil
}

// start begins sending; later calls do nothing.
func (f *feed) start() {
	f.startOnce.Do(func() { go f.run() })
}

// close stops sending and disconnects the feed's readers.
func (f *feed) close() {
	f.ctxCancel()
	started := true
	f.startOnce.Do(func() { started = false })
	if started {
		<-f.done
	}
	f.stream.Close()
}

func (f *feed) jump(ticks int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jumpTicks += ticks
}

func (f *feed) stall(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stallUntil = time.Now().Add(d)
}

// run sends the clip in a loop, each frame at its decoding time, until close.
func (f *feed) run() {
	defer close(f.done)

	enc, err := f.media.Formats[0].(*format.H264).CreateEncoder()
	if err != nil {
		panic(err) // a fixed, valid configuration
	}

	var b [4]byte
	_, _ = rand.Read(b[:])
	tsBase := int64(binary.BigEndian.Uint32(b[:])) // RFC 3550: random initial timestamp

	s := f.srv
	clip := s.Clip
	first := clip.Frames[0].DTS
	start := time.Now()
	f.mu.Lock()
	f.started = start
	f.mu.Unlock()
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C

	var loop, jumped int64
	jumpFired, stallFired := false, false

	for i := 0; ; i++ {
		if s.Frames > 0 && i == s.Frames {
			<-f.ctx.Done()
			return
		}
		k := i % len(clip.Frames)
		if k == 0 && i > 0 {
			loop += clip.Duration
		}
		fr := &clip.Frames[k]

		timer.Reset(time.Until(start.Add(ticksToDuration(fr.DTS + loop - first))))
		select {
		case <-f.ctx.Done():
			return
		case <-timer.C:
		}

		elapsed := time.Since(start)
		if !jumpFired && s.JumpAfter > 0 && elapsed >= s.JumpAfter {
			jumpFired = true
			f.jump(int64(s.JumpBy / (time.Second / clockRate)))
		}
		if !stallFired && s.StallAfter > 0 && elapsed >= s.StallAfter {
			stallFired = true
			f.stall(s.StallFor)
		}

		f.mu.Lock()
		if fr.Key {
			jumped += f.jumpTicks
			f.jumpTicks = 0
		}
		stalled := time.Now().Before(f.stallUntil)
		f.mu.Unlock()
		if stalled {
			continue
		}

		pkts, err := enc.Encode(clip.WithParams(fr))
		if err != nil {
			continue
		}
		pts := fr.PTS + loop
		ts := uint32(tsBase + pts + jumped)
		ntp := start.Add(ticksToDuration(pts - first))
		for _, pkt := range pkts {
			pkt.Timestamp = ts
			// Fails only when the stream is closing.
			_ = f.stream.WritePacketRTPWithNTP(f.media, pkt, ntp)
		}
	}
}
