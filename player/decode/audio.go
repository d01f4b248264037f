package decode

import (
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/asticode/go-astiav"

	"github.com/camdeck/camdeck/player"
)

// Default output format of Audio: what sound servers mix at.
const (
	DefaultAudioRate     = 48000
	DefaultAudioChannels = 2
)

// aacFrameSamples is the samples in one AAC access unit, which is how far
// each unit after the first of a group is from the one before.
const aacFrameSamples = 1024

// AudioChunk is one decoded unit of audio.
type AudioChunk struct {
	// PCM is interleaved signed 16-bit little-endian samples at the
	// Audio's Rate and Channels. It is the receiver's to keep.
	PCM []byte
	// PTS is when the first sample presents, on the stream's timeline
	// (the track's RTP time, which gortsplib aligns with the video's).
	PTS time.Duration
	// Arrival is when the unit's last packet came.
	Arrival time.Time
	// NTP is the sender's wallclock for PTS, from RTCP sender reports;
	// zero without them.
	NTP time.Time
}

// Audio is the sink that turns a session's audio into PCM for a speaker:
// libavcodec decodes AAC, G.711 (A-law, µ-law) or Opus, and libswresample
// converts it to the output's rate and channels. Every FFmpeg object lives
// and dies on the sink's goroutine. A stream without audio, or with audio
// libavcodec cannot decode, gives nothing.
type Audio struct {
	// Rate is the output's sample rate. It defaults to DefaultAudioRate.
	Rate int
	// Channels is the output's channel count. It defaults to
	// DefaultAudioChannels.
	Channels int
	// Out receives each decoded unit, on the sink's goroutine. Required.
	Out func(AudioChunk)

	decoded, errs atomic.Uint64

	// Owned by the sink goroutine.
	track *player.Track
	cc    *astiav.CodecContext
	pkt   *astiav.Packet
	frame *astiav.Frame
	swr   resampler
	buf   []byte
}

// AudioStats counts what the audio decoder did.
type AudioStats struct {
	Units  uint64 // units decoded to PCM
	Errors uint64 // units or frames libavcodec or libswresample refused
}

// Stats returns the counters; safe from any goroutine.
func (a *Audio) Stats() AudioStats {
	return AudioStats{Units: a.decoded.Load(), Errors: a.errs.Load()}
}

// audioTrack is the stream's first audio track that libavcodec can
// decode, or nil.
func audioTrack(tracks []*player.Track) *player.Track {
	for _, t := range tracks {
		if _, ok := audioCodecID(t.Codec); ok {
			return t
		}
	}
	return nil
}

func audioCodecID(c player.Codec) (astiav.CodecID, bool) {
	switch c {
	case player.CodecAAC:
		return astiav.CodecIDAac, true
	case player.CodecG711A:
		return astiav.CodecIDPcmAlaw, true
	case player.CodecG711U:
		return astiav.CodecIDPcmMulaw, true
	case player.CodecOpus:
		return astiav.CodecIDOpus, true
	}
	return 0, false
}

// OnStream implements player.Sink: it opens a decoder for the audio track.
func (a *Audio) OnStream(tracks []*player.Track) {
	a.close()
	quietLibav()
	a.track = audioTrack(tracks)
	if a.track == nil {
		return
	}
	if err := a.open(); err != nil {
		a.errs.Add(1)
		log.Printf("decode: %s audio: %v", a.track.Codec, err)
		a.close()
		a.track = nil
	}
}

func (a *Audio) open() error {
	id, _ := audioCodecID(a.track.Codec)
	codec := astiav.FindDecoder(id)
	if codec == nil {
		return fmt.Errorf("libavcodec has no %s decoder", a.track.Codec)
	}
	if a.cc = astiav.AllocCodecContext(codec); a.cc == nil {
		return errors.New("cannot allocate a codec context")
	}
	// G.711 carries neither rate nor channels; AAC's and Opus's
	// decoders read them from the stream but start from these.
	rate := a.track.SampleRate
	if rate <= 0 {
		rate = a.track.ClockRate
	}
	a.cc.SetSampleRate(rate)
	layout := astiav.ChannelLayoutMono
	if a.track.Channels == 2 {
		layout = astiav.ChannelLayoutStereo
	}
	a.cc.SetChannelLayout(layout)
	if len(a.track.AACConfig) > 0 {
		if err := a.cc.SetExtraData(a.track.AACConfig); err != nil {
			return fmt.Errorf("extradata: %w", err)
		}
	}
	if err := a.cc.Open(codec, nil); err != nil {
		return fmt.Errorf("cannot open the decoder: %w", err)
	}
	a.pkt, a.frame = astiav.AllocPacket(), astiav.AllocFrame()
	if a.pkt == nil || a.frame == nil {
		return errors.New("cannot allocate a packet or frame")
	}
	return nil
}

func (a *Audio) close() {
	if a.cc != nil {
		a.cc.Free()
		a.cc = nil
	}
	if a.pkt != nil {
		a.pkt.Free()
		a.pkt = nil
	}
	if a.frame != nil {
		a.frame.Free()
		a.frame = nil
	}
	a.swr.free()
}

// OnStreamEnd implements player.Sink.
func (a *Audio) OnStreamEnd(error) {
	a.close()
	a.track = nil
}

// OnUnit implements player.Sink: decode every access unit of the unit,
// resample, and hand the PCM to Out.
func (a *Audio) OnUnit(u *player.Unit) {
	if a.cc == nil || u.Track != a.track {
		return
	}
	rate, channels := a.Rate, a.Channels
	if rate <= 0 {
		rate = DefaultAudioRate
	}
	if channels <= 0 {
		channels = DefaultAudioChannels
	}
	a.buf = a.buf[:0]
	for i, au := range u.Data {
		if len(au) == 0 {
			continue
		}
		if err := a.pkt.FromData(append(au[:len(au):len(au)], zeros[:]...)); err != nil {
			a.errs.Add(1)
			continue
		}
		a.pkt.SetSize(len(au))
		pts := u.PTS
		if u.Track.Codec == player.CodecAAC {
			pts += int64(i) * aacFrameSamples
		}
		a.pkt.SetPts(pts)
		err := a.cc.SendPacket(a.pkt)
		a.pkt.Unref()
		if err != nil && !errors.Is(err, astiav.ErrEagain) {
			a.errs.Add(1)
			continue
		}
		for {
			err := a.cc.ReceiveFrame(a.frame)
			if err != nil {
				if !errors.Is(err, astiav.ErrEagain) && !errors.Is(err, astiav.ErrEof) {
					a.errs.Add(1)
				}
				break
			}
			a.buf, err = a.swr.convert(a.buf, a.frame.UnsafePointer(), rate, channels)
			a.frame.Unref()
			if err != nil {
				a.errs.Add(1)
				break
			}
		}
	}
	if len(a.buf) == 0 {
		return
	}
	a.decoded.Add(1)
	a.Out(AudioChunk{
		PCM:     append([]byte(nil), a.buf...),
		PTS:     player.TicksDuration(u.PTS, u.Track.ClockRate),
		Arrival: u.Arrival,
		NTP:     u.NTP,
	})
}
