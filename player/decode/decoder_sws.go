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
#include <string.h>

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

// Failures, as cd_scale and cd_scale2 return them.
enum {
	CD_NO_CONTEXT = -1, // sws_getCachedContext refused the sizes or formats
	CD_NO_BUFFER = -2,  // av_frame_get_buffer failed
	CD_NO_COLOUR = -3,  // sws_setColorspaceDetails failed
	CD_NO_SCALE = -4,   // sws_scale drew nothing
};

// cd_colour gives c the colour details of the source, unless it has them.
// It asks the context rather than remembering what was set: when a size
// changes, sws_getCachedContext frees the context and makes a new one,
// often at the same address, with swscale's defaults.
static int cd_colour(struct SwsContext *c, int cs, int full)
{
	const int *want = sws_getCoefficients(cs);
	const int *out = sws_getCoefficients(SWS_CS_DEFAULT);
	int *inv, *table, src_range, dst_range, brightness, contrast, saturation;
	if (sws_getColorspaceDetails(c, &inv, &src_range, &table, &dst_range,
			&brightness, &contrast, &saturation) == 0 &&
		memcmp(inv, want, 4 * sizeof(int)) == 0 && src_range == full &&
		memcmp(table, out, 4 * sizeof(int)) == 0 && dst_range == 1 &&
		brightness == 0 && contrast == 1 << 16 && saturation == 1 << 16) {
		return 0;
	}
	if (sws_setColorspaceDetails(c, want, full, out, 1, 0, 1 << 16, 1 << 16) < 0) {
		return CD_NO_COLOUR;
	}
	return 0;
}

// cd_to_rgba converts YUV data to RGBA into dst through *ctx, which it
// makes or remakes as needed (NULL when it cannot), honouring the colour
// range and matrix as ffmpeg's scale filter does (unspecified matrix =
// BT.601). It returns 0 or a CD_ failure.
static int cd_to_rgba(struct SwsContext **ctx,
	const uint8_t *const *data, const int *linesize, int w, int h, enum AVPixelFormat fmt,
	int full, int cs, uint8_t *dst, int dst_stride, int dw, int dh, int flags)
{
	// sws_getCachedContext frees *ctx when it makes a new one, also when
	// that fails: *ctx must never keep the old pointer.
	*ctx = sws_getCachedContext(*ctx, w, h, fmt, dw, dh, AV_PIX_FMT_RGBA, flags, NULL, NULL, NULL);
	if (!*ctx) {
		return CD_NO_CONTEXT;
	}
	int err = cd_colour(*ctx, cs, full);
	if (err < 0) {
		return err;
	}
	uint8_t *dsts[4] = {dst, NULL, NULL, NULL};
	int strides[4] = {dst_stride, 0, 0, 0};
	if (sws_scale(*ctx, data, linesize, 0, h, dsts, strides) <= 0) {
		return CD_NO_SCALE;
	}
	return 0;
}

// cd_scale converts an AVFrame to RGBA of size dw x dh in one step.
static int cd_scale(struct SwsContext **ctx, const AVFrame *src,
	uint8_t *dst, int dst_stride, int dw, int dh, int flags)
{
	int full;
	enum AVPixelFormat fmt = cd_format(src, &full);
	return cd_to_rgba(ctx, (const uint8_t *const *)src->data, src->linesize, src->width, src->height,
		fmt, full, src->colorspace, dst, dst_stride, dw, dh, flags);
}

