package recorder

import "github.com/camdeck/camdeck/player"

// G.711 is recorded as 16-bit linear PCM: MP4 players read neither A-law
// nor µ-law in MP4 (ffmpeg's muxer refuses them in mp4 mode, browsers
// have no sample entry for them), but they read LPCM in an ipcm sample
// entry (ISO/IEC 23003-5), which MediaMTX writes for the same cameras.
// Decoding is a table lookup, so the recorder stays free of cgo; the
// file is twice the size of the G.711 stream (128 kbit/s at 8 kHz mono).

// lpcmBigEndian is the byte order of the recorded samples: big-endian,
// the order of RTP's L16 and of MediaMTX's recordings of G.711.
const lpcmBigEndian = true

// lpcmBits is the sample size of G.711 decoded to linear PCM.
const lpcmBits = 16

// alawTable and ulawTable map a G.711 byte to its linear sample (ITU-T
// G.711: A-law's 13-bit and µ-law's 14-bit values, scaled to 16 bits).
var alawTable, ulawTable = func() (a, u [256]int16) {
	for i := range 256 {
		a[i] = alawSample(byte(i))
		u[i] = ulawSample(byte(i))
	}
	return a, u
}()

// alawSample decodes one A-law byte: even bits inverted, then a sign bit,
// a 3-bit segment and a 4-bit step within the segment.
func alawSample(b byte) int16 {
	b ^= 0x55
	step := int32(b&0x0f)<<4 + 8 // the middle of the step
	if seg := int32(b>>4) & 7; seg > 0 {
		step = (step + 0x100) << (seg - 1)
	}
	if b&0x80 == 0 {
		step = -step
	}
	return int16(step)
}

// ulawSample decodes one µ-law byte: all bits inverted, then a sign bit,
// a 3-bit segment and a 4-bit step, with the bias of 132 taken off.
func ulawSample(b byte) int16 {
	b = ^b
	const bias = 0x84
	v := (int32(b&0x0f)<<3 + bias) << ((b >> 4) & 7)
	if b&0x80 != 0 {
		return int16(bias - v)
	}
	return int16(v - bias)
}

// g711ToLPCM appends the 16-bit big-endian samples of src, decoded with
// table, to dst.
func g711ToLPCM(dst, src []byte, table *[256]int16) []byte {
	for _, b := range src {
		v := uint16(table[b])
		dst = append(dst, byte(v>>8), byte(v))
	}
	return dst
}

// g711Table is the decoding table of a G.711 codec, or nil for another.
func g711Table(c player.Codec) *[256]int16 {
	switch c {
	case player.CodecG711A:
		return &alawTable
	case player.CodecG711U:
		return &ulawTable
	}
	return nil
}
