package recorder

import (
	"encoding/binary"
	"math"
)

// sidxRefs is how many references the space reserved after the init
// segment holds: 1024 (12 KB) index a 15-minute segment GOP by GOP at a
// keyframe a second, and a longer file groups several GOPs per reference.
// A package variable so that tests can make grouping happen.
var sidxRefs = 1024

const (
	sidxHeader = 8 + 4 + 4 + 4 + 8 + 8 + 4 // box header, version 1 with 64-bit times
	sidxRef    = 12
)

// sidxReserve is the size of the free box written after the init segment:
// room for an sidx of sidxRefs references and, always, a filler free box
// of at least a header behind it, so any sidx up to that size fits.
func sidxReserve() int { return sidxHeader + sidxRefs*sidxRef + 8 }

// appendFree appends a free box of size bytes (at least 8).
func appendFree(dst []byte, size int) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	dst = append(dst, "free"...)
	return append(dst, make([]byte, size-8)...)
}

// sidxFrag is one part in the file as the sidx sees it.
type sidxFrag struct {
	size  int64 // bytes of prft, moof and mdat
	video bool  // it holds video samples
	sap   bool  // its first video sample is a keyframe
	ept   int64 // earliest video presentation, after the edit list, video timescale
}

// sidxEntry is one reference: a run of parts.
type sidxEntry struct {
	size     int64
	ept      int64
	duration int64
	sap      bool
}

// sidxEntries groups the parts into at most maxRefs references, each
// starting at a part that starts with a keyframe (parts are cut before
// every keyframe), so a reader that loads only a reference's first moof
// finds the keyframe it seeks from in it: ffmpeg's mov demuxer does just
// that. A part without video, or cut mid-GOP by the size limit, joins the
// reference before it (the first reference takes parts up to its video). When there are more GOPs than maxRefs, consecutive
// GOPs share a reference. end is the video track's presentation end.
func sidxEntries(frags []sidxFrag, end int64, maxRefs int) []sidxEntry {
	var runs []sidxEntry
	for _, f := range frags {
		if len(runs) == 0 || (f.video && f.sap && runs[len(runs)-1].ept != math.MaxInt64) {
			runs = append(runs, sidxEntry{ept: math.MaxInt64})
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
	group := (len(runs) + maxRefs - 1) / max(maxRefs, 1)
	var out []sidxEntry
	for i, r := range runs {
		if i%group == 0 {
			out = append(out, r)
			continue
		}
		o := &out[len(out)-1]
		o.size += r.size
		o.ept = min(o.ept, r.ept)
	}
	for i := range out {
		next := end
		if i+1 < len(out) {
			next = out[i+1].ept
		}
		if out[i].ept == math.MaxInt64 { // no video at all: not indexable
			return nil
		}
		out[i].duration = next - out[i].ept
	}
	return out
}

// marshalSidx returns the reservation (of reserve bytes) rewritten as a
// segment index box (ISO 14496-12 8.16.3, version 1) for the video track,
// followed by a free box filling the rest; first_offset skips that free
// box, so the references start at the first part. It returns nil when the
// entries cannot be indexed (none, too many, a size or duration beyond
// the fields).
func marshalSidx(trackID, timescale uint32, entries []sidxEntry, reserve int) []byte {
	size := sidxHeader + len(entries)*sidxRef
	if len(entries) == 0 || len(entries) > math.MaxUint16 || reserve-size < 8 {
		return nil
	}
	be := binary.BigEndian
	b := make([]byte, 0, reserve)
	b = be.AppendUint32(b, uint32(size))
	b = append(b, "sidx"...)
	b = be.AppendUint32(b, 1<<24) // version 1, no flags
	b = be.AppendUint32(b, trackID)
	b = be.AppendUint32(b, timescale)
	b = be.AppendUint64(b, uint64(max(entries[0].ept, 0)))
	b = be.AppendUint64(b, uint64(reserve-size)) // from the end of the sidx, past the filler
	b = be.AppendUint16(b, 0)
	b = be.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		if e.size <= 0 || e.size >= 1<<31 || e.duration < 0 || e.duration > math.MaxUint32 {
			return nil
		}
		b = be.AppendUint32(b, uint32(e.size)) // reference_type 0: media
		b = be.AppendUint32(b, uint32(e.duration))
		var sap uint32
		if e.sap {
			sap = 1<<31 | 1<<28 // starts_with_SAP, SAP_type 1, SAP_delta_time 0
		}
		b = be.AppendUint32(b, sap)
	}
	return appendFree(b, reserve-size)
}
