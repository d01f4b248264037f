package library

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"
)

// exportTimescale is the movie timescale of exports (mvhd, tkhd, elst):
// milliseconds, as most muxers write; track media keep their own.
const exportTimescale = 1000

// copyChunk bounds one read of media data: big enough that a copy is a
// few large reads, small enough to stay cheap in memory.
const copyChunk = 4 << 20

// boxBuf builds boxes in memory; start and end nest them.
type boxBuf struct {
	b     []byte
	stack []int
}

func (w *boxBuf) start(typ string) {
	w.stack = append(w.stack, len(w.b))
	w.b = append(w.b, 0, 0, 0, 0)
	w.b = append(w.b, typ...)
}

func (w *boxBuf) full(typ string, version uint8, flags uint32) {
	w.start(typ)
	w.u32(uint32(version)<<24 | flags)
}

func (w *boxBuf) end() {
	i := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	be.PutUint32(w.b[i:], uint32(len(w.b)-i))
}

func (w *boxBuf) u16(v uint16) { w.b = be.AppendUint16(w.b, v) }
func (w *boxBuf) u32(v uint32) { w.b = be.AppendUint32(w.b, v) }
func (w *boxBuf) u64(v uint64) { w.b = be.AppendUint64(w.b, v) }
func (w *boxBuf) zeros(n int)  { w.b = append(w.b, make([]byte, n)...) }

var identity = [9]uint32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000}

func (w *boxBuf) matrix() {
	for _, v := range identity {
		w.u32(v)
	}
}

// layout orders the chunks of all tracks as they lie in the sources
// (which interleaves video and audio as the recorder did) and gives each
// its offset in the output, whose media data starts at dataStart.
func (p *exportPlan) layout(dataStart int64) []*outChunk {
	var all []*outChunk
	for _, t := range p.tracks {
		for i := range t.chunks {
			all = append(all, &t.chunks[i])
		}
	}
	slices.SortStableFunc(all, func(a, b *outChunk) int {
		if a.seg != b.seg {
			return a.seg - b.seg
		}
		return int(a.srcOff - b.srcOff)
	})
	off := dataStart
	for _, c := range all {
		c.outOff = off
		off += c.size
	}
	return all
}

// moov builds the movie box. Chunk offsets are 64-bit so its size does not
// depend on where the media data lands.
func (p *exportPlan) moov() []byte {
	w := &boxBuf{}
	created := uint64(p.from.Sub(mp4Epoch) / time.Second)
	var movieDur int64
	for _, t := range p.tracks {
		movieDur = max(movieDur, t.empty+t.duration)
	}
	w.start("moov")
	w.full("mvhd", 1, 0)
	w.u64(created)
	w.u64(created)
	w.u32(exportTimescale)
	w.u64(uint64(movieDur))
	w.u32(0x10000) // rate
	w.u16(0x100)   // volume
	w.zeros(10)
	w.matrix()
	w.zeros(24)
	w.u32(uint32(len(p.tracks) + 1))
	w.end() // mvhd
	for i, t := range p.tracks {
		p.trak(w, t, uint32(i+1), created)
	}
	w.end()
	return w.b
}

func (p *exportPlan) trak(w *boxBuf, t *outTrack, id uint32, created uint64) {
	video := t.src.video
	var mediaDur int64
	for _, s := range t.samples {
		mediaDur += int64(s.dur)
	}
	w.start("trak")
	w.full("tkhd", 1, 3) // enabled, in movie
	w.u64(created)
	w.u64(created)
	w.u32(id)
	w.u32(0)
	w.u64(uint64(t.empty + t.duration))
	w.zeros(8)
	w.u16(0) // layer
	if video {
		w.u16(0)
		w.u16(0)
	} else {
		w.u16(1)     // alternate group
		w.u16(0x100) // volume
	}
	w.u16(0)
	w.matrix()
	if video {
		w.u32(t.src.width)
		w.u32(t.src.height)
	} else {
		w.u64(0)
	}
	w.end() // tkhd

	// The edit list: the presentation starts exactly at From although
	// the media starts at the keyframe before it.
	w.start("edts")
	n := uint32(1)
	if t.empty > 0 {
		n = 2
	}
	w.full("elst", 1, 0)
	w.u32(n)
	if t.empty > 0 {
		w.u64(uint64(t.empty))
		w.u64(^uint64(0)) // media time -1: nothing presented
		w.u32(1 << 16)
	}
	w.u64(uint64(t.duration))
	w.u64(uint64(t.mediaTime))
	w.u32(1 << 16) // rate 1.0
	w.end()
	w.end()

	w.start("mdia")
	w.full("mdhd", 1, 0)
	w.u64(created)
	w.u64(created)
	w.u32(t.src.timescale)
	w.u64(uint64(mediaDur))
	w.u16(0x55c4) // "und"
	w.u16(0)
	w.end() // mdhd
	w.full("hdlr", 0, 0)
	w.u32(0)
	if video {
		w.b = append(w.b, "vide"...)
	} else {
		w.b = append(w.b, "soun"...)
	}
	w.zeros(12)
	if video {
		w.b = append(w.b, "VideoHandler\x00"...)
	} else {
		w.b = append(w.b, "SoundHandler\x00"...)
	}
	w.end()
	w.start("minf")
	if video {
		w.full("vmhd", 0, 1)
		w.zeros(8)
	} else {
		w.full("smhd", 0, 0)
		w.zeros(4)
	}
	w.end()
	w.start("dinf")
	w.full("dref", 0, 0)
	w.u32(1)
	w.full("url ", 0, 1) // media in this file
	w.end()
	w.end()
	w.end()
	w.start("stbl")
	t.tables(w)
	w.end()
	w.end() // minf
	w.end() // mdia
	w.end() // trak
}

