package recorder

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"

	amp4 "github.com/abema/go-mp4"
)

// Repaired is a recording that Repair finished after a crash.
type Repaired struct {
	Path     string
	Duration time.Duration // written in the header
	Cut      int64         // bytes of a torn last part cut off
}

// Repair finishes the recordings under dir (dir/CAMERA/*.mp4) that a
// crash or a power cut left unfinished: their header durations (mvhd,
// mehd, tkhd, mdhd, the edit list) are still 0 and a part may be torn.
// The durations are computed from the parts and written in place, and a
// torn last part is cut off. A file that a live recorder is writing (it
// holds the file's lock) is left alone, and so are files camdeck did not
// write. It returns what it repaired, oldest first.
func Repair(dir string) ([]Repaired, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.mp4"))
	if err != nil {
		return nil, fmt.Errorf("recorder: %w", err)
	}
	sort.Strings(files)
	var out []Repaired
	var errs []error
	for _, p := range files {
		r, ok, err := repairFile(p)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("recorder: repairing %s: %w", p, err))
		case ok:
			out = append(out, r)
		}
	}
	return out, errors.Join(errs...)
}

// box is a box's place in a file.
type box struct {
	typ       string
	off, size int64
	hdr       int64
}

// topBoxes lists a file's top-level boxes up to the first one that does
// not fit in the file (a torn write).
func topBoxes(f *os.File, size int64) []box {
	var out []box
	var h [16]byte
	for off := int64(0); off+8 <= size; {
		if _, err := f.ReadAt(h[:8], off); err != nil {
			break
		}
		b := box{typ: string(h[4:8]), off: off, size: int64(binary.BigEndian.Uint32(h[:4])), hdr: 8}
		if b.size == 1 {
			if _, err := f.ReadAt(h[8:16], off+8); err != nil {
				break
			}
			b.size, b.hdr = int64(binary.BigEndian.Uint64(h[8:16])), 16
		}
		if b.size < b.hdr || off+b.size > size {
			break
		}
		out = append(out, b)
		off += b.size
	}
	return out
}

// patch is a box rewritten in place; at is where its payload starts in
// the moov.
type patch struct {
	at  int64
	box amp4.IImmutableBox
}

// trackInfo is what repair learns of one track.
type trackInfo struct {
	video     bool
	timescale uint32
	mediaTime int64
	end       int64 // presentation end (video) or decode end (audio), media time
	tkhd      *amp4.Tkhd
	tkhdAt    int64
	mdhd      *amp4.Mdhd
	mdhdAt    int64
	elst      *amp4.Elst
	elstAt    int64
}

