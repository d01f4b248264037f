package recorder

import (
	"bytes"
	"encoding/binary"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"github.com/camdeck/camdeck/player"
)

// videoState follows a stream's video track: its parameter sets (from the
// SDP, then in-band) and its decoding times.
type videoState struct {
	track         *player.Track
	vps, sps, pps []byte
}

func newVideoState(t *player.Track) *videoState {
	return &videoState{track: t, vps: t.VPS, sps: t.SPS, pps: t.PPS}
}

// nalType returns the NAL unit type of the track's codec.
func (v *videoState) nalType(n []byte) int {
	if v.track.Codec == player.CodecH265 {
		return int(n[0]>>1) & 0x3f
	}
	return int(n[0] & 0x1f)
}

// NAL unit types this file cares about.
const (
	h264SPS = 7
	h264PPS = 8
	h264AUD = 9
	h265VPS = 32
	h265SPS = 33
	h265PPS = 34
	h265AUD = 35
)

// update takes in-band parameter sets from a unit and reports whether they
// differ from those before (a new resolution, say).
func (v *videoState) update(au [][]byte) (changed bool) {
	set := func(dst *[]byte, n []byte) {
		if !bytes.Equal(*dst, n) {
			changed = changed || *dst != nil
			*dst = append([]byte(nil), n...)
		}
	}
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch t := v.nalType(n); {
		case v.track.Codec == player.CodecH264 && t == h264SPS, v.track.Codec == player.CodecH265 && t == h265SPS:
			set(&v.sps, n)
		case v.track.Codec == player.CodecH264 && t == h264PPS, v.track.Codec == player.CodecH265 && t == h265PPS:
			set(&v.pps, n)
		case v.track.Codec == player.CodecH265 && t == h265VPS:
			set(&v.vps, n)
		}
	}
	return changed
}

// ready tells whether the parameter sets needed for an init segment are
// known.
func (v *videoState) ready() bool {
	if v.track.Codec == player.CodecH265 {
		return v.vps != nil && v.sps != nil && v.pps != nil
	}
	return v.sps != nil && v.pps != nil
}

// payload converts a unit to an MP4 sample: NAL units with 4-byte length
// prefixes. Parameter sets (they are in the sample entry, and a change
// starts a new file) and access unit delimiters are left out.
func (v *videoState) payload(au [][]byte) []byte {
	n := 0
	for _, nalu := range au {
		n += 4 + len(nalu)
	}
	buf := make([]byte, 0, n)
	for _, nalu := range au {
		if len(nalu) == 0 {
			continue
		}
		switch t := v.nalType(nalu); {
		case v.track.Codec == player.CodecH264 && (t == h264SPS || t == h264PPS || t == h264AUD),
			v.track.Codec == player.CodecH265 && (t == h265VPS || t == h265SPS || t == h265PPS || t == h265AUD):
			continue
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(nalu)))
		buf = append(buf, nalu...)
	}
	return buf
}

// fmp4Track describes the track for a new file.
func (v *videoState) fmp4Track() *fmp4Track {
	t := &fmp4Track{id: 1, timescale: uint32(v.track.ClockRate), codec: v.track.Codec,
		vps: v.vps, sps: v.sps, pps: v.pps, width: v.track.Width, height: v.track.Height}
	switch v.track.Codec {
	case player.CodecH264:
		var s h264.SPS
		if s.Unmarshal(v.sps) == nil {
			t.width, t.height = s.Width(), s.Height()
		}
	case player.CodecH265:
		var s h265.SPS
		if s.Unmarshal(v.sps) == nil {
			t.width, t.height = s.Width(), s.Height()
		}
	}
	return t
}
