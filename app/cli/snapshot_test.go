package cli

import (
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// TestSnapshotColours compares a snapshot with FFmpeg's own decoding of the
// same still picture, for limited- and full-range video and both BT.601
// and BT.709 matrices: a wrong range or matrix costs far more than the
// 35 dB asked.
func TestSnapshotColours(t *testing.T) {
	for _, c := range fftest.ColourCases {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			clip := fftest.StillClip(t, dir, c, 4)
			ref := fftest.Make(t, filepath.Join(dir, "ref.png"), "-i", clip, "-frames:v", "1")

			srv := democam.ServeFileForTest(t, clip)
			snap := filepath.Join(dir, "snap.jpg")
			code, out, errOut := run("snapshot", "-o", snap, srv.URL())
			if code != 0 || strings.TrimSpace(out) != snap {
				t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
			}
			f, err := os.Open(snap)
			if err != nil {
				t.Fatal(err)
			}
			img, err := jpeg.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 720 {
				t.Fatalf("snapshot %v, want full resolution 1280x720", b)
			}
			if psnr := fftest.PSNR(t, snap, ref); psnr < 35 {
				t.Fatalf("PSNR %.2f dB against ffmpeg's decoding, want >= 35", psnr)
			} else {
				t.Logf("PSNR %.2f dB", psnr)
			}
		})
	}
}
