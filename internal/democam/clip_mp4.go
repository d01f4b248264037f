package democam

import (
	"bytes"
	"errors"
	"fmt"

	amp4 "github.com/abema/go-mp4"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// ParseMP4 reads the first H.264 track of a progressive MP4 file from its
// sample tables (stts, ctts, stsz, stsc, stco/co64).
func ParseMP4(buf []byte) (*Clip, error) {
	r := bytes.NewReader(buf)
	traks, err := amp4.ExtractBox(r, nil, amp4.BoxPath{amp4.BoxTypeMoov(), amp4.BoxTypeTrak()})
	if err != nil {
		return nil, fmt.Errorf("democam: not a readable MP4: %w", err)
	}
	for _, trak := range traks {
		avcC, err := amp4.ExtractBoxWithPayload(r, trak, amp4.BoxPath{amp4.BoxTypeMdia(), amp4.BoxTypeMinf(),
			amp4.BoxTypeStbl(), amp4.BoxTypeStsd(), amp4.BoxTypeAvc1(), amp4.BoxTypeAvcC()})
		if err != nil || len(avcC) == 0 {
			continue
		}
		return parseTrak(buf, r, trak, avcC[0].Payload.(*amp4.AVCDecoderConfiguration))
	}
	return nil, errors.New("democam: the MP4 has no H.264 track")
}

type sampleTables struct {
	timescale uint32
	stts      *amp4.Stts
	ctts      *amp4.Ctts
	stsz      *amp4.Stsz
	stsc      *amp4.Stsc
	offsets   []uint64 // chunk offsets
}

func readTables(r *bytes.Reader, trak *amp4.BoxInfo) (*sampleTables, error) {
	stbl := amp4.BoxPath{amp4.BoxTypeMdia(), amp4.BoxTypeMinf(), amp4.BoxTypeStbl()}
	boxes, err := amp4.ExtractBoxesWithPayload(r, trak, []amp4.BoxPath{
		{amp4.BoxTypeMdia(), amp4.BoxTypeMdhd()},
		append(stbl, amp4.BoxTypeStts()),
		append(stbl, amp4.BoxTypeCtts()),
		append(stbl, amp4.BoxTypeStsz()),
		append(stbl, amp4.BoxTypeStsc()),
		append(stbl, amp4.BoxTypeStco()),
		append(stbl, amp4.BoxTypeCo64()),
	})
	if err != nil {
		return nil, err
	}
	t := &sampleTables{}
	for _, b := range boxes {
		switch p := b.Payload.(type) {
		case *amp4.Mdhd:
			t.timescale = p.Timescale
		case *amp4.Stts:
			t.stts = p
		case *amp4.Ctts:
			t.ctts = p
		case *amp4.Stsz:
			t.stsz = p
		case *amp4.Stsc:
			t.stsc = p
		case *amp4.Stco:
			for _, o := range p.ChunkOffset {
				t.offsets = append(t.offsets, uint64(o))
			}
		case *amp4.Co64:
			t.offsets = append(t.offsets, p.ChunkOffset...)
		}
	}
	if t.timescale == 0 || t.stts == nil || t.stsz == nil || t.stsc == nil || len(t.offsets) == 0 {
		return nil, errors.New("incomplete sample tables (a fragmented MP4?)")
	}
	return t, nil
}

func parseTrak(buf []byte, r *bytes.Reader, trak *amp4.BoxInfo, avcC *amp4.AVCDecoderConfiguration) (*Clip, error) {
	if len(avcC.SequenceParameterSets) == 0 || len(avcC.PictureParameterSets) == 0 {
		return nil, errors.New("democam: the H.264 track has no SPS/PPS")
	}
	c := &Clip{
		SPS: avcC.SequenceParameterSets[0].NALUnit,
		PPS: avcC.PictureParameterSets[0].NALUnit,
	}
	if err := c.readSize(); err != nil {
		return nil, err
	}
	t, err := readTables(r, trak)
	if err != nil {
		return nil, fmt.Errorf("democam: %w", err)
	}
	n := int(t.stsz.SampleCount)
	ticks := func(v int64) int64 { return v * clockRate / int64(t.timescale) }

	durations := expandRuns(n, len(t.stts.Entries), func(i int) (uint32, int64) {
		return t.stts.Entries[i].SampleCount, int64(t.stts.Entries[i].SampleDelta)
	})
	ctsOffsets := make([]int64, n)
	if t.ctts != nil {
		ctsOffsets = expandRuns(n, len(t.ctts.Entries), func(i int) (uint32, int64) {
			e := t.ctts.Entries[i]
			if t.ctts.Version == 1 {
				return e.SampleCount, int64(e.SampleOffsetV1)
			}
			return e.SampleCount, int64(e.SampleOffsetV0)
		})
	}

	sample := 0
	var dts int64
	for ci, off := range t.offsets {
		perChunk := samplesInChunk(t.stsc, uint32(ci+1))
		for range perChunk {
			if sample >= n {
				break
			}
			size := uint64(t.stsz.SampleSize)
			if size == 0 {
				size = uint64(t.stsz.EntrySize[sample])
			}
			if off+size > uint64(len(buf)) {
				return nil, errors.New("democam: MP4 sample beyond the end of the file")
			}
			var au h264.AVCC
			if err := au.Unmarshal(buf[off : off+size]); err != nil {
				return nil, fmt.Errorf("democam: bad sample %d: %w", sample, err)
			}
			c.Frames = append(c.Frames, Frame{
				NALUs: au,
				DTS:   ticks(dts),
				PTS:   ticks(dts + ctsOffsets[sample]),
				Key:   h264.IsRandomAccess(au),
			})
			dts += durations[sample]
			off += size
			sample++
		}
	}
	if len(c.Frames) == 0 {
		return nil, errors.New("democam: the H.264 track is empty")
	}
	c.Duration = ticks(dts)
	return c, c.normalize()
}

// expandRuns turns run-length table entries (count, value) into one value
// per sample.
func expandRuns(n, entries int, entry func(int) (uint32, int64)) []int64 {
	out := make([]int64, 0, n)
	for i := 0; i < entries && len(out) < n; i++ {
		count, v := entry(i)
		for j := uint32(0); j < count && len(out) < n; j++ {
			out = append(out, v)
		}
	}
	for len(out) < n {
		out = append(out, 0)
	}
	return out
}

// samplesInChunk reads stsc for a 1-based chunk number.
func samplesInChunk(stsc *amp4.Stsc, chunk uint32) uint32 {
	var per uint32
	for _, e := range stsc.Entries {
		if e.FirstChunk > chunk {
			break
		}
		per = e.SamplesPerChunk
	}
	return per
}
