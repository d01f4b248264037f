//go:build !nodecode

package cli

import (
	"path/filepath"
	"testing"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
)

// TestProbeMJPEGFPS: MJPEG declares no rate (it has no SPS); probe gives
// the one its timestamps show.
func TestProbeMJPEGFPS(t *testing.T) {
	clip := fftest.Make(t, filepath.Join(t.TempDir(), "clip.mp4"), "-f", "lavfi",
		"-i", "testsrc2=size=320x240:rate=15:duration=10", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "5")
	url := gstserver.StartWith(t, clip, "mjpeg", false)
	rep := probeJSON(t, url)
	if len(rep.Tracks) == 0 || rep.Tracks[0].Codec != "MJPEG" || rep.Tracks[0].FPS != 15 {
		t.Fatalf("report %+v, want MJPEG at 15 fps", rep)
	}
}
