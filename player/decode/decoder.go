// Package decode turns a session's video into pictures: libavcodec
// decodes, swscale converts to RGBA at the size shown, and a FrameSlot
// hands the newest frame to the screen. It is the only package of camdeck
// that uses cgo and FFmpeg (go-astiav), so the player, the recorder and a
// headless recording build stay free of both.
package decode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asticode/go-astiav"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/camdeck/camdeck/internal/ratelimit"
	"github.com/camdeck/camdeck/player"
)

// Decoder is the sink that turns a session's video into frames for the
// screen: libavcodec decodes, swscale converts to RGBA at the size shown,
// and the newest frame goes into Slot. It is the only user of go-astiav;
// every FFmpeg object lives and dies on the sink's goroutine.
type Decoder struct {
	// Slot receives the frames. Without one, nothing is scaled for a
	// screen: a headless decoder for Luma or Snapshot only.
	Slot *FrameSlot
	// Threads for libavcodec's slice threading.
	// It defaults to a share of the process's budget (see takeThreads):
	// up to the number of CPUs for a large picture, one otherwise.
	Threads int
	// Luma, when set, is given a small grey copy of the decoded picture
	// LumaWidth wide every LumaInterval of stream time: what motion
	// detection reads, made from the frame already decoded for the
	// screen. It is called on the decoder's goroutine, so it must be quick
	// and must not keep the image.
	Luma func(Luma)
	// LumaWidth is the grey picture's width; its height keeps the aspect.
	// It defaults to DefaultLumaWidth.
	LumaWidth int
	// LumaInterval is the least stream time between grey pictures.
	// It defaults to DefaultLumaInterval.
	LumaInterval time.Duration

	outW, outH atomic.Int32 // requested output size; 0 = the stream's

	snapMu   sync.Mutex
	snapReqs []chan snapResult

	stats decoderCounters

	// Owned by the sink goroutine.
	track  *player.Track
	lent   int // threads taken from the budget, given back at close
	cc     *astiav.CodecContext
	pkt    *astiav.Packet
	frame  *astiav.Frame
	last   *astiav.Frame // the newest decoded frame, for snapshots
	tile   scaler
	full   scaler
	ls     lumaState
	buf    []byte // Annex-B packet under construction
	keyed  bool   // a keyframe was sent since the stream started
	hide   int64  // playback: frames with a PTS below this are decoded, not shown
	hiding bool   // hide applies (after a playback seek)
}

// SetOutputSize asks for frames of w x h (what the screen shows); 0 x 0
// asks for the stream's size. The next frame has the new size.
func (d *Decoder) SetOutputSize(w, h int) {
	d.outW.Store(int32(max(w, 0)))
	d.outH.Store(int32(max(h, 0)))
}

type snapResult struct {
	img *image.RGBA
	err error
}

// ErrNoFrame is returned by Snapshot when no frame was decoded yet.
var ErrNoFrame = errors.New("decode: no frame decoded yet")

// Snapshot returns a full-resolution RGBA copy of the newest decoded
// frame. It is served by the decoder's goroutine on the next unit, so it
// waits at most a frame interval on a live stream, or until ctx ends.
func (d *Decoder) Snapshot(ctx context.Context) (*image.RGBA, error) {
	ch := make(chan snapResult, 1)
	d.snapMu.Lock()
	d.snapReqs = append(d.snapReqs, ch)
	d.snapMu.Unlock()
	select {
	case r := <-ch:
		return r.img, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("decode: snapshot: %w", ctx.Err())
	}
}

// timeNow is the clock of frame readiness; tests may replace it.
var timeNow = time.Now

var logOnce sync.Once

