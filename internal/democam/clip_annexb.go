package democam

import (
	"errors"
	"fmt"
	"sort"

	"github.com/bluenviron/mediacommon/v2/pkg/bits"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// defaultFPS is used for Annex-B files whose SPS carries no timing info:
// 25 fps is the most common rate of IP cameras in PAL regions and of our clip.
const defaultFPS = 25

// ParseAnnexB reads a raw H.264 stream (start codes, no container). Annex-B
// carries no timestamps: frames are spaced by fps (0 = the SPS timing info,
// else 25 fps) and presentation order comes from the picture order count, so
// files with B-frames play in the right order.
func ParseAnnexB(buf []byte, fps float64) (*Clip, error) {
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(buf); err != nil {
		return nil, fmt.Errorf("democam: not an H.264 Annex-B stream: %w", err)
	}

	c := &Clip{}
	var aus [][][]byte
	var cur [][]byte
	curHasSlice := false
	for _, n := range nalus {
		if len(n) == 0 {
			continue
		}
		typ := h264.NALUType(n[0] & 0x1f)
		switch typ {
		case h264.NALUTypeSPS:
			if c.SPS == nil {
				c.SPS = n
			}
		case h264.NALUTypePPS:
			if c.PPS == nil {
				c.PPS = n
			}
		}
		if startsAccessUnit(typ, n) && curHasSlice {
			aus = append(aus, cur)
			cur, curHasSlice = nil, false
		}
		cur = append(cur, n)
		if typ == h264.NALUTypeIDR || typ == h264.NALUTypeNonIDR {
			curHasSlice = true
		}
	}
	if curHasSlice {
		aus = append(aus, cur)
	}
	if len(aus) == 0 {
		return nil, errors.New("democam: no pictures in the H.264 stream")
	}
	if err := c.readSize(); err != nil {
		return nil, err
	}
	var sps h264.SPS
	_ = sps.Unmarshal(c.SPS) // checked by readSize
	if fps <= 0 {
		fps = sps.FPS()
	}
	if fps <= 0 {
		fps = defaultFPS
	}
	step := int64(clockRate / fps)

	pocs := make([]int64, len(aus))
	var prevLsb, msb int64
	for i, au := range aus {
		key := h264.IsRandomAccess(au)
		if key {
			prevLsb, msb = 0, 0
		}
		lsb, ok := pocLsb(au, &sps)
		if !ok {
			// No usable POC: present in decoding order.
			pocs[i] = int64(i)
			continue
		}
		maxLsb := int64(1) << (sps.Log2MaxPicOrderCntLsbMinus4 + 4)
		switch {
		case lsb < prevLsb && prevLsb-lsb >= maxLsb/2:
			msb += maxLsb
		case lsb > prevLsb && lsb-prevLsb > maxLsb/2:
			msb -= maxLsb
		}
		prevLsb = lsb
		pocs[i] = msb + lsb
	}

	// Within each GOP (IDR to IDR), the rank of a picture's POC is its
	// presentation slot.
	var gopStart int
	for i := 0; i <= len(aus); i++ {
		if i < len(aus) && (i == 0 || !h264.IsRandomAccess(aus[i])) {
			continue
		}
		gop := make([]int, i-gopStart)
		for j := range gop {
			gop[j] = gopStart + j
		}
		sort.SliceStable(gop, func(a, b int) bool { return pocs[gop[a]] < pocs[gop[b]] })
		slot := make(map[int]int, len(gop))
		for rank, idx := range gop {
			slot[idx] = rank
		}
		for j := gopStart; j < i; j++ {
			c.Frames = append(c.Frames, Frame{
				NALUs: aus[j],
				PTS:   int64(gopStart+slot[j]) * step,
				Key:   h264.IsRandomAccess(aus[j]),
			})
		}
		gopStart = i
	}

	// DTS: the decoding slots, delayed by the deepest reordering seen so
	// that no frame is presented before it is decoded.
	var delay int64
	for i := range c.Frames {
		delay = max(delay, int64(i)*step-c.Frames[i].PTS)
	}
	for i := range c.Frames {
		c.Frames[i].DTS = int64(i)*step - delay
	}
	c.Duration = int64(len(c.Frames)) * step
	return c, c.normalize()
}

// startsAccessUnit tells whether a NALU opens a new access unit
// (H.264 7.4.1.2.3, simplified to what encoders emit).
func startsAccessUnit(typ h264.NALUType, n []byte) bool {
	switch typ {
	case h264.NALUTypeAccessUnitDelimiter, h264.NALUTypeSPS, h264.NALUTypePPS, h264.NALUTypeSEI:
		return true
	case h264.NALUTypeIDR, h264.NALUTypeNonIDR:
		// first_mb_in_slice == 0 is ue(v) "1" as its first bit.
		return len(n) > 1 && n[1]&0x80 != 0
	}
	return false
}

// pocLsb reads pic_order_cnt_lsb from the first slice of an access unit.
// It reports false when the stream does not use POC type 0.
func pocLsb(au [][]byte, sps *h264.SPS) (int64, bool) {
	if sps.PicOrderCntType != 0 {
		return 0, false
	}
	for _, n := range au {
		typ := h264.NALUType(n[0] & 0x1f)
		if typ != h264.NALUTypeIDR && typ != h264.NALUTypeNonIDR {
			continue
		}
		buf := h264.EmulationPreventionRemove(n[1:min(len(n), 64)])
		pos := 0
		// skip moves past fixed-size fields; a header shorter than them is
		// broken.
		skip := func(bits int) bool {
			pos += bits
			return pos <= len(buf)*8
		}
		for range 3 { // first_mb_in_slice, slice_type, pic_parameter_set_id
			if _, err := bits.ReadGolombUnsigned(buf, &pos); err != nil {
				return 0, false
			}
		}
		if sps.SeparateColourPlaneFlag && !skip(2) {
			return 0, false
		}
		if !skip(int(sps.Log2MaxFrameNumMinus4 + 4)) { // frame_num
			return 0, false
		}
		if !sps.FrameMbsOnlyFlag {
			field, err := bits.ReadFlag(buf, &pos)
			if err != nil {
				return 0, false
			}
			if field && !skip(1) { // bottom_field_flag
				return 0, false
			}
		}
		if typ == h264.NALUTypeIDR {
			if _, err := bits.ReadGolombUnsigned(buf, &pos); err != nil { // idr_pic_id
				return 0, false
			}
		}
		v, err := bits.ReadBits(buf, &pos, int(sps.Log2MaxPicOrderCntLsbMinus4+4))
		if err != nil {
			return 0, false
		}
		return int64(v), true
	}
	return 0, false
}
