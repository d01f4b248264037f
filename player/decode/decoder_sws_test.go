package decode

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unsafe"

	"github.com/asticode/go-astiav"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
)

// decodeStill decodes the first second of a still colour-bar clip in the
// colour case c and returns the decoder, whose last frame the tests scale.
func decodeStill(t *testing.T, c fftest.ColourCase) *Decoder {
	t.Helper()
	clip, err := democam.LoadClip(fftest.StillClip(t, t.TempDir(), c, 1))
	if err != nil {
		t.Fatal(err)
	}
	d := &Decoder{Slot: NewFrameSlot(), Threads: 1}
	track := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS}
	d.OnStream([]*player.Track{track})
	t.Cleanup(func() { d.OnStreamEnd(nil) })
	for _, fr := range clip.Frames[:10] {
		d.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key})
	}
	if d.last == nil || d.last.Width() == 0 {
		t.Fatal("no frame decoded")
	}
	return d
}

// convert scales frame to w x h with s, one step or two (the tile path).
func convert(t *testing.T, s *scaler, frame *astiav.Frame, w, h int, twoStep bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var err error
	if twoStep {
		err = s.scale2(frame.UnsafePointer(), img, swsTile)
	} else {
		err = s.scale(frame.UnsafePointer(), img, swsFull)
	}
	if err != nil {
		t.Fatal(err)
	}
	return img.Pix
}

// TestScalerColourDetails: one scaler kept across frames converts each
// exactly as a fresh one does, when the colour range and matrix change at
// the same size and when the size changes with the same colours (a new
// swscale context, which may reuse the old one's address).
func TestScalerColourDetails(t *testing.T) {
	full := decodeStill(t, fftest.ColourCases[1])    // full range
	limited := decodeStill(t, fftest.ColourCases[2]) // limited range BT.709
	steps := []struct {
		name string
		d    *Decoder
		w, h int
	}{
		{"full range", full, 640, 360},
		{"limited BT.709, same size", limited, 640, 360},
		{"limited BT.709, smaller", limited, 320, 180},
		{"limited BT.709, back", limited, 640, 360},
		{"full range, same size", full, 640, 360},
		{"full range, larger", full, 960, 540},
	}
	for _, twoStep := range []bool{false, true} {
		name := map[bool]string{false: "one step", true: "two steps"}[twoStep]
		t.Run(name, func(t *testing.T) {
			var kept scaler
			defer kept.free()
			for _, st := range steps {
				var fresh scaler
				want := convert(t, &fresh, st.d.last, st.w, st.h, twoStep)
				fresh.free()
				if got := convert(t, &kept, st.d.last, st.w, st.h, twoStep); !bytes.Equal(got, want) {
					t.Fatalf("%s at %dx%d: the kept scaler's picture differs from a fresh one's", st.name, st.w, st.h)
				}
			}
		})
	}
}

// TestScalerFailures: what swscale and libavutil refuse is reported as an
// error, never as a picture that was not drawn, and the scaler still
// works afterwards.
func TestScalerFailures(t *testing.T) {
	d := decodeStill(t, fftest.ColourCases[0])
	var s scaler
	defer s.free()

	// A size libavutil will not allocate (av_frame_get_buffer fails), asked
	// twice: the second time must not find the size already "allocated".
	// The destination is never written, so its pixels are not allocated.
	huge := &image.RGBA{Pix: make([]byte, 4), Stride: 4 * 16384, Rect: image.Rect(0, 0, 16384, 16384)}
	for i := range 2 {
		if err := s.scale2(d.last.UnsafePointer(), huge, swsTile); err == nil {
			t.Fatalf("call %d: scaling to 16384x16384 succeeded without a buffer", i+1)
		}
	}

	// A frame without pixels: sws_scale refuses it.
	empty := astiav.AllocFrame()
	defer empty.Free()
	empty.SetWidth(64)
	empty.SetHeight(64)
	empty.SetPixelFormat(astiav.PixelFormatYuv420P)
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	if err := s.scale(empty.UnsafePointer(), img, swsFull); err == nil {
		t.Fatal("a frame without pixels was converted")
	}
	if err := s.scale2(empty.UnsafePointer(), img, swsTile); err == nil {
		t.Fatal("a frame without pixels was converted in two steps")
	}

	var fresh scaler
	defer fresh.free()
	if got, want := convert(t, &s, d.last, 640, 360, true), convert(t, &fresh, d.last, 640, 360, true); !bytes.Equal(got, want) {
		t.Fatal("after the failures the scaler's picture differs from a fresh one's")
	}
}

// TestScalerNoFrame: when libavutil cannot allocate the intermediate
// frame, scaling fails with an error instead of using a NULL frame.
func TestScalerNoFrame(t *testing.T) {
	d := decodeStill(t, fftest.ColourCases[0])
	alloc := frameAlloc
	frameAlloc = func() unsafe.Pointer { return nil }
	defer func() { frameAlloc = alloc }()
	var s scaler
	defer s.free()
	img := image.NewRGBA(image.Rect(0, 0, 640, 360))
	if err := s.scale2(d.last.UnsafePointer(), img, swsTile); err == nil {
		t.Fatal("scaled through a frame that could not be allocated")
	}
}

// TestTileColours: a frame scaled down to a tile keeps the colours of
// ffmpeg's own decoding and scaling of the same still picture, for limited
// and full range and both matrices. (Full-size snapshots are checked in
// app/cli's TestSnapshotColours.)
func TestTileColours(t *testing.T) {
	for _, c := range fftest.ColourCases {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			clip := fftest.StillClip(t, dir, c, 3)
			ref := fftest.Make(t, filepath.Join(dir, "ref.png"), "-i", clip, "-vf", "scale=640:360", "-frames:v", "1")

			srv := democam.ServeFileForTest(t, clip)
			dec := watch(t, &player.Session{URL: srv.URL()})
			var f *Frame
			deadline := time.After(10 * time.Second)
			for f == nil {
				select {
				case <-dec.Slot.Ready():
					f = dec.Slot.Take()
				case <-deadline:
					t.Fatal("no frame")
				}
			}
			if b := f.Image.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
				t.Fatalf("tile %v, want 640x360", b)
			}
			tile := filepath.Join(dir, "tile.png")
			out, err := os.Create(tile)
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(out, f.Image); err != nil {
				t.Fatal(err)
			}
			out.Close()
			psnr := fftest.PSNR(t, tile, ref)
			t.Logf("PSNR %.2f dB", psnr)
			if psnr < 35 {
				t.Fatalf("PSNR %.2f dB against ffmpeg's scaled decoding, want >= 35", psnr)
			}
		})
	}
}
