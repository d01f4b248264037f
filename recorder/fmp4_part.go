package recorder

import (
	"encoding/binary"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"
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

// ntpEpochOffset is the seconds from 1900 (NTP) to 1970 (Unix).
const ntpEpochOffset = 2208988800

func ntpTime(t time.Time) uint64 {
	secs := uint64(t.Unix() + ntpEpochOffset)
	// Rounded up, so that a reader truncating back to nanoseconds gets
	// the same time.
	frac := (uint64(t.Nanosecond())<<32 + uint64(time.Second) - 1) / uint64(time.Second)
	return secs<<32 | frac
}

// prftSize is the size of the prft box (version 1).
const prftSize = 32

// marshalPart appends one part to dst: with prft, a prft box tying the
// part's first sample to the wallclock, then the moof and mdat that
// mediacommon's fmp4.Part writes. Only a segment's first part has a prft:
// FFmpeg 5.1 follows an sidx from moof to moof only when each mdat ends
// where the next moof begins. The whole part is built in memory so it reaches the
// file in a single write: a process killed mid-recording leaves whole
// parts only.
func marshalPart(dst []byte, seq uint32, tracks []partTrack, prft bool, wall time.Time) ([]byte, error) {
	be := binary.BigEndian
	// prft (version 1): reference track, NTP time, media time.
	if prft && len(tracks) > 0 && len(tracks[0].samples) > 0 {
		dst = be.AppendUint32(dst, prftSize)
		dst = append(dst, "prft"...)
		dst = be.AppendUint32(dst, 1<<24)
		dst = be.AppendUint32(dst, tracks[0].track.id)
		dst = be.AppendUint64(dst, ntpTime(wall))
		dst = be.AppendUint64(dst, uint64(tracks[0].samples[0].dts))
	}

	part := fmp4.Part{SequenceNumber: seq}
	for _, pt := range tracks {
		t := &fmp4.PartTrack{ID: int(pt.track.id), BaseTime: uint64(pt.samples[0].dts),
			Samples: make([]*fmp4.Sample, len(pt.samples))}
		for i, s := range pt.samples {
			t.Samples[i] = &fmp4.Sample{Duration: s.duration, PTSOffset: s.ptsOffset,
				IsNonSyncSample: !s.sync, Payload: s.data}
		}
		part.Tracks = append(part.Tracks, t)
	}
	var buf seekablebuffer.Buffer
	if err := part.Marshal(&buf); err != nil {
		return dst, err
	}
	return append(dst, buf.Bytes()...), nil
}

// partSize is the size of a part's moof and mdat: the part less its prft.
func partSize(part []byte) int {
	if len(part) >= prftSize && string(part[4:8]) == "prft" {
		return len(part) - prftSize
	}
	return len(part)
}
