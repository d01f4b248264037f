package decode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync/atomic"
	"time"

	"github.com/asticode/go-astiav"

	"github.com/camdeck/camdeck/player"
)

// Segment is one recorded file to play: a fragmented MP4 and the
// wallclock time of its first frame.
type Segment struct {
	// Path is the file, or with Playback.Fetch a name for it in messages.
	Path     string
	Start    time.Time
	Duration time.Duration
	// Lead is how much the file holds before Start: frames there only to
	// decode from, never shown. A piece of a longer recording fetched
	// from a server starts a little early so that it holds the keyframe
	// before Start; playing on into it starts at Start.
	Lead time.Duration
}

// End is when the segment's last frame ends.
func (s Segment) End() time.Time { return s.Start.Add(s.Duration) }

// Playback plays recorded segments into a Decoder: the same decoder,
// scaler and FrameSlot as live video, fed by libavformat's demuxer instead
// of a session. Frames carry a PTS counted from the first segment's start,
// so Wallclock(frame.PTS) is when it was recorded. Every FFmpeg object
// lives on Playback's goroutine. It starts paused; Seek shows the frame at
// a time, Play runs from there across segment boundaries (gaps between
// segments are skipped).
type Playback struct {
	// Decoder decodes and scales; its Slot receives the frames. Required.
	Decoder *Decoder
	// Segments to play, oldest first. Required.
	Segments []Segment
	// Logf receives one line per unreadable file. It defaults to log.Printf.
	Logf func(format string, args ...any)
	// Fetch, if set, gives the local file of a segment, which Path then
	// only names: a recording a server keeps, fetched when it is opened.
	// It runs on the playback goroutine, each time a segment is opened.
	Fetch func(ctx context.Context, s Segment) (string, error)

	cmds    chan func()
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	playing atomic.Bool
	speed   atomic.Int32

	// Owned by the goroutine.
	fc      *astiav.FormatContext
	pkt     *astiav.Packet
	seg     int // index of the open segment, -1 for none
	vidx    int
	tb      astiav.Rational
	first   int64 // the stream's first timestamp, in tb
	track   *player.Track
	wall0   time.Time    // when the frame at media0 was due
	media0  int64        // 90 kHz, counted from Segments[0].Start
	pend    *player.Unit // read but not yet due when a command came
	pendDTS int64
}

// clockRate is the time base of playback PTS: 90 kHz, as RTP video.
const clockRate = 90000

var tb90k = astiav.NewRational(1, clockRate)

// ErrNoSegment is returned when a time has no recording at or after it.
var ErrNoSegment = errors.New("decode: no recording at or after that time")

// Start starts the playback goroutine.
func (p *Playback) Start() error {
	if p.Decoder == nil || len(p.Segments) == 0 {
		return errors.New("decode: playback needs a decoder and segments")
	}
	if p.Logf == nil {
		p.Logf = log.Printf
	}
	p.cmds = make(chan func(), 16)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.done = make(chan struct{})
	p.seg = -1
	p.speed.Store(1)
	quietLibav()
	go p.run()
	return nil
}

// Close stops playback and frees every FFmpeg object.
func (p *Playback) Close() {
	p.cancel()
	<-p.done
}

// Wallclock is the recording time of a frame with this PTS.
func (p *Playback) Wallclock(pts time.Duration) time.Time {
	return p.Segments[0].Start.Add(pts)
}

// do runs f on the playback goroutine and waits for it.
func (p *Playback) do(f func()) {
	ran := make(chan struct{})
	select {
	case p.cmds <- func() { f(); close(ran) }:
	case <-p.ctx.Done():
		return
	}
	// Once taken, f runs to its end even when Close comes meanwhile: wait
	// for that (or for the goroutine's end), so that what f wrote is seen.
	select {
	case <-ran:
	case <-p.done:
	}
}

// Seek shows the frame recorded at t (or the first one after it when t
// falls in a gap): it seeks to the keyframe at or before and decodes
// forward. Playing goes on from there if it was playing.
func (p *Playback) Seek(t time.Time) error {
	var err error
	p.do(func() { err = p.seek(t) })
	return err
}

// Play starts or resumes playing.
func (p *Playback) Play() { p.do(func() { p.playing.Store(true); p.wall0 = time.Time{} }) }

// Pause stops at the frame shown.
func (p *Playback) Pause() { p.do(func() { p.playing.Store(false) }) }

// Playing tells whether it is playing.
func (p *Playback) Playing() bool { return p.playing.Load() }

// SetSpeed sets 1x, 2x, 4x or 8x; above 4x only keyframes are shown.
func (p *Playback) SetSpeed(n int) {
	n = min(max(n, 1), 8)
	p.do(func() { p.speed.Store(int32(n)); p.wall0 = time.Time{} })
}

// Speed is the current speed.
func (p *Playback) Speed() int { return int(p.speed.Load()) }

// Step pauses and shows the next frame.
func (p *Playback) Step() error {
	var err error
	p.do(func() {
		p.playing.Store(false)
		err = p.showNext()
	})
	return err
}

