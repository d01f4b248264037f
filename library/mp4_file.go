package library

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// mp4Epoch is where MP4 times count from; ntpEpoch where NTP times do.
var (
	mp4Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
)

// fileTrack is one track of a fragmented MP4 file, from its init segment.
type fileTrack struct {
	id        uint32
	timescale uint32
	video     bool
	fourcc    string // of the sample entry: avc1, hvc1, mp4a
	stsd      []byte // the whole stsd box, copied into exports
	width     uint32 // tkhd, 16.16
	height    uint32
	// mediaTime is the start of the edit: the media time presented at 0.
	mediaTime int64
	// Defaults from trex, for parts that leave fields out.
	defDur, defSize, defFlags uint32

	samples []fileSample // with sample tables only
	ticks   int64        // sum of sample durations
	end     int64        // end of the latest presentation, media time
	count   int          // samples
}

// fileSample is one sample of a part.
type fileSample struct {
	dts  int64 // media time
	dur  uint32
	cto  int32
	size uint32
	off  int64 // in the file
	sync bool
}

// fileInfo is what a segment file says about itself, read from its
// boxes without decoding a frame.
type fileInfo struct {
	size     int64
	created  time.Time // mvhd creation time (whole seconds)
	wall     time.Time // wallclock of presentation time 0, from the first prft; zero without one
	complete bool      // the recorder wrote the durations: the file was finished
	tracks   []*fileTrack
	parts    int
}

// video returns the first video track, or nil.
func (fi *fileInfo) video() *fileTrack {
	for _, t := range fi.tracks {
		if t.video {
			return t
		}
	}
	return nil
}

// start is the wallclock of the first presented frame: the prft time
// when the file has one, else the creation time.
func (fi *fileInfo) start() time.Time {
	if !fi.wall.IsZero() {
		return fi.wall
	}
	return fi.created
}

// duration is the presented length of the video, from the sample
// durations of all parts.
func (fi *fileInfo) duration() time.Duration {
	v := fi.video()
	if v == nil || v.timescale == 0 {
		return 0
	}
	return ticksToDuration(max(v.end-v.mediaTime, 0), v.timescale)
}

// codecs names the sample entries, e.g. "avc1,mp4a".
func (fi *fileInfo) codecs() string {
	var s []string
	for _, t := range fi.tracks {
		s = append(s, t.fourcc)
	}
	return strings.Join(s, ",")
}

func ticksToDuration(t int64, timescale uint32) time.Duration {
	return time.Duration(t/int64(timescale))*time.Second +
		time.Duration(t%int64(timescale))*time.Second/time.Duration(timescale)
}

// readFile reads a fragmented MP4 file's init segment and the headers of
// its parts (prft, moof), skipping the media data. With samples it keeps
// every sample's place and times; without, only their counts and
// durations. A part cut short at the end of the file (a crash while
// writing) ends the reading without an error: what is whole counts.
func readFile(r io.ReaderAt, size int64, samples bool) (*fileInfo, error) {
	fi := &fileInfo{size: size}
	var prftSeen bool
	for off := int64(0); off < size; {
		h, err := readBoxHeader(r, off, size)
		if err != nil {
			if fi.tracks != nil && errors.Is(err, errTruncated) {
				break
			}
			return nil, err
		}
		switch h.typ {
		case "moov":
			body, err := readBody(r, h)
			if err != nil {
				return nil, err
			}
			if err := fi.readMoov(body); err != nil {
				return nil, err
			}
		case "prft", "moof":
			if fi.tracks == nil {
				return nil, fmt.Errorf("library: %s before moov", h.typ)
			}
			body, err := readBody(r, h)
			if err != nil {
				return nil, err
			}
			if h.typ == "prft" {
				if !prftSeen {
					prftSeen = true
					fi.readPrft(body)
				}
			} else if err := fi.readMoof(body, h.offset, size, samples); err != nil {
				return nil, err
			}
		}
		off += h.size
	}
	if fi.tracks == nil {
		return nil, errors.New("library: no moov box: not an MP4 recording")
	}
	return fi, nil
}

