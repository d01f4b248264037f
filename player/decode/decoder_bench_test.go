package decode

import (
	"image"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// decodedFrame decodes the clip's first GOP and returns the decoder, whose
// last frame the benchmarks scale; the caller closes it with OnStreamEnd.
func decodedFrame(b *testing.B) (*Decoder, *player.Track) {
	b.Helper()
	clip := democam.BenchClip(b)
	d := &Decoder{Slot: NewFrameSlot(), Threads: 1}
	track := benchTrack(clip)
	d.OnStream([]*player.Track{track})
	for _, fr := range clip.Frames[:min(len(clip.Frames), 10)] {
		d.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key})
	}
	if d.last == nil || d.last.Width() == 0 {
		b.Fatal("no frame decoded")
	}
	return d, track
}

// BenchmarkScale measures swscale's conversion of one decoded frame to
// RGBA: at full size (bicubic, the snapshot and 1:1 path) and down to a
// 640x360 tile in one step with several filters. BenchmarkScaleTwoStep
// measures the tile path camdeck uses. One op is one frame.
func BenchmarkScale(b *testing.B) {
	d, _ := decodedFrame(b)
	defer d.OnStreamEnd(nil)
	w, h := d.last.Width(), d.last.Height()
	src := strconv.Itoa(w) + "x" + strconv.Itoa(h)
	cases := []struct {
		name  string
		w, h  int
		flags int
	}{
		{src + "/full/bicubic", w, h, swsFull},
		{src + "/640x360/bilinear", 640, 360, swsBilinear},
		{src + "/640x360/fast_bilinear", 640, 360, swsFastBilinear},
		{src + "/640x360/area", 640, 360, swsArea},
		{src + "/640x360/point", 640, 360, swsPoint},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var sc scaler
			defer sc.free()
			img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
			b.SetBytes(int64(len(img.Pix)))
			b.ReportAllocs()
			for b.Loop() {
				if err := sc.scale(d.last.UnsafePointer(), img, c.flags); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeUnit measures the decoder sink's whole work per unit:
// libavcodec (one thread) plus conversion to a 640x360 tile or full size,
// and the hand-over through the frame slot. One op is one unit of the
// clip, looped.
func BenchmarkDecodeUnit(b *testing.B) {
	clip := democam.BenchClip(b)
	for _, out := range []struct {
		name string
		w, h int
	}{{"640x360", 640, 360}, {"full", 0, 0}} {
		b.Run(clipName(clip)+"/"+out.name, func(b *testing.B) {
			slot := NewFrameSlot()
			d := &Decoder{Slot: slot, Threads: 1}
			d.SetOutputSize(out.w, out.h)
			track := benchTrack(clip)
			d.OnStream([]*player.Track{track})
			defer d.OnStreamEnd(nil)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i % len(clip.Frames)
				if k == 0 && i > 0 {
					d.OnStream([]*player.Track{track}) // a fresh stream: PTS start again
				}
				fr := &clip.Frames[k]
				d.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key})
				if f := slot.Take(); f != nil {
					slot.Release(f.Image)
				}
			}
		})
	}
}

// BenchmarkDecodeClip is camdeck's side of figure 1 of `make bench`: the
// whole clip through the decoder sink, as a session would feed it but
// without the network, to RGBA at full size and to a 640x360 tile, with
// $CAMDECK_BENCH_THREADS libavcodec threads (default: one per CPU) as
// ffmpeg gets. One op is the whole clip; frames/op lets the bench take
// frames over its exec-to-exit wall time, as it does for ffmpeg. The
// micro-benchmark run skips it (-skip).
func BenchmarkDecodeClip(b *testing.B) {
	clip := democam.BenchClip(b)
	threads := runtime.NumCPU()
	if n, err := strconv.Atoi(os.Getenv("CAMDECK_BENCH_THREADS")); err == nil && n > 0 {
		threads = n
	}
	for _, out := range []struct {
		name string
		w, h int
	}{{"full", 0, 0}, {"640x360", 640, 360}} {
		b.Run(out.name, func(b *testing.B) {
			var frames uint64
			for b.Loop() {
				slot := NewFrameSlot()
				d := &Decoder{Slot: slot, Threads: threads}
				d.SetOutputSize(out.w, out.h)
				track := benchTrack(clip)
				d.OnStream([]*player.Track{track})
				for _, fr := range clip.Frames {
					d.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key})
					if f := slot.Take(); f != nil { // as the screen takes frames
						slot.Release(f.Image)
					}
				}
				d.OnStreamEnd(nil)
				frames += d.Stats().Frames
			}
			b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
			b.ReportMetric(float64(frames)/b.Elapsed().Seconds(), "fps")
		})
	}
}

// BenchmarkFrameSlot measures the hand-over of a tile between the decoder
// and the screen: an image from the pool, Put, Take, Release.
func BenchmarkFrameSlot(b *testing.B) {
	slot := NewFrameSlot()
	b.ReportAllocs()
	for b.Loop() {
		img := slot.image(640, 360)
		slot.Put(&Frame{Image: img})
		if f := slot.Take(); f != nil {
			slot.Release(f.Image)
		}
	}
}

// BenchmarkSnapshotCopy measures the copy of a full-size RGBA frame that
// every snapshot caller after the first gets.
func BenchmarkSnapshotCopy(b *testing.B) {
	d, _ := decodedFrame(b)
	defer d.OnStreamEnd(nil)
	img := image.NewRGBA(image.Rect(0, 0, d.last.Width(), d.last.Height()))
	b.SetBytes(int64(len(img.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		cp := *img
		cp.Pix = append([]byte(nil), img.Pix...)
		_ = cp
	}
}

// BenchmarkScaleTwoStep measures scaling a frame to a 640x360 tile in two
// steps (YUV down, then the unscaled RGBA conversion), as the decoder
// does, with three filters.
func BenchmarkScaleTwoStep(b *testing.B) {
	d, _ := decodedFrame(b)
	defer d.OnStreamEnd(nil)
	for _, fl := range []struct {
		name  string
		flags int
	}{{"bilinear", swsBilinear}, {"fast_bilinear", swsFastBilinear}, {"area (camdeck)", swsArea}} {
		b.Run(fl.name, func(b *testing.B) {
			var sc scaler
			defer sc.free()
			img := image.NewRGBA(image.Rect(0, 0, 640, 360))
			for b.Loop() {
				if err := sc.scale2(d.last.UnsafePointer(), img, fl.flags); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLumaScale measures the grey picture for motion detection: the
// decoded frame's luma scaled to 160 wide with the area filter. One op is
// one picture; at 5 a second the share of a core is 5 times its time.
func BenchmarkLumaScale(b *testing.B) {
	d, _ := decodedFrame(b)
	defer d.OnStreamEnd(nil)
	w, h := d.last.Width(), d.last.Height()
	var sc scaler
	defer sc.free()
	img := image.NewGray(image.Rect(0, 0, DefaultLumaWidth, DefaultLumaWidth*h/w))
	b.Run(strconv.Itoa(w)+"x"+strconv.Itoa(h)+"/gray160", func(b *testing.B) {
		for b.Loop() {
			if err := sc.gray(d.last.UnsafePointer(), img, lumaFilter); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*5/1e9*100, "%core@5Hz")
	})
}
