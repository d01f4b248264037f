package gstserver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

// TestServesFFmpegClip checks the interop server itself: it serves an
// H.264 file made by ffmpeg, which ffprobe reads.
func TestServesFFmpegClip(t *testing.T) {
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	fftest.Make(t, clip, "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=10", "-c:v", "libx264", "-preset", "veryfast",
		"-bf", "2", "-g", "50", "-pix_fmt", "yuv420p")
	url := Start(t, clip)
	r, stderr, err := fftest.Probe(t, 20*time.Second, "-rtsp_transport", "tcp", "-show_streams", url)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, stderr)
	}
	if len(r.Streams) != 1 || r.Streams[0].CodecName != "h264" || r.Streams[0].Width != 640 || r.Streams[0].Height != 360 {
		t.Fatalf("streams %+v, want one h264 640x360", r.Streams)
	}
}
