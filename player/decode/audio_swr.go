package decode

// Resampling goes through libswresample directly: go-astiav v0.16 has no
// binding for it.

/*
#cgo pkg-config: libswresample libavutil
#include <libswresample/swresample.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>

// cd_swr_open makes a context from a decoded frame's format to
// interleaved signed 16-bit samples at rate with channels, or NULL.
static SwrContext *cd_swr_open(const AVFrame *in, int rate, int channels)
{
	AVChannelLayout out_layout;
	av_channel_layout_default(&out_layout, channels);
	AVChannelLayout in_layout = in->ch_layout;
	if (in_layout.nb_channels == 0 || in_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
		av_channel_layout_default(&in_layout, in_layout.nb_channels > 0 ? in_layout.nb_channels : 1);
	}
	SwrContext *s = NULL;
	if (swr_alloc_set_opts2(&s, &out_layout, AV_SAMPLE_FMT_S16, rate,
			&in_layout, in->format, in->sample_rate, 0, NULL) < 0) {
		return NULL;
	}
	// A camera's one microphone plays at its level on each speaker:
	// swresample's own matrix would put it 3 dB down on both.
	if (in_layout.nb_channels == 1) {
		double up[8] = {1, 1, 1, 1, 1, 1, 1, 1};
		if (channels <= 8 && swr_set_matrix(s, up, 1) < 0) {
			swr_free(&s);
			return NULL;
		}
	}
	if (swr_init(s) < 0) {
		swr_free(&s);
		return NULL;
	}
	return s;
}

// cd_swr_bound is the most samples the next conversion of n may give.
static int cd_swr_bound(SwrContext *s, int n)
{
	return swr_get_out_samples(s, n);
}

// cd_swr_convert converts a frame into out (room for max samples) and
// returns the samples written, or a negative AVERROR.
static int cd_swr_convert(SwrContext *s, const AVFrame *in, uint8_t *out, int max)
{
	return swr_convert(s, &out, max, (const uint8_t **)in->extended_data, in->nb_samples);
}

static void cd_swr_free(SwrContext *s)
{
	swr_free(&s);
}

static int cd_frame_channels(const AVFrame *f) { return f->ch_layout.nb_channels; }
*/
import "C"

import (
	"errors"
	"unsafe"
)

// resampler converts decoded audio frames to interleaved signed 16-bit
// native-endian (little on every machine camdeck builds for) samples.
// Its context is remade when the input's rate, channels or sample format
// change (an AAC stream may switch to a new configuration).
type resampler struct {
	ctx                    *C.SwrContext
	inRate, inCh, inFormat int
	outRate, outCh         int
}

// convert appends frame's samples, resampled to rate and channels, to dst.
func (r *resampler) convert(dst []byte, frame unsafe.Pointer, rate, channels int) ([]byte, error) {
	f := (*C.AVFrame)(frame)
	inRate, inCh, inFormat := int(f.sample_rate), int(C.cd_frame_channels(f)), int(f.format)
	if r.ctx == nil || inRate != r.inRate || inCh != r.inCh || inFormat != r.inFormat ||
		rate != r.outRate || channels != r.outCh {
		r.free()
		r.ctx = C.cd_swr_open(f, C.int(rate), C.int(channels))
		if r.ctx == nil {
			return dst, errors.New("decode: libswresample cannot convert this audio")
		}
		r.inRate, r.inCh, r.inFormat, r.outRate, r.outCh = inRate, inCh, inFormat, rate, channels
	}
	n := int(C.cd_swr_bound(r.ctx, f.nb_samples))
	if n <= 0 {
		return dst, nil
	}
	at := len(dst)
	size := n * channels * 2
	dst = append(dst, make([]byte, size)...)
	got := C.cd_swr_convert(r.ctx, f, (*C.uint8_t)(unsafe.Pointer(&dst[at])), C.int(n))
	if got < 0 {
		return dst[:at], errors.New("decode: libswresample failed")
	}
	return dst[:at+int(got)*channels*2], nil
}

func (r *resampler) free() {
	if r.ctx != nil {
		C.cd_swr_free(r.ctx)
		r.ctx = nil
	}
}
