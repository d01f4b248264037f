package recorder

import (
	"errors"
	"fmt"
	"time"

	amp4 "github.com/abema/go-mp4"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"

	"github.com/camdeck/camdeck/player"
)

// movieTimescale is the timescale of durations in mvhd, tkhd, elst and
// mehd: milliseconds, as most muxers write.
const movieTimescale = 1000

// mp4Epoch is where MP4 times count from.
var mp4Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// fmp4Track is one track of a recording.
type fmp4Track struct {
	id        uint32
	timescale uint32
	codec     player.Codec

	// Video: parameter sets and size.
	vps, sps, pps []byte
	width, height int

	// Audio.
	aacConfig  []byte
	sampleRate int
	channels   int

	// mediaTime is where presentation starts in the track's media time:
	// the composition offset of the first sample, so that the first frame
	// presents at 0 (written in the edit list).
	mediaTime int64
	// duration is the presented length, in the track timescale (0 while
	// recording).
	duration int64
}

// fmp4Init describes the init segment (ftyp + moov) of a file.
//
// Parts are written with mediacommon's fmp4.Part (fmp4_part.go), but the
// init is written here because mediacommon's fmp4.Init cannot do three
// things a recording needs:
//   - an edit list, so that a stream with B-frames presents its first
//     frame at 0 (its first decode time is earlier);
//   - durations patched in place when the file is finished, or repaired
//     after a crash: mediacommon writes version 0 boxes with no
//     durations, so the patched init would not have the same size;
//   - hvc1 for H.265 (mediacommon writes hev1), which Apple players need.
//
// The avcC, hvcC and esds fields follow the layout of mediacommon's
// internal/mp4/codec_box.go (MIT licence, see NOTICE).
type fmp4Init struct {
	created time.Time
	tracks  []*fmp4Track
	// duration of the whole file in movieTimescale; 0 while recording.
	duration int64
}

// marshal encodes the init segment. Every field whose value is known only
// at the end (durations) has a fixed size (version 1 boxes), so the
// finished init can overwrite the first one in place.
func (in *fmp4Init) marshal() ([]byte, error) {
	var buf seekablebuffer.Buffer
	w := &boxWriter{w: amp4.NewWriter(&buf)}
	created := uint64(in.created.Sub(mp4Epoch) / time.Second)

	w.box(&amp4.Ftyp{
		MajorBrand:   [4]byte{'i', 's', 'o', '6'},
		MinorVersion: 1,
		CompatibleBrands: []amp4.CompatibleBrandElem{
			{CompatibleBrand: [4]byte{'i', 's', 'o', '6'}},
			{CompatibleBrand: [4]byte{'i', 's', 'o', '5'}},
			{CompatibleBrand: [4]byte{'i', 's', 'o', 'm'}},
			{CompatibleBrand: [4]byte{'m', 'p', '4', '1'}},
		},
	})
	w.start(&amp4.Moov{})
	w.box(&amp4.Mvhd{
		FullBox:            amp4.FullBox{Version: 1},
		CreationTimeV1:     created,
		ModificationTimeV1: created,
		Timescale:          movieTimescale,
		DurationV1:         uint64(in.duration),
		Rate:               0x10000,
		Volume:             0x100,
		Matrix:             [9]int32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000},
		NextTrackID:        uint32(len(in.tracks) + 1),
	})
	for _, t := range in.tracks {
		if err := t.marshal(w, created); err != nil {
			return nil, err
		}
	}
	w.start(&amp4.Mvex{})
	w.box(&amp4.Mehd{FullBox: amp4.FullBox{Version: 1}, FragmentDurationV1: uint64(in.duration)})
	for _, t := range in.tracks {
		w.box(&amp4.Trex{TrackID: t.id, DefaultSampleDescriptionIndex: 1})
	}
	w.end() // mvex
	w.end() // moov
	if w.err != nil {
		return nil, w.err
	}
	return buf.Bytes(), nil
}

