package decode

// The colour conversion goes through swscale directly: go-astiav v0.16
// cannot set swscale's colour details (sws_setColorspaceDetails), without
// which limited/full range and BT.601/BT.709 are guessed wrong, and it
// cannot scale straight into a Go buffer, which saves a copy per frame.

/*
#cgo pkg-config: libswscale libavutil
#include <libswscale/swscale.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

// cd_format returns a frame's pixel format with the deprecated full-range
// aliases (yuvj*) replaced by their layout, and whether it is full range.
static enum AVPixelFormat cd_format(const AVFrame *src, int *full)
{
	*full = src->color_range == AVCOL_RANGE_JPEG;
	switch (src->format) {
	case AV_PIX_FMT_YUVJ420P: *full = 1; return AV_PIX_FMT_YUV420P;
	case AV_PIX_FMT_YUVJ422P: *full = 1; return AV_PIX_FMT_YUV422P;
	case AV_PIX_FMT_YUVJ444P: *full = 1; return AV_PIX_FMT_YUV444P;
	case AV_PIX_FMT_YUVJ440P: *full = 1; return AV_PIX_FMT_YUV440P;
	default: return src->format;
	}
}

// cd_to_rgba converts YUV data to RGBA into dst with a cached context,
// honouring the colour range and matrix as ffmpeg's scale filter does
// (unspecified matrix = BT.601). It returns the context, or NULL.
static struct SwsContext *cd_to_rgba(struct SwsContext *ctx,
	const uint8_t *const *data, const int *linesize, int w, int h, enum AVPixelFormat fmt,
	int full, int cs, uint8_t *dst, int dst_stride, int dw, int dh, int flags,
	int *last_cs, int *last_full)
{
	struct SwsContext *c = sws_getCachedContext(ctx, w, h, fmt, dw, dh, AV_PIX_FMT_RGBA,
		flags, NULL, NULL, NULL);
	if (!c) {
		return NULL;
	}
	if (c != ctx || cs != *last_cs || full != *last_full) {
		sws_setColorspaceDetails(c, sws_getCoefficients(cs), full,
			sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
		*last_cs = cs;
		*last_full = full;
	}
	uint8_t *dsts[4] = {dst, NULL, NULL, NULL};
	int strides[4] = {dst_stride, 0, 0, 0};
	sws_scale(c, data, linesize, 0, h, dsts, strides);
	return c;
}

// cd_scale converts an AVFrame to RGBA of size dw x dh in one step.
static struct SwsContext *cd_scale(struct SwsContext *ctx, const AVFrame *src,
	uint8_t *dst, int dst_stride, int dw, int dh, int flags, int *last_cs, int *last_full)
{
	int full;
	enum AVPixelFormat fmt = cd_format(src, &full);
	return cd_to_rgba(ctx, (const uint8_t *const *)src->data, src->linesize, src->width, src->height,
		fmt, full, src->colorspace, dst, dst_stride, dw, dh, flags, last_cs, last_full);
}

// cd_scale2 does the same in two steps: scale the YUV planes (half the
// samples of RGBA in 4:2:0, and no colour maths), then convert at the
// small size through swscale's fast unscaled path. mid holds the scaled
// planes between the steps. It returns 0, or -1 on failure.
static int cd_scale2(struct SwsContext **down, struct SwsContext **conv, AVFrame *mid,
	const AVFrame *src, uint8_t *dst, int dst_stride, int dw, int dh, int flags,
	int *last_cs, int *last_full)
{
	int full;
	enum AVPixelFormat fmt = cd_format(src, &full);
	if (mid->width != dw || mid->height != dh || mid->format != fmt) {
		av_frame_unref(mid);
		mid->width = dw;
		mid->height = dh;
		mid->format = fmt;
		if (av_frame_get_buffer(mid, 0) < 0) {
			return -1;
		}
	}
	struct SwsContext *d = sws_getCachedContext(*down, src->width, src->height, fmt,
		dw, dh, fmt, flags, NULL, NULL, NULL);
	if (!d) {
		return -1;
	}
	*down = d;
	sws_scale(d, (const uint8_t *const *)src->data, src->linesize, 0, src->height, mid->data, mid->linesize);
	struct SwsContext *c = cd_to_rgba(*conv, (const uint8_t *const *)mid->data, mid->linesize, dw, dh,
		fmt, full, src->colorspace, dst, dst_stride, dw, dh, flags, last_cs, last_full);
	if (!c) {
		return -1;
	}
	*conv = c;
	return 0;
}
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"
)

// swscale's filters (libswscale/swscale.h).
const (
	swsFastBilinear = C.SWS_FAST_BILINEAR
	swsBilinear     = C.SWS_BILINEAR
	swsBicubic      = C.SWS_BICUBIC
	swsPoint        = C.SWS_POINT
	swsArea         = C.SWS_AREA
)

// Scaling quality. Tiles are scaled down with the area filter, in two
// steps (scale2): it averages the source pixels under each tile pixel, so
// it does not alias at a 2-6x downscale, and it is the cheapest filter
// here (BenchmarkScale: 0.36 ms for 720p to 640x360, against 0.65 ms for
// one-step bilinear). Full-size output (snapshots, a 1:1 focused view)
// uses bicubic, ffmpeg's default, so a snapshot matches what ffmpeg would
// make of the same frame.
const (
	swsTile = swsArea
	swsFull = swsBicubic
)

// scaler owns one swscale context. It is used on the decoder's goroutine
// only.
type scaler struct {
	ctx      *C.struct_SwsContext
	lastCS   C.int
	lastFull C.int

	// Two-step scaling.
	down, conv *C.struct_SwsContext
	mid        *C.AVFrame
}

// scale2 is scale in two steps: YUV down, then RGBA.
func (s *scaler) scale2(frame unsafe.Pointer, img *image.RGBA, flags int) error {
	if s.mid == nil {
		s.mid = C.av_frame_alloc()
	}
	b := img.Bounds()
	if C.cd_scale2(&s.down, &s.conv, s.mid, (*C.AVFrame)(frame), (*C.uint8_t)(unsafe.Pointer(&img.Pix[0])),
		C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags), &s.lastCS, &s.lastFull) < 0 {
		return errors.New("decode: swscale cannot convert this frame")
	}
	return nil
}

// scale converts frame (an *AVFrame) into img, scaled to img's size.
func (s *scaler) scale(frame unsafe.Pointer, img *image.RGBA, flags int) error {
	b := img.Bounds()
	c := C.cd_scale(s.ctx, (*C.AVFrame)(frame), (*C.uint8_t)(unsafe.Pointer(&img.Pix[0])),
		C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags), &s.lastCS, &s.lastFull)
	if c == nil {
		return errors.New("decode: swscale cannot convert this frame")
	}
	s.ctx = c
	return nil
}

func (s *scaler) free() {
	for _, c := range []**C.struct_SwsContext{&s.ctx, &s.down, &s.conv} {
		if *c != nil {
			C.sws_freeContext(*c)
			*c = nil
		}
	}
	if s.mid != nil {
		C.av_frame_free(&s.mid)
	}
}
