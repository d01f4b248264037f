package player

import (
	"errors"

	"github.com/pion/rtp"
)

// depacketizer turns the RTP packets of one track into units. It runs on
// the network goroutine, so it only reassembles and copies: no decoding.
type depacketizer struct {
	track  *Track
	decode func(*rtp.Packet) ([][]byte, error)
	isKey  func([][]byte) bool

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
	data, err := d.decode(pkt)
	if err != nil {
		for _, e := range needMore {
			if errors.Is(err, e) {
				return nil, nil
			}
		}
		for _, e := range midUnit {
			if errors.Is(err, e) {
				return nil, nil
			}
		}
		d.gap = true
		return nil, errBadPacket
	}
	if len(data) == 0 {
		return nil, nil
	}
	un := &Unit{
		Track:     d.track,
		Data:      copyData(data),
		PTS:       pts,
		Key:       d.isKey(data),
		AfterLoss: d.gap,
	}
	d.gap = false
	return un, nil
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