// quietLibav keeps libav's per-frame complaints (a lost reference after
// packet loss, for instance) out of the terminal: errors only, and at most
// one line every 10 s.
func quietLibav() {
	logOnce.Do(func() {
		limit := &ratelimit.Limit{Every: 10 * time.Second}
		astiav.SetLogLevel(astiav.LogLevelError)
		astiav.SetLogCallback(func(_ astiav.Classer, l astiav.LogLevel, _, msg string) {
			if l <= astiav.LogLevelError && limit.Allow() {
				log.Printf("libav: %s", trimNewline(msg))
			}
		})
	})
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// OnStream implements Sink: it opens a decoder for the video track.
func (d *Decoder) OnStream(tracks []*player.Track) {
	d.closeCodec()
	quietLibav()
	d.track = player.VideoTrack(tracks)
	d.ls.given = false
	if d.track == nil {
		return
	}
	if err := d.openCodec(); err != nil {
		d.stats.errors.Add(1)
		log.Printf("decode: %v", err)
		d.closeCodec()
	}
}

func (d *Decoder) openCodec() error {
	var id astiav.CodecID
	switch d.track.Codec {
	case player.CodecH264:
		id = astiav.CodecIDH264
	case player.CodecH265:
		id = astiav.CodecIDHevc
	case player.CodecMJPEG:
		id = astiav.CodecIDMjpeg
	default:
		return fmt.Errorf("no decoder for %s", d.track.Codec)
	}
	codec := astiav.FindDecoder(id)
	if codec == nil {
		return fmt.Errorf("libavcodec has no %s decoder", d.track.Codec)
	}
	d.cc = astiav.AllocCodecContext(codec)
	if d.cc == nil {
		return errors.New("cannot allocate a codec context")
	}
	threads := d.Threads
	if threads <= 0 {
		threads = 1
		if d.track.Width*d.track.Height >= largeFrame {
			d.lent = takeThreads(runtime.NumCPU() - 1)
			threads += d.lent
		}
	}
	// Slice threads add no delay; frame threads would hold back one frame
	// per thread, which live view cannot afford.
	d.cc.SetThreadCount(threads)
	d.cc.SetThreadType(astiav.ThreadTypeSlice)
	if extra := extraData(d.track); len(extra) > 0 {
		if err := d.cc.SetExtraData(extra); err != nil {
			return fmt.Errorf("extradata: %w", err)
		}
	}
	if err := d.cc.Open(codec, nil); err != nil {
		return fmt.Errorf("cannot open the %s decoder: %w", d.track.Codec, err)
	}
	d.pkt = astiav.AllocPacket()
	d.frame = astiav.AllocFrame()
	d.last = astiav.AllocFrame()
	if d.pkt == nil || d.frame == nil || d.last == nil {
		return errors.New("cannot allocate a packet or frame")
	}
	d.keyed = false
	return nil
}

func (d *Decoder) closeCodec() {
	giveThreads(d.lent)
	d.lent = 0
	if d.cc != nil {
		d.cc.Free()
		d.cc = nil
	}
	if d.pkt != nil {
		d.pkt.Free()
		d.pkt = nil
	}
	if d.frame != nil {
		d.frame.Free()
		d.frame = nil
	}
	if d.last != nil {
		d.last.Free()
		d.last = nil
	}
}

// OnStreamEnd implements Sink.
func (d *Decoder) OnStreamEnd(error) {
	d.closeCodec()
	d.tile.free()
	d.full.free()
	d.ls.sc.free()
	d.answerSnapshots(nil, ErrNoFrame)
}

// padding is FFmpeg's AV_INPUT_BUFFER_PADDING_SIZE: bitstream readers may
// read this far past the end of a packet.
const padding = 64

var zeros [padding]byte

// OnUnit implements Sink: decode, convert, publish.
func (d *Decoder) OnUnit(u *player.Unit) {
	if d.cc == nil || !u.Track.Codec.IsVideo() {
		return
	}
	if !d.keyed && !u.Key {
		return
	}
	d.buf = d.buf[:0]
	if u.Track.Codec == player.CodecMJPEG {
		for _, p := range u.Data {
			d.buf = append(d.buf, p...)
		}
	} else {
		// The player puts the parameter sets in front of every keyframe.
		b, _ := h264.AnnexB(u.Data).Marshal() // never fails; h264's Annex-B serves H.265 too
		d.buf = append(d.buf, b...)
	}
	n := len(d.buf)
	d.buf = append(d.buf, zeros[:]...)
	d.keyed = true

	if err := d.pkt.FromData(d.buf); err != nil {
		d.stats.errors.Add(1)
		return
	}
	d.pkt.SetSize(n)
	d.pkt.SetPts(u.PTS)
	err := d.cc.SendPacket(d.pkt)
	d.pkt.Unref()
	if err != nil && !errors.Is(err, astiav.ErrEagain) {
		d.stats.errors.Add(1)
	}
	for {
		err := d.cc.ReceiveFrame(d.frame)
		if err != nil {
			if !errors.Is(err, astiav.ErrEagain) && !errors.Is(err, astiav.ErrEof) {
				d.stats.errors.Add(1)
			}
			break
		}
		d.publish(u)
		if !d.hiding || d.frame.Pts() >= d.hide {
			d.luma(u)
		}
		d.last.Unref()
		d.last.MoveRef(d.frame)
	}
	d.serveSnapshots()
}

// publish converts the decoded frame to the requested size and puts it in
// the slot.
func (d *Decoder) publish(u *player.Unit) {
	if d.Slot == nil || d.hiding && d.frame.Pts() < d.hide {
		return // headless, or decoding forward to a seek target
	}
	sw, sh := d.frame.Width(), d.frame.Height()
	w, h := int(d.outW.Load()), int(d.outH.Load())
	if w <= 0 || h <= 0 || w > sw || h > sh {
		w, h = sw, sh // never upscale here: the screen does that for free
	}
	img := d.Slot.image(w, h)
	var err error
	if w == sw && h == sh {
		err = d.full.scale(d.frame.UnsafePointer(), img, swsFull)
	} else {
		err = d.tile.scale2(d.frame.UnsafePointer(), img, swsTile)
	}
	if err != nil {
		d.stats.errors.Add(1)
		return
	}
	now := timeNow()
	d.stats.frame(sw, sh, now.Sub(u.Arrival))
	d.Slot.Put(&Frame{
		Image:        img,
		SourceWidth:  sw,
		SourceHeight: sh,
		PTS:          player.TicksDuration(d.frame.Pts(), u.Track.ClockRate),
		NTP:          frameNTP(u, d.frame.Pts()),
		Ready:        now,
	})
}

// frameNTP is the sender's wallclock of a picture of PTS pts that came
// out of the decoder after unit u: with B-frames it may be an earlier
// unit's, which is as far from u's wallclock as its PTS is from u's.
func frameNTP(u *player.Unit, pts int64) time.Time {
	if u.NTP.IsZero() {
		return time.Time{}
	}
	return u.NTP.Add(player.TicksDuration(pts-u.PTS, u.Track.ClockRate))
}

func (d *Decoder) serveSnapshots() {
	d.snapMu.Lock()
	pending := len(d.snapReqs) > 0
	d.snapMu.Unlock()
	if !pending {
		return
	}
	if d.last == nil || d.last.Width() == 0 {
		return // keep waiting for a first frame
	}
	img := image.NewRGBA(image.Rect(0, 0, d.last.Width(), d.last.Height()))
	err := d.full.scale(d.last.UnsafePointer(), img, swsFull)
	if err != nil {
		img = nil
	}
	d.answerSnapshots(img, err)
}

func (d *Decoder) answerSnapshots(img *image.RGBA, err error) {
	d.snapMu.Lock()
	reqs := d.snapReqs
	d.snapReqs = nil
	d.snapMu.Unlock()
	for i, ch := range reqs {
		r := snapResult{img: img, err: err}
		if img != nil && i > 0 { // each caller owns its copy
			cp := *img
			cp.Pix = append([]byte(nil), img.Pix...)
			r.img = &cp
		}
		ch <- r
	}
}

// extraData is the track's current parameter sets in Annex-B, the
// extradata libavcodec takes for H.264 and H.265, or nil.
func extraData(t *player.Track) []byte {
	var sets h264.AnnexB
	vps, sps, pps := t.Params()
	for _, p := range [][]byte{vps, sps, pps} {
		if len(p) > 0 {
			sets = append(sets, p)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	b, _ := sets.Marshal()
	return b
}
