package decode

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
)

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

			cl, err := democam.LoadClip(clip)
			if err != nil {
				t.Fatal(err)
			}
			srv := democam.StartForTest(t, &democam.Server{Clip: cl})
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
