package recorder

import (
	"bytes"

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
	v := &videoState{track: t}
	v.vps, v.sps, v.pps = t.Params()
	return v
}

// paramSet returns where a parameter set NAL unit is kept, or nil for
// any other NAL unit.
func (v *videoState) paramSet(n []byte) *[]byte {
	switch v.track.NALKind(n) {
	case player.NALVPS:
		return &v.vps
	case player.NALSPS:
		return &v.sps
	case player.NALPPS:
		return &v.pps
	}
	return nil
}

// update takes the parameter sets of a unit (the player puts the current
// ones in front of every keyframe) and reports whether they differ from
// those before (a new resolution, say).
func (v *videoState) update(au [][]byte) (changed bool) {
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		if dst := v.paramSet(n); dst != nil && !bytes.Equal(*dst, n) {
			changed = changed || *dst != nil
			*dst = append([]byte(nil), n...)
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
// prefixes (AVCC; H.265 samples have the same layout). Parameter sets are
// left out: they are in the sample entry, and a change starts a new file.
func (v *videoState) payload(au [][]byte) []byte {
	sample := make(h264.AVCC, 0, len(au))
	for _, n := range au {
		if len(n) > 0 && v.paramSet(n) == nil {
			sample = append(sample, n)
		}
	}
	buf, _ := sample.Marshal() // never fails
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