func repairFile(path string) (Repaired, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return Repaired{}, false, err
	}
	defer f.Close()
	if lockedByWriter(f) {
		return Repaired{}, false, nil
	}
	st, err := f.Stat()
	if err != nil {
		return Repaired{}, false, err
	}
	top := topBoxes(f, st.Size())
	if len(top) < 2 || top[0].typ != "ftyp" || top[1].typ != "moov" {
		return Repaired{}, false, nil // not a recording of ours, or torn in its init
	}
	moov := top[1]
	moovData := make([]byte, moov.size)
	if _, err := f.ReadAt(moovData, moov.off); err != nil {
		return Repaired{}, false, err
	}
	tracks, mvhd, mvhdAt, mehd, mehdAt, err := readMoov(moovData)
	if err != nil || mvhd == nil || mvhd.Version != 1 || mvhd.DurationV1 != 0 {
		return Repaired{}, false, nil // finished, or not written by camdeck
	}

	// Whole parts: a moof followed by its mdat (a prft may precede).
	good := moov.off + moov.size
	var moofs []int64
	var infos []moofInfo
	for i := 2; i < len(top); i++ {
		b := top[i]
		if b.typ != "moof" {
			continue
		}
		if i+1 >= len(top) || top[i+1].typ != "mdat" {
			break
		}
		data := make([]byte, b.size)
		if _, err := f.ReadAt(data, b.off); err != nil {
			return Repaired{}, false, err
		}
		info, err := readMoof(data, tracks)
		if err != nil {
			break
		}
		moofs, infos = append(moofs, b.off), append(infos, info)
		good = top[i+1].off + top[i+1].size
		i++
	}

	var video *trackInfo
	for _, t := range tracks {
		if t.video {
			video = t
		}
	}
	if video == nil || video.tkhd == nil || video.mdhd == nil {
		return Repaired{}, false, nil
	}
	movie := func(d int64, ts uint32) uint64 { return uint64(max(d, 0) * movieTimescale / int64(ts)) }
	videoDur := max(video.end-video.mediaTime, 0)
	total := movie(videoDur, video.timescale)
	mvhd.DurationV1 = total
	patches := []patch{{mvhdAt, mvhd}}
	if mehd != nil {
		mehd.FragmentDurationV1 = total
		patches = append(patches, patch{mehdAt, mehd})
	}
	for _, t := range tracks {
		if t.tkhd == nil || t.mdhd == nil || t.tkhd.Version != 1 || t.mdhd.Version != 1 {
			continue
		}
		d := t.end
		if t.video {
			d = videoDur
		}
		t.tkhd.DurationV1 = movie(d, t.timescale)
		t.mdhd.DurationV1 = uint64(d)
		patches = append(patches, patch{t.tkhdAt, t.tkhd}, patch{t.mdhdAt, t.mdhd})
		if t.elst != nil && t.elst.Version == 1 && len(t.elst.Entries) == 1 {
			t.elst.Entries[0].SegmentDurationV1 = t.tkhd.DurationV1
			patches = append(patches, patch{t.elstAt, t.elst})
		}
	}

	// Cut the torn tail first: the durations describe what stays.
	cut := st.Size() - good
	if cut > 0 {
		if err := f.Truncate(good); err != nil {
			return Repaired{}, false, err
		}
	}
	for _, p := range patches {
		var buf bytes.Buffer
		if _, err := amp4.Marshal(&buf, p.box, amp4.Context{}); err != nil {
			return Repaired{}, false, err
		}
		// Version 1 fields have fixed sizes: the payload keeps its size.
		if _, err := f.WriteAt(buf.Bytes(), moov.off+p.at); err != nil {
			return Repaired{}, false, err
		}
	}
	writeRepairSidx(f, top, moofs, infos, good, tracks, video)
	if err := f.Sync(); err != nil {
		return Repaired{}, false, err
	}
	d := time.Duration(videoDur) * time.Second / time.Duration(video.timescale)
	return Repaired{Path: path, Duration: d, Cut: cut}, true, nil
}

// readMoov finds the boxes whose durations repair writes; at is where a
// box's payload starts in the moov.
func readMoov(moov []byte) (tracks map[uint32]*trackInfo, mvhd *amp4.Mvhd, mvhdAt int64, mehd *amp4.Mehd, mehdAt int64, err error) {
	tracks = map[uint32]*trackInfo{}
	var cur *trackInfo
	_, err = amp4.ReadBoxStructure(bytes.NewReader(moov), func(h *amp4.ReadHandle) (any, error) {
		at := int64(h.BoxInfo.Offset + h.BoxInfo.HeaderSize)
		switch h.BoxInfo.Type.String() {
		case "moov", "mvex", "edts", "mdia", "minf":
			return h.Expand()
		case "trak":
			cur = &trackInfo{}
			return h.Expand()
		case "mvhd", "mehd", "tkhd", "elst", "mdhd", "hdlr":
			b, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			switch b := b.(type) {
			case *amp4.Mvhd:
				mvhd, mvhdAt = b, at
			case *amp4.Mehd:
				mehd, mehdAt = b, at
			case *amp4.Tkhd:
				cur.tkhd, cur.tkhdAt = b, at
				tracks[b.TrackID] = cur
			case *amp4.Elst:
				cur.elst, cur.elstAt = b, at
				if len(b.Entries) > 0 {
					cur.mediaTime = b.Entries[0].MediaTimeV1
					if b.Version == 0 {
						cur.mediaTime = int64(b.Entries[0].MediaTimeV0)
					}
				}
			case *amp4.Mdhd:
				cur.mdhd, cur.mdhdAt, cur.timescale = b, at, b.Timescale
			case *amp4.Hdlr:
				cur.video = b.HandlerType == [4]byte{'v', 'i', 'd', 'e'}
			}
		}
		return nil, nil
	})
	if err == nil {
		for _, t := range tracks {
			if t.timescale == 0 {
				return nil, nil, 0, nil, 0, errors.New("a track without a timescale")
			}
		}
	}
	return tracks, mvhd, mvhdAt, mehd, mehdAt, err
}

