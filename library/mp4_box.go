package library

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// maxHeaderBox bounds the moov and moof boxes read into memory: a
// recording's init or one part's header is kilobytes; a bigger one means
// a damaged file, not a bigger camera.
const maxHeaderBox = 64 << 20

var be = binary.BigEndian

// errTruncated reports a box that runs past the end of its file or parent.
var errTruncated = errors.New("library: truncated box")

// boxHeader is one box's type and extent in its file or parent.
type boxHeader struct {
	typ    string
	offset int64 // of the header
	hdr    int64 // header bytes
	size   int64 // whole box, header included
}

// readBoxHeader reads the header of the box at off in a file of size end.
func readBoxHeader(r io.ReaderAt, off, end int64) (boxHeader, error) {
	var b [16]byte
	if end-off < 8 {
		return boxHeader{}, errTruncated
	}
	if _, err := r.ReadAt(b[:8], off); err != nil {
		return boxHeader{}, err
	}
	h := boxHeader{typ: string(b[4:8]), offset: off, hdr: 8, size: int64(be.Uint32(b[:4]))}
	switch h.size {
	case 0: // to the end of the file
		h.size = end - off
	case 1:
		if end-off < 16 {
			return boxHeader{}, errTruncated
		}
		if _, err := r.ReadAt(b[8:16], off+8); err != nil {
			return boxHeader{}, err
		}
		h.hdr, h.size = 16, int64(be.Uint64(b[8:16]))
	}
	if h.size < h.hdr || off+h.size > end {
		return h, fmt.Errorf("%w: %q at %d", errTruncated, h.typ, off)
	}
	return h, nil
}

// readBody reads a box's payload.
func readBody(r io.ReaderAt, h boxHeader) ([]byte, error) {
	n := h.size - h.hdr
	if n > maxHeaderBox {
		return nil, fmt.Errorf("library: %q box of %d bytes", h.typ, n)
	}
	b := make([]byte, n)
	_, err := r.ReadAt(b, h.offset+h.hdr)
	return b, err
}

// child is one box inside a parent's payload.
type child struct {
	typ  string
	body []byte
	raw  []byte // header and body
}

// children splits a payload into its boxes.
func children(p []byte) ([]child, error) {
	var out []child
	for len(p) > 0 {
		if len(p) < 8 {
			return out, errTruncated
		}
		size, hdr := uint64(be.Uint32(p)), 8
		if size == 1 {
			if len(p) < 16 {
				return out, errTruncated
			}
			size, hdr = be.Uint64(p[8:]), 16
		} else if size == 0 {
			size = uint64(len(p))
		}
		if size < uint64(hdr) || size > uint64(len(p)) {
			return out, fmt.Errorf("%w: %q", errTruncated, p[4:8])
		}
		out = append(out, child{typ: string(p[4:8]), body: p[hdr:size], raw: p[:size]})
		p = p[size:]
	}
	return out, nil
}

// find returns the first box of a type among children, or nil.
func find(cs []child, typ string) *child {
	for i := range cs {
		if cs[i].typ == typ {
			return &cs[i]
		}
	}
	return nil
}

// path walks nested boxes: path(moov, "trak", "mdia") and so on.
func path(p []byte, types ...string) ([]byte, bool) {
	for _, t := range types {
		cs, err := children(p)
		if err != nil {
			return nil, false
		}
		c := find(cs, t)
		if c == nil {
			return nil, false
		}
		p = c.body
	}
	return p, true
}

// reader reads big-endian fields from a box payload, remembering overruns.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || len(r.b) < n {
		r.bad = true
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() uint8   { return r.take(1)[0] }
func (r *reader) u16() uint16 { return be.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return be.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return be.Uint64(r.take(8)) }

// vu reads a version-dependent field: 64 bits in version 1 boxes.
func (r *reader) vu(version uint8) uint64 {
	if version == 1 {
		return r.u64()
	}
	return uint64(r.u32())
}