func (t *fmp4Track) marshal(w *boxWriter, created uint64) error {
	video := t.codec.IsVideo()
	movieDur := uint64(t.duration * movieTimescale / int64(t.timescale))
	w.start(&amp4.Trak{})
	tkhd := &amp4.Tkhd{
		FullBox:            amp4.FullBox{Version: 1, Flags: [3]byte{0, 0, 3}}, // enabled, in movie
		CreationTimeV1:     created,
		ModificationTimeV1: created,
		TrackID:            t.id,
		DurationV1:         movieDur,
		Matrix:             [9]int32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000},
	}
	if video {
		tkhd.Width, tkhd.Height = uint32(t.width)<<16, uint32(t.height)<<16
	} else {
		tkhd.AlternateGroup, tkhd.Volume = 1, 0x100
	}
	w.box(tkhd)

	// One edit: present the media from mediaTime on. Players that honour
	// edit lists (FFmpeg, browsers, QuickTime) then agree that the first
	// frame presents at 0 although B-frames make its DTS earlier.
	w.start(&amp4.Edts{})
	w.box(&amp4.Elst{
		FullBox:    amp4.FullBox{Version: 1},
		EntryCount: 1,
		Entries: []amp4.ElstEntry{{
			SegmentDurationV1: movieDur,
			MediaTimeV1:       t.mediaTime,
			MediaRateInteger:  1,
		}},
	})
	w.end()

	w.start(&amp4.Mdia{})
	w.box(&amp4.Mdhd{
		FullBox:            amp4.FullBox{Version: 1},
		CreationTimeV1:     created,
		ModificationTimeV1: created,
		Timescale:          t.timescale,
		DurationV1:         uint64(t.duration),
		Language:           [3]byte{'u' - 0x60, 'n' - 0x60, 'd' - 0x60},
	})
	if video {
		w.box(&amp4.Hdlr{HandlerType: [4]byte{'v', 'i', 'd', 'e'}, Name: "VideoHandler"})
	} else {
		w.box(&amp4.Hdlr{HandlerType: [4]byte{'s', 'o', 'u', 'n'}, Name: "SoundHandler"})
	}
	w.start(&amp4.Minf{})
	if video {
		w.box(&amp4.Vmhd{FullBox: amp4.FullBox{Flags: [3]byte{0, 0, 1}}})
	} else {
		w.box(&amp4.Smhd{})
	}
	w.start(&amp4.Dinf{})
	w.start(&amp4.Dref{EntryCount: 1})
	w.box(&amp4.Url{FullBox: amp4.FullBox{Flags: [3]byte{0, 0, 1}}}) // media in this file
	w.end()
	w.end()
	w.start(&amp4.Stbl{})
	w.start(&amp4.Stsd{EntryCount: 1})
	if err := t.sampleEntry(w); err != nil {
		return err
	}
	w.end() // stsd
	w.box(&amp4.Stts{})
	w.box(&amp4.Stsc{})
	w.box(&amp4.Stsz{})
	w.box(&amp4.Stco{})
	w.end() // stbl
	w.end() // minf
	w.end() // mdia
	w.end() // trak
	return nil
}