func (fi *fileInfo) track(id uint32) *fileTrack {
	for _, t := range fi.tracks {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (fi *fileInfo) readMoov(moov []byte) error {
	cs, err := children(moov)
	if err != nil {
		return fmt.Errorf("library: moov: %w", err)
	}
	mvhd := find(cs, "mvhd")
	if mvhd == nil {
		return errors.New("library: no mvhd")
	}
	r := &reader{b: mvhd.body}
	v := r.u8()
	r.take(3)
	created := r.vu(v)
	r.vu(v) // modification
	r.u32() // timescale
	dur := r.vu(v)
	fi.created = mp4Epoch.Add(time.Duration(created) * time.Second)
	fi.complete = dur > 0
	for _, c := range cs {
		if c.typ != "trak" {
			continue
		}
		t, err := readTrak(c.body)
		if err != nil {
			return err
		}
		fi.tracks = append(fi.tracks, t)
	}
	if mvex, ok := path(moov, "mvex"); ok {
		ms, _ := children(mvex)
		for _, c := range ms {
			if c.typ != "trex" {
				continue
			}
			r := &reader{b: c.body}
			r.u32()
			if t := fi.track(r.u32()); t != nil {
				r.u32() // sample description index
				t.defDur, t.defSize, t.defFlags = r.u32(), r.u32(), r.u32()
			}
		}
	}
	if len(fi.tracks) == 0 {
		return errors.New("library: no tracks")
	}
	return nil
}

func readTrak(trak []byte) (*fileTrack, error) {
	t := &fileTrack{}
	tkhd, ok := path(trak, "tkhd")
	if !ok {
		return nil, errors.New("library: no tkhd")
	}
	r := &reader{b: tkhd}
	v := r.u8()
	r.take(3)
	r.vu(v)
	r.vu(v)
	t.id = r.u32()
	r.u32()
	r.vu(v)
	r.take(8 + 2 + 2 + 2 + 2 + 36)
	t.width, t.height = r.u32(), r.u32()
	if elst, ok := path(trak, "edts", "elst"); ok {
		r := &reader{b: elst}
		v := r.u8()
		r.take(3)
		if r.u32() > 0 {
			r.vu(v)
			t.mediaTime = int64(r.vu(v))
			if v == 0 {
				t.mediaTime = int64(int32(t.mediaTime))
			}
		}
	}
	mdhd, ok := path(trak, "mdia", "mdhd")
	if !ok {
		return nil, errors.New("library: no mdhd")
	}
	r = &reader{b: mdhd}
	v = r.u8()
	r.take(3)
	r.vu(v)
	r.vu(v)
	t.timescale = r.u32()
	if hdlr, ok := path(trak, "mdia", "hdlr"); ok && len(hdlr) >= 12 {
		t.video = string(hdlr[8:12]) == "vide"
	}
	stbl, ok := path(trak, "mdia", "minf", "stbl")
	if !ok {
		return nil, errors.New("library: no stbl")
	}
	cs, _ := children(stbl)
	stsd := find(cs, "stsd")
	if stsd == nil || len(stsd.body) < 16 {
		return nil, errors.New("library: no stsd")
	}
	t.stsd = append([]byte(nil), stsd.raw...)
	t.fourcc = string(stsd.body[12:16])
	if t.timescale == 0 || r.bad {
		return nil, errors.New("library: bad track header")
	}
	return t, nil
}

// readPrft takes the wallclock of the first part: prft ties a media time
// (a decode time of its reference track) to an NTP time.
func (fi *fileInfo) readPrft(b []byte) {
	r := &reader{b: b}
	v := r.u8()
	r.take(3)
	t := fi.track(r.u32())
	ntp := r.u64()
	media := int64(r.vu(v))
	if t == nil || r.bad || ntp == 0 {
		return
	}
	secs := time.Duration(ntp>>32) * time.Second
	frac := time.Duration((ntp & 0xffffffff) * uint64(time.Second) >> 32)
	wall := ntpEpoch.Add(secs + frac)
	fi.wall = wall.Add(ticksToDuration(t.mediaTime-media, t.timescale)).UTC()
}

// tfhd and trun flags (ISO/IEC 14496-12 8.8.7, 8.8.8).
const (
	tfhdBaseOffset    = 0x000001
	tfhdDescription   = 0x000002
	tfhdDefDuration   = 0x000008
	tfhdDefSize       = 0x000010
	tfhdDefFlags      = 0x000020
	trunDataOffset    = 0x000001
	trunFirstFlags    = 0x000004
	trunDuration      = 0x000100
	trunSize          = 0x000200
	trunFlags         = 0x000400
	trunCTO           = 0x000800
	sampleNonSyncFlag = 0x00010000
)

func (fi *fileInfo) readMoof(moof []byte, moofOff, fileSize int64, keep bool) error {
	cs, err := children(moof)
	if err != nil {
		return fmt.Errorf("library: moof: %w", err)
	}
	fi.parts++
	for _, c := range cs {
		if c.typ != "traf" {
			continue
		}
		ts, err := children(c.body)
		if err != nil {
			return fmt.Errorf("library: traf: %w", err)
		}
		tfhd := find(ts, "tfhd")
		if tfhd == nil {
			return errors.New("library: traf without tfhd")
		}
		r := &reader{b: tfhd.body}
		flags := r.u32() & 0xffffff
		t := fi.track(r.u32())
		if t == nil {
			continue
		}
		base := moofOff
		if flags&tfhdBaseOffset != 0 {
			base = int64(r.u64())
		}
		if flags&tfhdDescription != 0 {
			r.u32()
		}
		dDur, dSize, dFlags := t.defDur, t.defSize, t.defFlags
		if flags&tfhdDefDuration != 0 {
			dDur = r.u32()
		}
		if flags&tfhdDefSize != 0 {
			dSize = r.u32()
		}
		if flags&tfhdDefFlags != 0 {
			dFlags = r.u32()
		}
		dts := t.ticks
		if tfdt := find(ts, "tfdt"); tfdt != nil {
			r := &reader{b: tfdt.body}
			v := r.u8()
			r.take(3)
			dts = int64(r.vu(v))
		}
		dataOff := base
		for _, tr := range ts {
			if tr.typ != "trun" {
				continue
			}
			r := &reader{b: tr.body}
			vf := r.u32()
			v, f := uint8(vf>>24), vf&0xffffff
			n := int(r.u32())
			if f&trunDataOffset != 0 {
				dataOff = base + int64(int32(r.u32()))
			}
			first, hasFirst := uint32(0), f&trunFirstFlags != 0
			if hasFirst {
				first = r.u32()
			}
			per := 4 * (popcount(f & (trunDuration | trunSize | trunFlags | trunCTO)))
			if n < 0 || len(r.b) < n*per {
				return errors.New("library: trun runs past its box")
			}
			for i := 0; i < n; i++ {
				s := fileSample{dts: dts, dur: dDur, size: dSize, off: dataOff}
				sf := dFlags
				if f&trunDuration != 0 {
					s.dur = r.u32()
				}
				if f&trunSize != 0 {
					s.size = r.u32()
				}
				if f&trunFlags != 0 {
					sf = r.u32()
				} else if i == 0 && hasFirst {
					sf = first
				}
				if f&trunCTO != 0 {
					c := r.u32()
					if v == 0 {
						s.cto = int32(min(c, 1<<31-1))
					} else {
						s.cto = int32(c)
					}
				}
				s.sync = sf&sampleNonSyncFlag == 0
				if s.off+int64(s.size) > fileSize {
					return nil // media data cut short: keep the whole samples before it
				}
				dts += int64(s.dur)
				dataOff += int64(s.size)
				t.ticks += int64(s.dur)
				t.end = max(t.end, s.dts+int64(s.cto)+int64(s.dur))
				t.count++
				if keep {
					t.samples = append(t.samples, s)
				}
			}
		}
	}
	return nil
}

func popcount(v uint32) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}
