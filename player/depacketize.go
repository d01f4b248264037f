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
		return nil, errBadPacket
	}
	if len(data) == 0 {
		return nil, nil
	}
	return &Unit{
		Track: d.track,
		Data:  copyData(data),
		PTS:   pts,
		Key:   d.isKey(data),
	}, nil
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
