package recorder

import "encoding/binary"

// tfraEntry is a random access point for the mfra: a part whose video
// holds a keyframe.
type tfraEntry struct {
	time   int64 // presentation time of the keyframe after the edit list, video timescale
	moof   int64 // offset of the part's moof in the file
	sample int   // 1-based index of the keyframe in the part's video trun
}

// appendMfra appends a movie fragment random access box (ISO 14496-12
// 8.8.9): one tfra listing the video keyframes' parts, and the mfro that
// lets a reader find the mfra from the end of the file. With it, ffmpeg
// (and VLC, which reads it too) seeks into a finished segment by reading
// the index at its end instead of every moof from the start.
func appendMfra(dst []byte, trackID uint32, entries []tfraEntry) []byte {
	be := binary.BigEndian
	const entrySize = 8 + 8 + 4 + 4 + 4 // version 1 times and offsets, 4-byte numbers
	tfraSize := 12 + 12 + len(entries)*entrySize
	mfraSize := 8 + tfraSize + 16
	dst = be.AppendUint32(dst, uint32(mfraSize))
	dst = append(dst, "mfra"...)
	dst = be.AppendUint32(dst, uint32(tfraSize))
	dst = append(dst, "tfra"...)
	dst = be.AppendUint32(dst, 1<<24) // version 1, no flags
	dst = be.AppendUint32(dst, trackID)
	dst = be.AppendUint32(dst, 0b111111) // traf, trun and sample numbers take 4 bytes each
	dst = be.AppendUint32(dst, uint32(len(entries)))
	for _, e := range entries {
		dst = be.AppendUint64(dst, uint64(e.time))
		dst = be.AppendUint64(dst, uint64(e.moof))
		dst = be.AppendUint32(dst, 1) // the video traf is the first
		dst = be.AppendUint32(dst, 1) // in one trun
		dst = be.AppendUint32(dst, uint32(e.sample))
	}
	dst = be.AppendUint32(dst, 16)
	dst = append(dst, "mfro"...)
	dst = be.AppendUint32(dst, 0)
	return be.AppendUint32(dst, uint32(mfraSize))
}
