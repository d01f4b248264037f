package recorder

import (
	"encoding/binary"
	"fmt"
	"os"
)

// This file is an independent reader of fragmented MP4, written from the
// ISO/IEC 14496-12 box layouts with plain byte slicing: it shares no code
// with the writer, so the two cannot agree on a mistake.

type mp4Box struct {
	typ  string
	body []byte
}

func readBoxes(b []byte) ([]mp4Box, error) {
	var out []mp4Box
	for len(b) > 0 {
		if len(b) < 8 {
			return out, fmt.Errorf("truncated box header")
		}
		size := int(binary.BigEndian.Uint32(b))
		hdr := 8
		if size == 1 {
			size = int(binary.BigEndian.Uint64(b[8:]))
			hdr = 16
		}
		if size < hdr || size > len(b) {
			return out, fmt.Errorf("box %q of %d bytes past the end", b[4:8], size)
		}
		out = append(out, mp4Box{typ: string(b[4:8]), body: b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

func child(boxes []mp4Box, typ string) []byte {
	for _, bx := range boxes {
		if bx.typ == typ {
			return bx.body
		}
	}
	return nil
}

func path(b []byte, types ...string) []byte {
	for _, t := range types {
		bs, _ := readBoxes(b)
		b = child(bs, t)
		if b == nil {
			return nil
		}
	}
	return b
}

// mp4Sample is one sample as the boxes describe it.
type mp4Sample struct {
	track    uint32
	dts      int64
	pts      int64 // dts + composition offset - edit list media time
	duration uint32
	sync     bool
}

// mp4File is what the reader learnt of a file.
type mp4File struct {
	timescale map[uint32]uint32 // track ID -> mdhd timescale
	mediaTime map[uint32]int64  // track ID -> elst media_time
	prft      []uint64          // NTP times of the prft boxes (the first part has the only one)
	samples   []mp4Sample
}

func readMP4(name string) (*mp4File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	top, err := readBoxes(data)
	if err != nil {
		return nil, err
	}
	f := &mp4File{timescale: map[uint32]uint32{}, mediaTime: map[uint32]int64{}}
	moov, _ := readBoxes(child(top, "moov"))
	for _, bx := range moov {
		if bx.typ != "trak" {
			continue
		}
		tkhd := path(bx.body, "tkhd")
		var id uint32
		if tkhd[0] == 1 {
			id = binary.BigEndian.Uint32(tkhd[4+16:])
		} else {
			id = binary.BigEndian.Uint32(tkhd[4+8:])
		}
		mdhd := path(bx.body, "mdia", "mdhd")
		if mdhd[0] == 1 {
			f.timescale[id] = binary.BigEndian.Uint32(mdhd[4+16:])
		} else {
			f.timescale[id] = binary.BigEndian.Uint32(mdhd[4+8:])
		}
		if elst := path(bx.body, "edts", "elst"); elst != nil && binary.BigEndian.Uint32(elst[4:]) > 0 {
			if elst[0] == 1 {
				f.mediaTime[id] = int64(binary.BigEndian.Uint64(elst[8+8:]))
			} else {
				f.mediaTime[id] = int64(int32(binary.BigEndian.Uint32(elst[8+4:])))
			}
		}
	}
	for _, bx := range top {
		switch bx.typ {
		case "prft":
			f.prft = append(f.prft, binary.BigEndian.Uint64(bx.body[8:]))
		case "moof":
			trafs, _ := readBoxes(bx.body)
			for _, tr := range trafs {
				if tr.typ == "traf" {
					f.readTraf(tr.body)
				}
			}
		}
	}
	return f, nil
}

func (f *mp4File) readTraf(b []byte) {
	be := binary.BigEndian
	tfhd := path(b, "tfhd")
	id := be.Uint32(tfhd[4:])
	tfdt := path(b, "tfdt")
	var dts int64
	if tfdt[0] == 1 {
		dts = int64(be.Uint64(tfdt[4:]))
	} else {
		dts = int64(be.Uint32(tfdt[4:]))
	}
	trun := path(b, "trun")
	version := trun[0]
	flags := be.Uint32(trun) & 0xffffff
	n := int(be.Uint32(trun[4:]))
	p := 8
	if flags&0x1 != 0 {
		p += 4
	}
	firstFlags, hasFirst := uint32(0), flags&0x4 != 0
	if hasFirst {
		firstFlags = be.Uint32(trun[p:])
		p += 4
	}
	for i := range n {
		s := mp4Sample{track: id, dts: dts}
		sflags := uint32(0)
		if flags&0x100 != 0 {
			s.duration = be.Uint32(trun[p:])
			p += 4
		}
		if flags&0x200 != 0 {
			p += 4
		}
		if flags&0x400 != 0 {
			sflags = be.Uint32(trun[p:])
			p += 4
		} else if i == 0 && hasFirst {
			sflags = firstFlags
		}
		var cto int64
		if flags&0x800 != 0 {
			if version == 1 {
				cto = int64(int32(be.Uint32(trun[p:])))
			} else {
				cto = int64(be.Uint32(trun[p:]))
			}
			p += 4
		}
		s.sync = sflags&0x10000 == 0
		s.pts = dts + cto - f.mediaTime[id]
		dts += int64(s.duration)
		f.samples = append(f.samples, s)
	}
}

// trackSamples returns the samples of one track in decoding order.
func (f *mp4File) trackSamples(id uint32) []mp4Sample {
	var out []mp4Sample
	for _, s := range f.samples {
		if s.track == id {
			out = append(out, s)
		}
	}
	return out
}
