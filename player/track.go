package player

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmjpeg"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"
)

// mediaTrack is a track the session reads: where it is in the SDP and how
// its packets become units.
type mediaTrack struct {
	media  *description.Media
	format format.Format
	depack *depacketizer
}

// maxMedias bounds the media sections of an SDP: cameras offer one to
// four (video, a sub-stream, audio, metadata); hundreds are an attack or a
// bug, and each would cost a SETUP.
const maxMedias = 16

// selectTracks picks from an SDP the first video track camdeck decodes and
// the first audio track it records. A stream with neither is unsupported;
// the error names what it offered.
func selectTracks(desc *description.Session) ([]*mediaTrack, error) {
	if n := len(desc.Medias); n > maxMedias {
		return nil, fmt.Errorf("%w: the SDP has %d media sections", ErrInvalidReply, n)
	}
	var video, audio *mediaTrack
	var offered []string
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			offered = append(offered, codecName(f))
			t, err := newTrack(f)
			if err != nil || t == nil {
				continue
			}
			mt := &mediaTrack{media: m, format: f, depack: t}
			switch {
			case t.track.Codec.IsVideo() && video == nil:
				video = mt
			case !t.track.Codec.IsVideo() && audio == nil:
				audio = mt
			}
		}
	}
	if video == nil {
		return nil, unsupportedError{codecs: offered}
	}
	tracks := []*mediaTrack{video}
	if audio != nil {
		tracks = append(tracks, audio)
	}
	return tracks, nil
}

func codecName(f format.Format) string {
	switch f.(type) {
	case *format.MPEG4Video:
		return "MPEG-4 Part 2"
	case *format.MPEG1Video:
		return "MPEG-1/2 video"
	}
	return f.Codec()
}

// newTrack describes a format as a Track and makes its depacketizer. It
// returns nil for formats camdeck does not read.
func newTrack(f format.Format) (*depacketizer, error) {
	switch f := f.(type) {
	case *format.H264:
		t := &Track{Codec: CodecH264, ClockRate: f.ClockRate(), SPS: f.SPS, PPS: f.PPS}
		t.describeH264(f.SPS)
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		d := newDepacketizer(t, dec.Decode, h264.IsRandomAccess)
		d.startsAU, d.norm = h264StartsAU, newNormalizer(t)
		return d, nil

	case *format.H265:
		t := &Track{Codec: CodecH265, ClockRate: f.ClockRate(), VPS: f.VPS, SPS: f.SPS, PPS: f.PPS}
		t.describeH265(f.SPS)
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		d := newDepacketizer(t, dec.Decode, h265.IsRandomAccess)
		d.startsAU, d.norm = h265StartsAU, newNormalizer(t)
		return d, nil

	case *format.MJPEG:
		t := &Track{Codec: CodecMJPEG, ClockRate: f.ClockRate()}
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return newDepacketizer(t, single(dec.Decode), always), nil

	case *format.MPEG4Audio:
		if f.Config == nil {
			return nil, errors.New("AAC without config")
		}
		cfg, err := f.Config.Marshal()
		if err != nil {
			return nil, err
		}
		t := &Track{Codec: CodecAAC, ClockRate: f.ClockRate(), SampleRate: f.Config.SampleRate,
			Channels: f.Config.ChannelCount, AACConfig: cfg}
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return newDepacketizer(t, dec.Decode, always), nil

	case *format.G711:
		t := &Track{Codec: CodecG711A, ClockRate: f.ClockRate(), SampleRate: f.SampleRate, Channels: f.ChannelCount}
		if f.MULaw {
			t.Codec = CodecG711U
		}
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return newDepacketizer(t, single(dec.Decode), always), nil

	case *format.Opus:
		// RFC 7587: the RTP clock is 48 kHz whatever the rate encoded.
		t := &Track{Codec: CodecOpus, ClockRate: f.ClockRate(), SampleRate: 48000, Channels: max(f.ChannelCount, 1)}
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return newDepacketizer(t, single(dec.Decode), always), nil
	}
	return nil, nil
}

func single(dec func(*rtp.Packet) ([]byte, error)) func(*rtp.Packet) ([][]byte, error) {
	return func(p *rtp.Packet) ([][]byte, error) {
		b, err := dec(p)
		if err != nil {
			return nil, err
		}
		return [][]byte{b}, nil
	}
}

func always([][]byte) bool { return true }

// describeH264 fills size, rate and profile from an SPS, if there is one.
func (t *Track) describeH264(sps []byte) {
	var s h264.SPS
	if sps == nil || s.Unmarshal(sps) != nil {
		return
	}
	t.Width, t.Height, t.FPS = s.Width(), s.Height(), s.FPS()
	t.Profile = fmt.Sprintf("%s %d.%d", h264ProfileName(s.ProfileIdc), s.LevelIdc/10, s.LevelIdc%10)
}

func h264ProfileName(idc uint8) string {
	switch idc {
	case 66:
		return "Baseline"
	case 77:
		return "Main"
	case 88:
		return "Extended"
	case 100:
		return "High"
	case 110:
		return "High 10"
	case 122:
		return "High 4:2:2"
	case 244:
		return "High 4:4:4"
	}
	return fmt.Sprintf("profile %d", idc)
}

// describeH265 fills size and rate from an SPS, if there is one.
func (t *Track) describeH265(sps []byte) {
	var s h265.SPS
	if sps == nil || s.Unmarshal(sps) != nil {
		return
	}
	t.Width, t.Height, t.FPS = s.Width(), s.Height(), s.FPS()
	switch s.ProfileTierLevel.GeneralProfileIdc {
	case 1:
		t.Profile = "Main"
	case 2:
		t.Profile = "Main 10"
	}
}

// needMore are the depacketizers' "not a whole unit yet" answers.
var needMore = []error{
	rtph264.ErrMorePacketsNeeded, rtph265.ErrMorePacketsNeeded,
	rtpmjpeg.ErrMorePacketsNeeded, rtpmpeg4audio.ErrMorePacketsNeeded,
}

// midUnit are the answers to a stream joined in the middle of a unit.
var midUnit = []error{
	rtph264.ErrNonStartingPacketAndNoPrevious, rtph265.ErrNonStartingPacketAndNoPrevious,
	rtpmjpeg.ErrNonStartingPacketAndNoPrevious,
}