// tables writes the sample tables: stsd, stts, ctts, stss, stsc, stsz,
// co64.
func (t *outTrack) tables(w *boxBuf) {
	w.full("stsd", 0, 0)
	w.u32(uint32(len(t.entries)))
	for _, e := range t.entries {
		w.b = append(w.b, e...)
	}
	w.end()

	type run struct{ n, v uint32 }
	runs := func(val func(outSample) uint32) []run {
		var out []run
		for _, s := range t.samples {
			v := val(s)
			if k := len(out); k > 0 && out[k-1].v == v {
				out[k-1].n++
			} else {
				out = append(out, run{1, v})
			}
		}
		return out
	}
	w.full("stts", 0, 0)
	rs := runs(func(s outSample) uint32 { return s.dur })
	w.u32(uint32(len(rs)))
	for _, r := range rs {
		w.u32(r.n)
		w.u32(r.v)
	}
	w.end()

	if rs := runs(func(s outSample) uint32 { return uint32(s.cto) }); len(rs) > 1 || rs[0].v != 0 {
		w.full("ctts", 1, 0) // version 1: signed offsets
		w.u32(uint32(len(rs)))
		for _, r := range rs {
			w.u32(r.n)
			w.u32(r.v)
		}
		w.end()
	}

	var syncs []uint32
	for i, s := range t.samples {
		if s.sync {
			syncs = append(syncs, uint32(i+1))
		}
	}
	if len(syncs) < len(t.samples) {
		w.full("stss", 0, 0)
		w.u32(uint32(len(syncs)))
		for _, n := range syncs {
			w.u32(n)
		}
		w.end()
	}

	type stscEntry struct{ first, n, desc uint32 }
	var sc []stscEntry
	for i, c := range t.chunks {
		if k := len(sc); k > 0 && sc[k-1].n == uint32(c.n) && sc[k-1].desc == uint32(c.entry) {
			continue
		}
		sc = append(sc, stscEntry{uint32(i + 1), uint32(c.n), uint32(c.entry)})
	}
	w.full("stsc", 0, 0)
	w.u32(uint32(len(sc)))
	for _, e := range sc {
		w.u32(e.first)
		w.u32(e.n)
		w.u32(e.desc)
	}
	w.end()

	w.full("stsz", 0, 0)
	w.u32(0)
	w.u32(uint32(len(t.samples)))
	for _, s := range t.samples {
		w.u32(s.size)
	}
	w.end()

	w.full("co64", 0, 0)
	w.u32(uint32(len(t.chunks)))
	for _, c := range t.chunks {
		w.u64(uint64(c.outOff))
	}
	w.end()
}

// ftyp is the export's file type: plain ISO MP4.
func ftyp() []byte {
	w := &boxBuf{}
	w.start("ftyp")
	w.b = append(w.b, "isom"...)
	w.u32(0x200)
	w.b = append(w.b, "isomiso2avc1mp41"...)
	w.end()
	return w.b
}

// write writes the whole file: ftyp, moov, then mdat with the chunks
// copied from the sources. It returns the bytes written.
func (p *exportPlan) write(ctx context.Context, out io.Writer, files []SegmentFile, progress func(Progress)) (int64, error) {
	head := ftyp()
	const mdatHeader = 16 // a 64-bit size: exports may pass 4 GB
	moovSize := len(p.moov())
	chunks := p.layout(int64(len(head) + moovSize + mdatHeader))
	head = append(head, p.moov()...)
	if len(head) != int(chunks[0].outOff)-mdatHeader {
		return 0, fmt.Errorf("moov changed size: %d", len(head))
	}
	var total int64
	for _, c := range chunks {
		total += c.size
	}
	head = be.AppendUint32(head, 1)
	head = append(head, "mdat"...)
	head = be.AppendUint64(head, uint64(total+mdatHeader))
	if _, err := out.Write(head); err != nil {
		return 0, err
	}

	start := time.Now()
	buf := make([]byte, copyChunk)
	var done, reported int64
	for i := 0; i < len(chunks); {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		// One read for chunks that follow each other in the same file.
		c := chunks[i]
		n := c.size
		j := i + 1
		for ; j < len(chunks) && chunks[j].seg == c.seg && chunks[j].srcOff == c.srcOff+n && n+chunks[j].size <= copyChunk; j++ {
			n += chunks[j].size
		}
		if n > int64(len(buf)) {
			buf = make([]byte, n)
		}
		if _, err := files[c.seg].ReadAt(buf[:n], c.srcOff); err != nil {
			return 0, err
		}
		if _, err := out.Write(buf[:n]); err != nil {
			return 0, err
		}
		done += n
		i = j
		if progress != nil && (done-reported >= copyChunk || done == total) {
			reported = done
			progress(Progress{Done: done, Total: total, Elapsed: time.Since(start)})
		}
	}
	return int64(len(head)) + total, nil
}
