package recorder

import (
	"encoding/binary"
	"math"
	"time"
)

// sidxRefs is how many references each segment index holds when the
// segment has no time limit: one per part, and parts come at most about
// twice a second (see keyCutMin), so 1024 (12 KB) index the first eight
// minutes or more; a longer file keeps the free box (its mfra still
// indexes it). A package variable so that tests can overflow it.
var sidxRefs = 1024

const (
	sidxHeader = 8 + 4 + 4 + 4 + 8 + 8 + 4 // box header, version 1 with 64-bit times
	sidxRef    = 12
)

// sidxRefsFor is how many references to reserve room for in a segment of
// length d (0: no limit): two parts a second and a margin, as many as an
// index can count.
func sidxRefsFor(d time.Duration) int {
	if d <= 0 {
		return sidxRefs
	}
	return min(int(2*d/time.Second)+64, math.MaxUint16)
}

// sidxReserve is the size of the free box written after the init segment:
// room for an index of refs references per track and, always, a filler
// free box of at least a header behind them.
func sidxReserve(refs, tracks int) int { return tracks*(sidxHeader+refs*sidxRef) + 8 }

// appendFree appends a free box of size bytes (at least 8).
func appendFree(dst []byte, size int) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	dst = append(dst, "free"...)
	return append(dst, make([]byte, size-8)...)
}

// sidxFrag is one part in the file as the index sees it.
type sidxFrag struct {
	size  int64 // bytes of its moof and mdat
	video bool  // it holds video samples
	sap   bool  // its first video sample is a keyframe
	ept   int64 // earliest video presentation, after the edit list, video timescale
	audio int64 // decode time of its first audio sample, or of the audio after the file's so far
}

// sidxEntry is a reference as one track's index gives it.
type sidxEntry struct {
	size     int64
	time     int64 // presentation time it starts at
	duration int64
	sap      bool
}

// sidxTrack is one track's references: one per part, because FFmpeg
// 5.1's mov demuxer, once it has read a reference's moof, takes the next
// reference it knows for the next moof and skips any moof in between (a
// second of video lost after seeking back into a GOP). FFmpeg also picks
// the last reference whose time is at or before the target, whether or
// not it starts with a keyframe, and looks for the keyframe only in what
// it has read; and it seeks the other tracks to the keyframe's time, where
// a reference before the keyframe's part would move the video back a
// GOP. So in every track the parts that start with a video keyframe span
// their whole GOP, up to the next such part (or end, the track's end),
// from at(part) on, and the other parts get no duration of their own:
// their time is the next GOP's, which no target before it reaches.
// allSync says every sample of the track is a sync sample (audio);
// otherwise only the GOPs' parts start with a SAP. It returns nil when no
// part starts with a keyframe.
func sidxTrack(frags []sidxFrag, at func(sidxFrag) int64, end int64, allSync bool) []sidxEntry {
	out := make([]sidxEntry, len(frags))
	next, found := end, false
	for i := len(frags) - 1; i >= 0; i-- {
		f := frags[i]
		out[i] = sidxEntry{size: f.size, time: next, sap: allSync}
		if f.video && f.sap {
			t := at(f)
			out[i] = sidxEntry{size: f.size, time: t, duration: next - t, sap: true}
			next, found = t, true
		}
	}
	if !found {
		return nil
	}
	return out
}

// marshalSidx appends a segment index box (ISO 14496-12 8.16.3, version
// 1) for one track; skip is how many bytes lie between its end and the
// first part (the boxes after it in the reservation). It returns dst
// unchanged and false when the entries do not fit the fields.
func marshalSidx(dst []byte, trackID, timescale uint32, entries []sidxEntry, skip int) ([]byte, bool) {
	if len(entries) == 0 || len(entries) > math.MaxUint16 {
		return dst, false
	}
	be := binary.BigEndian
	b := be.AppendUint32(dst, uint32(sidxHeader+len(entries)*sidxRef))
	b = append(b, "sidx"...)
	b = be.AppendUint32(b, 1<<24) // version 1, no flags
	b = be.AppendUint32(b, trackID)
	b = be.AppendUint32(b, timescale)
	b = be.AppendUint64(b, uint64(max(entries[0].time, 0)))
	b = be.AppendUint64(b, uint64(skip)) // first_offset, from the end of this box
	b = be.AppendUint16(b, 0)
	b = be.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		if e.size <= 0 || e.size >= 1<<31 || e.duration < 0 || e.duration > math.MaxUint32 {
			return dst, false
		}
		b = be.AppendUint32(b, uint32(e.size)) // reference_type 0: media
		b = be.AppendUint32(b, uint32(e.duration))
		var sap uint32
		if e.sap {
			sap = 1<<31 | 1<<28 // starts_with_SAP, SAP_type 1, SAP_delta_time 0
		}
		b = be.AppendUint32(b, sap)
	}
	return b, true
}

// marshalSidxes returns the reservation (of reserve bytes) rewritten as
// the video track's segment index, the audio track's when there is one
// (ffmpeg 5.1 compares a track's seek time with the times of an index in
// another track's timescale, so the audio needs its own), and a free box
// filling the rest; each index's first_offset skips what follows it in
// the reservation and lead, the bytes before the first moof (the first
// part's prft), so the references start at the first moof. It returns
// nil when the parts cannot be indexed.
func marshalSidxes(reserve, lead int, v, a []sidxEntry, vID, vScale, aID, aScale uint32) []byte {
	size := func(e []sidxEntry) int {
		if len(e) == 0 {
			return 0
		}
		return sidxHeader + len(e)*sidxRef
	}
	filler := reserve - size(v) - size(a)
	if len(v) == 0 || filler < 8 {
		return nil
	}
	b, ok := marshalSidx(make([]byte, 0, reserve), vID, vScale, v, size(a)+filler+lead)
	if ok && len(a) > 0 {
		b, ok = marshalSidx(b, aID, aScale, a, filler+lead)
	}
	if !ok {
		return nil
	}
	return appendFree(b, filler)
}