// readMoof extends each track's end by the samples of one part.
func readMoof(moof []byte, tracks map[uint32]*trackInfo) (moofInfo, error) {
	info := moofInfo{ept: math.MaxInt64, audio: -1}
	var cur *trackInfo
	var base int64
	var defDur, defFlags uint32
	_, err := amp4.ReadBoxStructure(bytes.NewReader(moof), func(h *amp4.ReadHandle) (any, error) {
		switch h.BoxInfo.Type.String() {
		case "moof", "traf":
			cur = nil
			return h.Expand()
		case "tfhd", "tfdt", "trun":
			b, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			switch b := b.(type) {
			case *amp4.Tfhd:
				cur, defDur, defFlags = tracks[b.TrackID], b.DefaultSampleDuration, b.DefaultSampleFlags
			case *amp4.Tfdt:
				base = int64(b.BaseMediaDecodeTimeV1)
				if b.Version == 0 {
					base = int64(b.BaseMediaDecodeTimeV0)
				}
			case *amp4.Trun:
				if cur == nil {
					return nil, io.ErrUnexpectedEOF
				}
				withDur := b.Flags[1]&0x01 != 0 // sample_duration present (0x000100)
				dts := base
				if !cur.video && len(b.Entries) > 0 && info.audio < 0 {
					info.audio = base
				}
				for i, e := range b.Entries {
					d := int64(defDur)
					if withDur {
						d = int64(e.SampleDuration)
					}
					cto := int64(e.SampleCompositionTimeOffsetV1)
					if b.Version == 0 {
						cto = int64(e.SampleCompositionTimeOffsetV0)
					}
					if !cur.video {
						cto = 0
					}
					if cur.video {
						if !info.video {
							flags := defFlags
							switch {
							case i == 0 && b.Flags[2]&0x04 != 0: // first_sample_flags present
								flags = b.FirstSampleFlags
							case b.Flags[1]&0x04 != 0: // sample_flags present (0x000400)
								flags = e.SampleFlags
							}
							info.video, info.sync = true, flags&0x00010000 == 0 // sample_is_non_sync_sample
						}
						info.ept = min(info.ept, dts+cto-cur.mediaTime)
					}
					cur.end = max(cur.end, dts+cto+d)
					dts += d
				}
			}
		}
		return nil, nil
	})
	return info, err
}

// moofInfo is what the sidx needs of a part: whether it holds video,
// whether its first video sample is a sync sample, its earliest video
// presentation (after the edit list) and its first audio decode time
// (-1 without audio).
type moofInfo struct {
	video, sync bool
	ept, audio  int64
}

// writeRepairSidx writes the sidx that finishing would have written into
// the free box reserved after the moov, from the parts read (moofs, their
// offsets; infos, what readMoof found; good, where the whole parts end).
// Only an aid, as when finishing: a file with the free box left plays.
func writeRepairSidx(f *os.File, top []box, moofs []int64, infos []moofInfo, good int64, tracks map[uint32]*trackInfo, video *trackInfo) {
	if len(top) < 3 || top[2].typ != "free" || len(moofs) == 0 {
		return
	}
	for _, b := range top[3:] { // FFmpeg needs each mdat to end at the next moof
		if b.off >= moofs[0] && b.off < good && b.typ != "moof" && b.typ != "mdat" {
			return
		}
	}
	var vID, aID uint32
	var audio *trackInfo
	for id, t := range tracks {
		if t == video {
			vID = id
		} else if audio == nil || id < aID {
			audio, aID = t, id
		}
	}
	frags := make([]sidxFrag, len(moofs))
	var audioAt int64
	if audio != nil {
		audioAt = audio.end
	}
	for i := len(moofs) - 1; i >= 0; i-- { // a part without audio: the audio after it
		end := good
		if i+1 < len(moofs) {
			end = moofs[i+1]
		}
		in := infos[i]
		if in.audio >= 0 {
			audioAt = in.audio
		}
		frags[i] = sidxFrag{size: end - moofs[i], video: in.video, sap: in.video && in.sync, ept: in.ept, audio: audioAt}
	}
	v := sidxTrack(frags, func(f sidxFrag) int64 { return f.ept }, max(video.end-video.mediaTime, 0), false)
	var a []sidxEntry
	var aScale uint32
	if audio != nil && v != nil {
		a = sidxTrack(frags, func(f sidxFrag) int64 { return f.audio - audio.mediaTime }, audio.end-audio.mediaTime, true)
		aScale = audio.timescale
	}
	lead := int(moofs[0] - (top[2].off + top[2].size))
	if b := marshalSidxes(int(top[2].size), lead, v, a, vID, video.timescale, aID, aScale); b != nil {
		_, _ = f.WriteAt(b, top[2].off)
	}
}
