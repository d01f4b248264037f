package decode

import (
	"encoding/binary"
	"errors"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// errParams is returned for codec configuration records camdeck cannot read.
var errParams = errors.New("decode: bad codec configuration record")

// avccParams reads the SPS and PPS of an avcC record (ISO 14496-15 5.3.3).
func avccParams(b []byte) (sps, pps []byte, err error) {
	if len(b) < 6 || b[0] != 1 {
		return nil, nil, errParams
	}
	p := 5
	var lists [2][][]byte
	for i := range lists {
		if p >= len(b) {
			return nil, nil, errParams
		}
		n := int(b[p])
		if i == 0 {
			n &= 0x1f
		}
		p++
		for range n {
			if p+2 > len(b) {
				return nil, nil, errParams
			}
			l := int(binary.BigEndian.Uint16(b[p:]))
			p += 2
			if p+l > len(b) {
				return nil, nil, errParams
			}
			lists[i] = append(lists[i], b[p:p+l])
			p += l
		}
	}
	if len(lists[0]) == 0 || len(lists[1]) == 0 {
		return nil, nil, errParams
	}
	return lists[0][0], lists[1][0], nil
}

// hvccParams reads the VPS, SPS and PPS of an hvcC record (ISO 14496-15 8.3.3).
func hvccParams(b []byte) (vps, sps, pps []byte, err error) {
	if len(b) < 23 {
		return nil, nil, nil, errParams
	}
	n := int(b[22])
	p := 23
	for range n {
		if p+3 > len(b) {
			return nil, nil, nil, errParams
		}
		typ := h265.NALUType(b[p] & 0x3f)
		cnt := int(binary.BigEndian.Uint16(b[p+1:]))
		p += 3
		for range cnt {
			if p+2 > len(b) {
				return nil, nil, nil, errParams
			}
			l := int(binary.BigEndian.Uint16(b[p:]))
			p += 2
			if p+l > len(b) {
				return nil, nil, nil, errParams
			}
			nal := b[p : p+l]
			p += l
			switch typ {
			case h265.NALUType_VPS_NUT:
				vps = nal
			case h265.NALUType_SPS_NUT:
				sps = nal
			case h265.NALUType_PPS_NUT:
				pps = nal
			}
		}
	}
	if sps == nil || pps == nil {
		return nil, nil, nil, errParams
	}
	return vps, sps, pps, nil
}

// lengthPrefixed splits an MP4 sample (4-byte NAL lengths) into NAL units.
// It is not mediacommon's h264.AVCC.Unmarshal because that refuses more
// than 25 NAL units in a unit, and the player keeps every slice of a
// camera that cuts a frame into more (one slice per macroblock row, say).
func lengthPrefixed(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, errParams
		}
		l := int(binary.BigEndian.Uint32(b))
		b = b[4:]
		if l > len(b) {
			return nil, errParams
		}
		out = append(out, b[:l])
		b = b[l:]
	}
	return out, nil
}
