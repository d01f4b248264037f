package player

// The colour conversion goes through swscale directly: go-astiav v0.16
// cannot set swscale's colour details (sws_setColorspaceDetails), without
// which limited/full range and BT.601/BT.709 are guessed wrong, and it
// cannot scale straight into a Go buffer, which saves a copy per frame.

/*
#cgo pkg-config: libswscale libavutil
#include <libswscale/swscale.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

// cd_scale converts an AVFrame to RGBA of size dw x dh into dst, honouring
// the frame's colour range and matrix as ffmpeg's scale filter does
// (unspecified matrix = BT.601). It returns the context to reuse, or NULL.
static struct SwsContext *cd_scale(struct SwsContext *ctx, const AVFrame *src,
	uint8_t *dst, int dst_stride, int dw, int dh, int flags, int *last_cs, int *last_full)
{
	enum AVPixelFormat fmt = src->format;
	int full = src->color_range == AVCOL_RANGE_JPEG;
	switch (fmt) { // deprecated full-range aliases: same layout, full range
	case AV_PIX_FMT_YUVJ420P: fmt = AV_PIX_FMT_YUV420P; full = 1; break;
	case AV_PIX_FMT_YUVJ422P: fmt = AV_PIX_FMT_YUV422P; full = 1; break;
	case AV_PIX_FMT_YUVJ444P: fmt = AV_PIX_FMT_YUV444P; full = 1; break;
	case AV_PIX_FMT_YUVJ440P: fmt = AV_PIX_FMT_YUV440P; full = 1; break;
	default: break;
	}
	struct SwsContext *c = sws_getCachedContext(ctx, src->width, src->height, fmt,
		dw, dh, AV_PIX_FMT_RGBA, flags, NULL, NULL, NULL);
	if (!c) {
		return NULL;
	}
	int cs = src->colorspace;
	if (c != ctx || cs != *last_cs || full != *last_full) {
		sws_setColorspaceDetails(c, sws_getCoefficients(cs), full,
			sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
		*last_cs = cs;
		*last_full = full;
	}
	uint8_t *dsts[4] = {dst, NULL, NULL, NULL};
	int strides[4] = {dst_stride, 0, 0, 0};
	sws_scale(c, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dsts, strides);
	return c;
}
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"
)

// Scaling quality. Tiles use bilinear: at a downscale of 2-3x it is sharp
// enough for a live tile at a fraction of bicubic's cost. Full-size output
// (snapshots, the focused view at 1:1) uses bicubic, ffmpeg's default, so a
// snapshot matches what ffmpeg would make of the same frame.
const (
	swsTile = C.SWS_BILINEAR
	swsFull = C.SWS_BICUBIC
)

// scaler owns one swscale context. It is used on the decoder's goroutine
// only.
type scaler struct {
	ctx      *C.struct_SwsContext
	lastCS   C.int
	lastFull C.int
}

// scale converts frame (an *AVFrame) into img, scaled to img's size.
func (s *scaler) scale(frame unsafe.Pointer, img *image.RGBA, flags int) error {
	b := img.Bounds()
	c := C.cd_scale(s.ctx, (*C.AVFrame)(frame), (*C.uint8_t)(unsafe.Pointer(&img.Pix[0])),
		C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags), &s.lastCS, &s.lastFull)
	if c == nil {
		return errors.New("player: swscale cannot convert this frame")
	}
	s.ctx = c
	return nil
}

func (s *scaler) free() {
	if s.ctx != nil {
		C.sws_freeContext(s.ctx)
		s.ctx = nil
	}
}
