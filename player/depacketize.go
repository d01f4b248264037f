package player

import (
	"bytes"
	"errors"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"
)

// depacketizer turns the RTP packets of one track into units. It runs on
// the network goroutine, so it only reassembles and copies: no decoding.
type depacketizer struct {
	track  *Track
	decode func(*rtp.Packet) ([][]byte, error)
	isKey  func([][]byte) bool
	// startsAU, for H.264 and H.265, tells whether a NAL unit begins a new
	// access unit when one with a picture is pending. Units are then
	// assembled here from the NAL units of each packet, ended by the
	// marker bit, a new access unit, or a new RTP time: cameras that send
	// every packet with one timestamp, or no marker, still give one unit
	// per frame.
	startsAU func(nalu []byte) bool
	// norm, for H.264 and H.265, puts each unit in normal form.
	norm *normalizer

	pending    [][]byte // NAL units of the access unit being assembled
	pendingPic bool     // pending holds a picture (VCL NAL unit)
	owned      int      // pending[:owned] are copies, not the network's buffers
	pendingPTS int64
	pendingTS  uint32

	// Loss of this track: only its own reading goroutine touches these.
	seqKnown bool
	nextSeq  uint16
	gap      bool // packets lost or rejected since the last unit
}

func newDepacketizer(t *Track, decode func(*rtp.Packet) ([][]byte, error), isKey func([][]byte) bool) *depacketizer {
	return &depacketizer{track: t, decode: decode, isKey: isKey}
}

// errBadPacket marks packets the depacketizer rejected (corrupt, or a
// fragment lost): the session counts them and restarts video at the next
// keyframe.
var errBadPacket = errors.New("bad packet")

// push takes one packet and returns a unit when the packet completes one,
// nil while more packets are needed, or errBadPacket. The caller fills in
// the unit's NTP and Arrival: looking them up only for the packet that
// completes a unit keeps the per-packet path short.
func (d *depacketizer) push(pkt *rtp.Packet, pts int64) (*Unit, error) {
	if d.seqKnown && pkt.SequenceNumber != d.nextSeq {
		d.gap = true // packets in between were lost (the reorderer has put them in order)
	}
	d.seqKnown, d.nextSeq = true, pkt.SequenceNumber+1
	if d.startsAU != nil {
		return d.pushNALUs(pkt, pts)
	}
	data, err := d.decode(pkt)
	if err != nil {
		return nil, d.failed(err)
	}
	if len(data) == 0 {
		return nil, nil
	}
	return d.unit(data, pts), nil
}

// failed classifies a codec decoder's error: a packet that only needs
// more of its unit, or one met in the middle of a unit after a start,
// is no error; anything else is a bad packet, and what follows it on
// this track comes after loss.
func (d *depacketizer) failed(err error) error {
	for _, known := range [...][]error{needMore, midUnit} {
		for _, e := range known {
			if errors.Is(err, e) {
				return nil // every fragment but a unit's last one: no allocation here
			}
		}
	}
	d.gap = true
	return errBadPacket
}

// unit makes a unit of data, or returns nil when normalization leaves
// nothing of it (delimiters or parameter sets alone).
func (d *depacketizer) unit(data [][]byte, pts int64) *Unit {
	key := d.isKey(data)
	if d.norm != nil {
		if data = d.norm.normalize(data, key); len(data) == 0 {
			return nil
		}
	}
	un := &Unit{
		Track:     d.track,
		Data:      copyData(data),
		PTS:       pts,
		Key:       key,
		AfterLoss: d.gap,
	}
	d.gap = false
	return un
}

// pushNALUs assembles H.264 and H.265 access units from NAL units.
func (d *depacketizer) pushNALUs(pkt *rtp.Packet, pts int64) (*Unit, error) {
	p := *pkt
	p.Marker = true // so the codec's decoder hands over each packet's NAL units
	nalus, err := d.decode(&p)
	if err != nil {
		return nil, d.failed(err)
	}
	var out *Unit
	for i, n := range nalus {
		if len(n) == 0 {
			continue
		}
		if len(d.pending) > 0 && (i == 0 && pkt.Timestamp != d.pendingTS || d.pendingPic && d.startsAU(n)) {
			if out == nil {
				out = d.unit(d.pending, d.pendingPTS)
			}
			d.pending, d.pendingPic, d.owned = d.pending[:0], false, 0
		}
		if len(d.pending) == 0 {
			d.pendingPTS, d.pendingTS = pts, pkt.Timestamp
		}
		d.pending = append(d.pending, n)
		d.pendingPic = d.pendingPic || d.isPicture(n)
	}
	if pkt.Marker && len(d.pending) > 0 && out == nil {
		out = d.unit(d.pending, d.pendingPTS)
		d.pending, d.pendingPic, d.owned = d.pending[:0], false, 0
	}
	// What waits for the next packet must outlive this one's buffer.
	for ; d.owned < len(d.pending); d.owned++ {
		d.pending[d.owned] = bytes.Clone(d.pending[d.owned])
	}
	return out, nil
}

// isPicture tells a VCL NAL unit (a slice) from parameter sets and SEI.
func (d *depacketizer) isPicture(n []byte) bool {
	if d.track.Codec == CodecH265 {
		return len(n) >= 2 && h265.NALUType((n[0]>>1)&0x3f) < h265.NALUType_VPS_NUT // types 0-31 are VCL
	}
	t := h264.NALUType(n[0] & 0x1f)
	return t >= h264.NALUTypeNonIDR && t <= h264.NALUTypeIDR
}

// h264StartsAU: an access unit delimiter, SEI, parameter sets, or the
// first slice of a picture (first_mb_in_slice is 0, coded as a single 1
// bit) begin a new access unit (H.264 7.4.1.2.3).
func h264StartsAU(n []byte) bool {
	switch t := h264.NALUType(n[0] & 0x1f); {
	case t >= h264.NALUTypeSEI && t <= h264.NALUTypeAccessUnitDelimiter,
		t >= h264.NALUTypePrefix && t <= h264.NALUTypeReserved18:
		return true
	case t >= h264.NALUTypeNonIDR && t <= h264.NALUTypeIDR:
		return len(n) >= 2 && n[1]&0x80 != 0
	}
	return false
}

// h265StartsAU: the same for H.265 (7.4.2.4.4): VPS, SPS, PPS, AUD,
// prefix SEI, reserved types, or a slice with first_slice_segment_in_pic_flag.
func h265StartsAU(n []byte) bool {
	if len(n) < 3 {
		return false
	}
	switch t := h265.NALUType((n[0] >> 1) & 0x3f); {
	case t >= h265.NALUType_VPS_NUT && t <= h265.NALUType_AUD_NUT, t == h265.NALUType_PREFIX_SEI_NUT,
		t >= 41 && t <= 44, t >= 48 && t <= 55: // reserved (RSV_NVCL41..44) and unspecified (UNSPEC48..55)
		return true
	case t < h265.NALUType_VPS_NUT: // a slice
		return n[2]&0x80 != 0
	}
	return false
}

// copyData copies the parts of a unit into one allocation: the packet
// buffers they point into are reused by the network layer, and units
// outlive packets in the sinks' queues.
func copyData(parts [][]byte) [][]byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	buf := make([]byte, n)
	out := make([][]byte, len(parts))
	off := 0
	for i, p := range parts {
		out[i] = buf[off : off+len(p) : off+len(p)]
		off += copy(buf[off:], p)
	}
	return out
}
