package recorder

import (
	"encoding/binary"
	"math"
)

// sidxRefs is how many references each segment index in the space
// reserved after the init segment holds: 1024 (12 KB) index a 15-minute
// segment GOP by GOP at a keyframe a second, and a longer file groups
// several GOPs per reference. A package variable so that tests can make
// grouping happen.
var sidxRefs = 1024

const (
	sidxHeader = 8 + 4 + 4 + 4 + 8 + 8 + 4 // box header, version 1 with 64-bit times
	sidxRef    = 12
)

// sidxReserve is the size of the free box written after the init segment:
// room for two indexes (video, and audio when there is audio) of sidxRefs
// references and, always, a filler free box of at least a header behind
// them.
func sidxReserve() int { return 2*(sidxHeader+sidxRefs*sidxRef) + 8 }

// appendFree appends a free box of size bytes (at least 8).
func appendFree(dst []byte, size int) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	dst = append(dst, "free"...)
	return append(dst, make([]byte, size-8)...)
}

// sidxFrag is one part in the file as the index sees it.
type sidxFrag struct {
	size  int64 // bytes of prft, moof and mdat
	video bool  // it holds video samples
	sap   bool  // its first video sample is a keyframe
	ept   int64 // earliest video presentation, after the edit list, video timescale
	audio int64 // decode time of its first audio sample, or of the audio after the file's so far
}

// sidxRun is one reference: a run of parts.
type sidxRun struct {
	size  int64
	sap   bool
	ept   int64 // video
	audio int64
}

// sidxRuns groups the parts into at most maxRefs references, each
// starting at a part that starts with a keyframe (parts are cut before
// every keyframe), so a reader that loads only a reference's first moof
// finds the keyframe it seeks from in it: ffmpeg's mov demuxer does just
// that. A part without video, or cut mid-GOP by the size limit, joins the
// reference before it (the first reference takes parts up to its video).
// When there are more GOPs than maxRefs, consecutive GOPs share a
// reference. It returns nil for a file without video.
func sidxRuns(frags []sidxFrag, maxRefs int) []sidxRun {
	var runs []sidxRun
	for _, f := range frags {
		if len(runs) == 0 || (f.video && f.sap && runs[len(runs)-1].ept != math.MaxInt64) {
			runs = append(runs, sidxRun{ept: math.MaxInt64, audio: f.audio})
		}
		r := &runs[len(runs)-1]
		r.size += f.size
		if f.video {
			if r.ept == math.MaxInt64 {
				r.sap = f.sap
			}
			r.ept = min(r.ept, f.ept)
		}
	}
	if len(runs) == 0 || runs[0].ept == math.MaxInt64 {
		return nil
	}
	group := (len(runs) + maxRefs - 1) / max(maxRefs, 1)
	var out []sidxRun
	for i, r := range runs {
		if i%group == 0 {
			out = append(out, r)
			continue
		}
		o := &out[len(out)-1]
		o.size += r.size
		o.ept = min(o.ept, r.ept)
	}
	return out
}

// sidxEntry is a reference as one track's index gives it.
type sidxEntry struct {
	size     int64
	time     int64 // earliest presentation of the track in it
	duration int64
	sap      bool
}

// sidxTrack is the references of one track: time picks its start in a
// run, end is the track's presentation end; allSync says every sample of
// the track is a sync sample (audio), otherwise a reference starts with a
// SAP when its first part starts with a keyframe.
func sidxTrack(runs []sidxRun, time func(sidxRun) int64, end int64, allSync bool) []sidxEntry {
	out := make([]sidxEntry, len(runs))
	for i, r := range runs {
		next := end
		if i+1 < len(runs) {
			next = time(runs[i+1])
		}
		out[i] = sidxEntry{size: r.size, time: time(r), duration: next - time(r), sap: allSync || r.sap}
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
// the reservation, so the references start at the first part. It returns
// nil when the parts cannot be indexed.
func marshalSidxes(reserve int, v, a []sidxEntry, vID, vScale, aID, aScale uint32) []byte {
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
	b, ok := marshalSidx(make([]byte, 0, reserve), vID, vScale, v, size(a)+filler)
	if ok && len(a) > 0 {
		b, ok = marshalSidx(b, aID, aScale, a, filler)
	}
	if !ok {
		return nil
	}
	return appendFree(b, filler)
}