func (t *fmp4Track) sampleEntry(w *boxWriter) error {
	visual := func(typ amp4.BoxType) *amp4.VisualSampleEntry {
		return &amp4.VisualSampleEntry{
			SampleEntry:     amp4.SampleEntry{AnyTypeBox: amp4.AnyTypeBox{Type: typ}, DataReferenceIndex: 1},
			Width:           uint16(t.width),
			Height:          uint16(t.height),
			Horizresolution: 72 << 16,
			Vertresolution:  72 << 16,
			FrameCount:      1,
			Depth:           24,
			PreDefined3:     -1,
		}
	}
	switch t.codec {
	case player.CodecH264:
		var sps h264.SPS
		if len(t.sps) < 4 || sps.Unmarshal(t.sps) != nil || len(t.pps) == 0 {
			return errors.New("recorder: no valid H.264 SPS/PPS")
		}
		w.start(visual(amp4.BoxTypeAvc1()))
		w.box(&amp4.AVCDecoderConfiguration{
			AnyTypeBox:                 amp4.AnyTypeBox{Type: amp4.BoxTypeAvcC()},
			ConfigurationVersion:       1,
			Profile:                    sps.ProfileIdc,
			ProfileCompatibility:       t.sps[2],
			Level:                      sps.LevelIdc,
			LengthSizeMinusOne:         3,
			NumOfSequenceParameterSets: 1,
			SequenceParameterSets:      []amp4.AVCParameterSet{{Length: uint16(len(t.sps)), NALUnit: t.sps}},
			NumOfPictureParameterSets:  1,
			PictureParameterSets:       []amp4.AVCParameterSet{{Length: uint16(len(t.pps)), NALUnit: t.pps}},
		})
		w.end()

	case player.CodecH265:
		var sps h265.SPS
		if len(t.sps) < 13 || sps.Unmarshal(t.sps) != nil || len(t.vps) == 0 || len(t.pps) == 0 {
			return errors.New("recorder: no valid H.265 VPS/SPS/PPS")
		}
		// hvc1, not hev1: Apple players open only hvc1, which keeps the
		// parameter sets here rather than in the samples.
		w.start(visual(amp4.BoxTypeHvc1()))
		ptl := sps.ProfileTierLevel
		nalus := func(typ h265.NALUType, n []byte) amp4.HEVCNaluArray {
			return amp4.HEVCNaluArray{
				Completeness: true,
				NaluType:     byte(typ),
				NumNalus:     1,
				Nalus:        []amp4.HEVCNalu{{Length: uint16(len(n)), NALUnit: n}},
			}
		}
		w.box(&amp4.HvcC{
			ConfigurationVersion:        1,
			GeneralProfileSpace:         ptl.GeneralProfileSpace,
			GeneralTierFlag:             ptl.GeneralTierFlag == 1,
			GeneralProfileIdc:           ptl.GeneralProfileIdc,
			GeneralProfileCompatibility: ptl.GeneralProfileCompatibilityFlag,
			GeneralConstraintIndicator:  [6]uint8(t.sps[7:13]),
			GeneralLevelIdc:             ptl.GeneralLevelIdc,
			ChromaFormatIdc:             uint8(sps.ChromaFormatIdc),
			BitDepthLumaMinus8:          uint8(sps.BitDepthLumaMinus8),
			BitDepthChromaMinus8:        uint8(sps.BitDepthChromaMinus8),
			NumTemporalLayers:           1,
			LengthSizeMinusOne:          3,
			NumOfNaluArrays:             3,
			NaluArrays: []amp4.HEVCNaluArray{
				nalus(h265.NALUType_VPS_NUT, t.vps),
				nalus(h265.NALUType_SPS_NUT, t.sps),
				nalus(h265.NALUType_PPS_NUT, t.pps),
			},
		})
		w.end()

	case player.CodecAAC:
		w.start(&amp4.AudioSampleEntry{
			SampleEntry:  amp4.SampleEntry{AnyTypeBox: amp4.AnyTypeBox{Type: amp4.BoxTypeMp4a()}, DataReferenceIndex: 1},
			ChannelCount: uint16(t.channels),
			SampleSize:   16,
			SampleRate:   uint32(t.sampleRate) << 16,
		})
		cfg := t.aacConfig
		w.box(&amp4.Esds{
			Descriptors: []amp4.Descriptor{
				{Tag: amp4.ESDescrTag, Size: 32 + uint32(len(cfg)), ESDescriptor: &amp4.ESDescriptor{ESID: uint16(t.id)}},
				{Tag: amp4.DecoderConfigDescrTag, Size: 18 + uint32(len(cfg)), DecoderConfigDescriptor: &amp4.DecoderConfigDescriptor{
					ObjectTypeIndication: 0x40, // ISO/IEC 14496-3 audio
					StreamType:           0x05, // audio stream
					Reserved:             true,
				}},
				{Tag: amp4.DecSpecificInfoTag, Size: uint32(len(cfg)), Data: cfg},
				{Tag: amp4.SLConfigDescrTag, Size: 1, Data: []byte{0x02}},
			},
		})
		w.end()

	case player.CodecG711A, player.CodecG711U:
		// Decoded to LPCM (audio_g711.go), in the sample entry of
		// ISO/IEC 23003-5 as mediacommon writes it: ipcm with a pcmC
		// giving byte order and sample size.
		w.start(&amp4.AudioSampleEntry{
			SampleEntry:  amp4.SampleEntry{AnyTypeBox: amp4.AnyTypeBox{Type: amp4.BoxTypeIpcm()}, DataReferenceIndex: 1},
			ChannelCount: uint16(t.channels),
			SampleSize:   lpcmBits,
			SampleRate:   uint32(t.sampleRate) << 16,
		})
		var flags uint8 // bit 0: little-endian
		if !lpcmBigEndian {
			flags = 1
		}
		w.box(&amp4.PcmC{FormatFlags: flags, PCMSampleSize: lpcmBits})
		w.end()

	default:
		return fmt.Errorf("recorder: cannot record %s", t.codec)
	}
	return nil
}

// boxWriter writes nested boxes with go-mp4 and keeps the first error.
type boxWriter struct {
	w   *amp4.Writer
	err error
}

func (b *boxWriter) start(box amp4.IImmutableBox) {
	if b.err != nil {
		return
	}
	if _, b.err = b.w.StartBox(&amp4.BoxInfo{Type: box.GetType()}); b.err == nil {
		_, b.err = amp4.Marshal(b.w, box, amp4.Context{})
	}
}

func (b *boxWriter) end() {
	if b.err == nil {
		_, b.err = b.w.EndBox()
	}
}

func (b *boxWriter) box(box amp4.IImmutableBox) {
	b.start(box)
	b.end()
}