func (p *Playback) run() {
	defer close(p.done)
	defer func() {
		p.Decoder.OnStreamEnd(nil)
		p.closeFile()
		if p.pkt != nil {
			p.pkt.Free()
		}
	}()
	for {
		if !p.playing.Load() {
			select {
			case <-p.ctx.Done():
				return
			case c := <-p.cmds:
				c()
			}
			continue
		}
		u, dts, err := p.next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				p.Logf("decode: playback: %v", err)
			}
			p.playing.Store(false)
			continue
		}
		speed := int64(p.speed.Load())
		if speed > 4 && !u.Key {
			continue // keyframes only: decoding every frame at 8x is more than a core
		}
		if p.wall0.IsZero() {
			p.wall0, p.media0 = time.Now(), dts
		}
		due := p.wall0.Add(time.Duration((dts - p.media0) * int64(time.Second) / clockRate / speed))
		if wait := time.Until(due); wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-p.ctx.Done():
				timer.Stop()
				return
			case c := <-p.cmds:
				timer.Stop()
				p.pend, p.pendDTS = u, dts // not due yet: it goes first after the command
				c()
				continue
			case <-timer.C:
			}
		}
		p.Decoder.OnUnit(u)
	}
}

// showNext feeds units until one more frame is shown.
func (p *Playback) showNext() error {
	n := p.Decoder.Stats().Frames
	for p.Decoder.Stats().Frames == n {
		u, _, err := p.next()
		if err != nil {
			return err
		}
		p.Decoder.OnUnit(u)
	}
	p.Decoder.hiding = false
	return nil
}

// seek opens the segment at t, seeks to the keyframe at or before t and
// decodes forward to the first frame at or after t.
func (p *Playback) seek(t time.Time) error {
	i := 0
	for i < len(p.Segments) && !p.Segments[i].End().After(t) {
		i++
	}
	if i == len(p.Segments) {
		return ErrNoSegment
	}
	if s := p.Segments[i]; t.Before(s.Start) {
		t = s.Start
	}
	if err := p.open(i); err != nil {
		return err
	}
	p.pend = nil
	p.Decoder.OnStream([]*player.Track{p.track}) // a fresh decoder: nothing from before the seek
	if err := p.seekIn(t); err != nil {
		return err
	}
	err := p.showNext()
	p.wall0 = time.Time{}
	return err
}

// seekIn moves the open file to the keyframe at or before t and hides
// the frames before t.
func (p *Playback) seekIn(t time.Time) error {
	s := p.Segments[p.seg]
	ts := p.first + astiav.RescaleQ(int64(t.Sub(p.fileStart(p.seg))/time.Microsecond), astiav.NewRational(1, 1000000), p.tb)
	if err := p.fc.SeekFrame(p.vidx, ts, astiav.NewSeekFlags(astiav.SeekFlagBackward)); err != nil {
		return fmt.Errorf("decode: seek in %s: %w", s.Path, err)
	}
	p.Decoder.hide = p.global(ts)
	p.Decoder.hiding = true
	return nil
}

// fileStart is the wallclock time of media time 0 in segment i's file.
func (p *Playback) fileStart(i int) time.Time {
	return p.Segments[i].Start.Add(-p.Segments[i].Lead)
}

// global turns a stream timestamp of the open segment into playback PTS.
func (p *Playback) global(ts int64) int64 {
	off := p.fileStart(p.seg).Sub(p.Segments[0].Start)
	return int64(off)*clockRate/int64(time.Second) + astiav.RescaleQ(ts-p.first, p.tb, tb90k)
}

// next reads the next video unit, moving to the next segment at the end of
// one. It returns io.EOF after the last segment.
func (p *Playback) next() (*player.Unit, int64, error) {
	if u := p.pend; u != nil {
		p.pend = nil
		return u, p.pendDTS, nil
	}
	for {
		if p.fc == nil {
			return nil, 0, io.EOF
		}
		err := p.fc.ReadFrame(p.pkt)
		if errors.Is(err, astiav.ErrEof) {
			p.Decoder.drain()
			end := p.Segments[p.seg].End()
			if p.seg+1 >= len(p.Segments) {
				return nil, 0, io.EOF
			}
			gap := p.Segments[p.seg+1].Start.Sub(end)
			if err := p.open(p.seg + 1); err != nil {
				return nil, 0, err
			}
			p.Decoder.OnStream([]*player.Track{p.track})
			if s := p.Segments[p.seg]; s.Lead > 0 {
				if err := p.seekIn(s.Start); err != nil { // its lead-in was shown from the last file
					return nil, 0, err
				}
			}
			if gap > 0 && !p.wall0.IsZero() {
				p.media0 += int64(gap) * clockRate / int64(time.Second) // gaps are skipped
			}
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("decode: read %s: %w", p.Segments[p.seg].Path, err)
		}
		if p.pkt.StreamIndex() != p.vidx {
			p.pkt.Unref()
			continue
		}
		u := &player.Unit{Track: p.track, PTS: p.global(p.pkt.Pts()), Arrival: time.Now(),
			Key: p.pkt.Flags().Has(astiav.PacketFlagKey)}
		dts := p.pkt.Dts()
		if dts == astiav.NoPtsValue {
			dts = p.pkt.Pts()
		}
		data := p.pkt.Data()
		p.pkt.Unref()
		if p.track.Codec == player.CodecMJPEG {
			u.Data = [][]byte{data}
		} else if u.Data, err = lengthPrefixed(data); err != nil {
			continue // a damaged sample: skip it, as a lost packet live
		}
		return u, p.global(dts), nil
	}
}
