package player

import (
	"bytes"
	"sync"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// paramSets are the parameter sets of an H.264 or H.265 track, without
// start codes: VPS (H.265 only), SPS, PPS.
type paramSets struct {
	vps, sps, pps []byte
}

// liveParams holds a track's current parameter sets for readers on other
// goroutines; its normalizer writes them when the stream changes them.
type liveParams struct {
	mu  sync.Mutex
	cur paramSets
}

// Params returns the track's current parameter sets (nil where unknown):
// the SDP's until the camera sends others in-band (a new resolution, say),
// then the newest. Every keyframe unit of a session begins with them, so a
// sink needs them only to open a decoder or a file before its first
// keyframe. It is safe for concurrent use. For a Track made without a
// session they are its VPS, SPS and PPS.
func (t *Track) Params() (vps, sps, pps []byte) {
	if t.live == nil {
		return t.VPS, t.SPS, t.PPS
	}
	t.live.mu.Lock()
	defer t.live.mu.Unlock()
	return t.live.cur.vps, t.live.cur.sps, t.live.cur.pps
}

// NALKind is what a NAL unit of an H.264 or H.265 track is to camdeck.
type NALKind int

// NAL unit kinds. The normalizer keeps data in place, drops delimiters
// (they carry nothing MP4 or a decoder needs), and moves parameter sets
// to the track and to the front of every keyframe.
const (
	NALData      NALKind = iota // slices, SEI, the rest
	NALDelimiter                // access unit delimiter
	NALVPS                      // video parameter set (H.265)
	NALSPS                      // sequence parameter set
	NALPPS                      // picture parameter set
)

// NALKind classifies a NAL unit (at least one byte, no start code) of the
// track's codec, H.264 or H.265.
func (t *Track) NALKind(nalu []byte) NALKind {
	if t.Codec == CodecH265 {
		switch h265.NALUType((nalu[0] >> 1) & 0x3f) {
		case h265.NALUType_AUD_NUT:
			return NALDelimiter
		case h265.NALUType_VPS_NUT:
			return NALVPS
		case h265.NALUType_SPS_NUT:
			return NALSPS
		case h265.NALUType_PPS_NUT:
			return NALPPS
		}
		return NALData
	}
	switch h264.NALUType(nalu[0] & 0x1f) {
	case h264.NALUTypeAccessUnitDelimiter:
		return NALDelimiter
	case h264.NALUTypeSPS:
		return NALSPS
	case h264.NALUTypePPS:
		return NALPPS
	}
	return NALData
}

// normalizer puts the access units of an H.264 or H.265 track in the one
// form every sink takes, as MediaMTX's unit remuxer does: access unit
// delimiters and parameter sets taken out, the track's current parameter
// sets in front of every keyframe. Parameter sets met in-band become the
// current ones. A camera that sends them only in the SDP, only in-band,
// only before some keyframes, or with a new resolution mid-stream thus
// looks the same to the decoder and the recorder: a keyframe can always be
// decoded from itself, and a recorder sees a change at the keyframe that
// brings it. It runs on the network goroutine of its track.
type normalizer struct {
	track *Track
	cur   paramSets // the network goroutine's copy of track.live.cur
	out   [][]byte  // the unit being normalized; reused, as the caller copies it
}

func newNormalizer(t *Track) *normalizer {
	p := paramSets{vps: t.VPS, sps: t.SPS, pps: t.PPS}
	t.live = &liveParams{cur: p}
	return &normalizer{track: t, cur: p}
}

// normalize returns the unit au (NAL units, none empty) in normal form;
// key tells whether it is a keyframe. The result is valid until the next
// call and may point into au. A unit of nothing but delimiters and
// parameter sets comes out empty.
func (n *normalizer) normalize(au [][]byte, key bool) [][]byte {
	next := n.cur
	for _, nalu := range au {
		switch n.track.NALKind(nalu) {
		case NALVPS:
			next.vps = nalu
		case NALSPS:
			next.sps = nalu
		case NALPPS:
			next.pps = nalu
		}
	}
	n.update(next)

	out := n.out[:0]
	if key && n.complete() {
		if n.track.Codec == CodecH265 {
			out = append(out, n.cur.vps)
		}
		out = append(out, n.cur.sps, n.cur.pps)
	}
	for _, nalu := range au {
		if n.track.NALKind(nalu) == NALData {
			out = append(out, nalu)
		}
	}
	n.out = out
	return out
}

// update makes p the current parameter sets. Those that differ are copied
// out of the packet buffers and published on the track.
func (n *normalizer) update(p paramSets) {
	changed := false
	for _, c := range [...]struct {
		cur  *[]byte
		next []byte
	}{
		{&n.cur.vps, p.vps}, {&n.cur.sps, p.sps}, {&n.cur.pps, p.pps},
	} {
		if !bytes.Equal(*c.cur, c.next) {
			*c.cur = bytes.Clone(c.next)
			changed = true
		}
	}
	if changed {
		n.track.live.mu.Lock()
		n.track.live.cur = n.cur
		n.track.live.mu.Unlock()
	}
}

// complete tells whether the parameter sets a keyframe needs are known.
func (n *normalizer) complete() bool {
	if n.track.Codec == CodecH265 && n.cur.vps == nil {
		return false
	}
	return n.cur.sps != nil && n.cur.pps != nil
}
