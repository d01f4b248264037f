package recorder

import (
	"encoding/binary"
	"fmt"
	"time"
)

// sample is one frame (or one audio access unit) waiting to be written.
type sample struct {
	dts       int64 // decode time in the track timescale, from the file's start
	duration  uint32
	ptsOffset int32 // presentation time minus decode time
	sync      bool  // decoding can start here
	data      []byte
}

// partTrack is one track's samples in a part.
type partTrack struct {
	track   *fmp4Track
	samples []*sample
}

// trun flags (ISO/IEC 14496-12 8.8.8).
const (
	trunDataOffset      = 0x000001
	trunSampleDuration  = 0x000100
	trunSampleSize      = 0x000200
	trunSampleFlags     = 0x000400
	trunCompositionTime = 0x000800

	// tfhd: sample data offsets count from the moof.
	tfhdDefaultBaseIsMoof = 0x020000

	// sample_flags: depends_on = 2 (an I frame), or depends_on = 1 and
	// sample_is_non_sync_sample.
	flagsSync    = 0x02000000
	flagsNonSync = 0x01010000
)

// ntpEpochOffset is the seconds from 1900 (NTP) to 1970 (Unix).
const ntpEpochOffset = 2208988800

func ntpTime(t time.Time) uint64 {
	secs := uint64(t.Unix() + ntpEpochOffset)
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

// marshalPart appends one part to dst: a prft box tying the part's first
// video sample to the wallclock, then moof and mdat. The whole part is
// built in memory so it reaches the file in a single write: a process
// killed mid-recording leaves whole parts only.
func marshalPart(dst []byte, seq uint32, tracks []partTrack, wall time.Time) ([]byte, error) {
	be := binary.BigEndian
	u32 := func(v uint32) { dst = be.AppendUint32(dst, v) }
	u64 := func(v uint64) { dst = be.AppendUint64(dst, v) }
	typ := func(t string) { dst = append(dst, t...) }

	// prft (version 1): reference track, NTP time, media time.
	if len(tracks) > 0 && len(tracks[0].samples) > 0 {
		u32(32)
		typ("prft")
		u32(1 << 24)
		u32(tracks[0].track.id)
		u64(ntpTime(wall))
		u64(uint64(tracks[0].samples[0].dts))
	}

	// Sizes first: trun data offsets point past the moof.
	moofSize := 8 + 16
	for _, pt := range tracks {
		moofSize += 8 + 16 + 20 + 20 + len(pt.samples)*entrySize(pt.track)
	}
	moofStart := len(dst)
	u32(uint32(moofSize))
	typ("moof")
	u32(16)
	typ("mfhd")
	u32(0)
	u32(seq)

	dataOffset := moofSize + 8
	for _, pt := range tracks {
		video := pt.track.codec.IsVideo()
		trunSize := 12 + 4 + 4 + len(pt.samples)*entrySize(pt.track)
		u32(uint32(8 + 16 + 20 + trunSize))
		typ("traf")
		u32(16)
		typ("tfhd")
		u32(tfhdDefaultBaseIsMoof)
		u32(pt.track.id)
		u32(20)
		typ("tfdt")
		u32(1 << 24)
		u64(uint64(pt.samples[0].dts))

		flags := uint32(trunDataOffset | trunSampleDuration | trunSampleSize)
		if video {
			flags |= trunSampleFlags | trunCompositionTime
		}
		u32(uint32(trunSize))
		typ("trun")
		u32(1<<24 | flags) // version 1: signed composition offsets
		u32(uint32(len(pt.samples)))
		u32(uint32(dataOffset))
		for _, s := range pt.samples {
			u32(s.duration)
			u32(uint32(len(s.data)))
			dataOffset += len(s.data)
			if video {
				if s.sync {
					u32(flagsSync)
				} else {
					u32(flagsNonSync)
				}
				u32(uint32(s.ptsOffset))
			}
		}
	}
	if len(dst)-moofStart != moofSize {
		return dst, fmt.Errorf("moof of %d bytes, %d computed", len(dst)-moofStart, moofSize)
	}

	mdatSize := 8
	for _, pt := range tracks {
		for _, s := range pt.samples {
			mdatSize += len(s.data)
		}
	}
	u32(uint32(mdatSize))
	typ("mdat")
	for _, pt := range tracks {
		for _, s := range pt.samples {
			dst = append(dst, s.data...)
		}
	}
	return dst, nil
}

// entrySize is the bytes of one trun entry of a track.
func entrySize(t *fmp4Track) int {
	if t.codec.IsVideo() {
		return 16 // duration, size, flags, composition offset
	}
	return 8 // duration, size
}