// cd_scale2 does the same in two steps: scale the YUV planes (half the
// samples of RGBA in 4:2:0, and no colour maths), then convert at the
// small size through swscale's fast unscaled path. mid holds the scaled
// planes between the steps. It returns 0 or a CD_ failure.
static int cd_scale2(struct SwsContext **down, struct SwsContext **conv, AVFrame *mid,
	const AVFrame *src, uint8_t *dst, int dst_stride, int dw, int dh, int flags)
{
	int full;
	enum AVPixelFormat fmt = cd_format(src, &full);
	if (mid->width != dw || mid->height != dh || mid->format != fmt || !mid->data[0]) {
		av_frame_unref(mid);
		mid->width = dw;
		mid->height = dh;
		mid->format = fmt;
		if (av_frame_get_buffer(mid, 0) < 0) {
			av_frame_unref(mid); // no size without a buffer
			return CD_NO_BUFFER;
		}
	}
	*down = sws_getCachedContext(*down, src->width, src->height, fmt,
		dw, dh, fmt, flags, NULL, NULL, NULL);
	if (!*down) {
		return CD_NO_CONTEXT;
	}
	if (sws_scale(*down, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
			mid->data, mid->linesize) <= 0) {
		return CD_NO_SCALE;
	}
	return cd_to_rgba(conv, (const uint8_t *const *)mid->data, mid->linesize, dw, dh,
		fmt, full, src->colorspace, dst, dst_stride, dw, dh, flags);
}

// cd_to_gray scales the luma of an AVFrame to a dw x dh grey picture in
// dst through *ctx (made or remade as needed). Grey needs no colour
// details: only the luma plane is read. It returns 0 or a CD_ failure.
static int cd_to_gray(struct SwsContext **ctx, const AVFrame *src,
	uint8_t *dst, int dst_stride, int dw, int dh, int flags)
{
	int full;
	enum AVPixelFormat fmt = cd_format(src, &full);
	*ctx = sws_getCachedContext(*ctx, src->width, src->height, fmt,
		dw, dh, AV_PIX_FMT_GRAY8, flags, NULL, NULL, NULL);
	if (!*ctx) {
		return CD_NO_CONTEXT;
	}
	uint8_t *dsts[4] = {dst, NULL, NULL, NULL};
	int strides[4] = {dst_stride, 0, 0, 0};
	if (sws_scale(*ctx, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
			dsts, strides) <= 0) {
		return CD_NO_SCALE;
	}
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

// scaler owns the swscale contexts of one output. It is used on the
// decoder's goroutine only.
type scaler struct {
	ctx *C.struct_SwsContext // one step

	// Two steps.
	down, conv *C.struct_SwsContext
	mid        *C.AVFrame
}

// scaleError tells what failed in a C.cd_scale* result.
func scaleError(r C.int) error {
	switch r {
	case 0:
		return nil
	case C.CD_NO_CONTEXT:
		return errors.New("decode: swscale cannot convert this frame")
	case C.CD_NO_BUFFER:
		return errors.New("decode: cannot allocate the scaled frame")
	case C.CD_NO_COLOUR:
		return errors.New("decode: swscale refused the frame's colour details")
	default:
		return errors.New("decode: swscale drew nothing")
	}
}

// frameAlloc is av_frame_alloc; tests make it fail.
var frameAlloc = func() unsafe.Pointer { return unsafe.Pointer(C.av_frame_alloc()) }

// scale2 is scale in two steps: YUV down, then RGBA.
func (s *scaler) scale2(frame unsafe.Pointer, img *image.RGBA, flags int) error {
	if s.mid == nil {
		s.mid = (*C.AVFrame)(frameAlloc())
		if s.mid == nil {
			return errors.New("decode: cannot allocate a frame")
		}
	}
	b := img.Bounds()
	return scaleError(C.cd_scale2(&s.down, &s.conv, s.mid, (*C.AVFrame)(frame),
		(*C.uint8_t)(unsafe.Pointer(&img.Pix[0])), C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags)))
}

// scale converts frame (an *AVFrame) into img, scaled to img's size.
func (s *scaler) scale(frame unsafe.Pointer, img *image.RGBA, flags int) error {
	b := img.Bounds()
	return scaleError(C.cd_scale(&s.ctx, (*C.AVFrame)(frame),
		(*C.uint8_t)(unsafe.Pointer(&img.Pix[0])), C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags)))
}

// gray scales frame's luma into img, scaled to img's size.
func (s *scaler) gray(frame unsafe.Pointer, img *image.Gray, flags int) error {
	b := img.Bounds()
	return scaleError(C.cd_to_gray(&s.ctx, (*C.AVFrame)(frame),
		(*C.uint8_t)(unsafe.Pointer(&img.Pix[0])), C.int(img.Stride), C.int(b.Dx()), C.int(b.Dy()), C.int(flags)))
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
