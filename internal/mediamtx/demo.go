package mediamtx

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// DemoSegment is the recordSegmentDuration RecordDemo gives MediaMTX,
// DemoGOP the keyframe interval of its camera.
const (
	DemoSegment = 4 * time.Second
	DemoGOP     = time.Second
)

// RecordDemo runs MediaMTX recording a demo camera on path "cam" into
// DemoSegment fragmented MP4 segments (1 s parts), and waits, at most
// 60 s, until it has finished two of them (a third is on disk).
//
// The camera sends a 25 fps clip without B-frames, as IP cameras do.
// MediaMTX v1.15.3 cannot record the demo clip whole: its H.264 DTS
// extractor (mediacommon v2.5.1, MediaMTX issue 5209) takes the clip's
// adaptive B-frames for a picture order count step of 4 and fails with
// "DTS is greater than PTS" about 16 frames into a GOP; the recorder then
// closes the segment and waits for the next keyframe, so segments held
// 0.6 to 2.6 s of their 4.
func RecordDemo(t testing.TB) *Server {
	t.Helper()
	return recordDemo(t, "", "")
}

// RecordDemoAuth is RecordDemo with a playback server that answers only
// user with pass.
func RecordDemoAuth(t testing.TB, user, pass string) *Server {
	t.Helper()
	return recordDemo(t, user, pass)
}

func recordDemo(t testing.TB, user, pass string) *Server {
	t.Helper()
	raw := fftest.Make(t, filepath.Join(t.TempDir(), "nob.h264"), "-f", "lavfi",
		"-i", "testsrc2=size=320x240:rate=25", "-t", "10", "-c:v", "libx264", "-preset", "veryfast",
		"-bf", "0", "-g", "25", "-pix_fmt", "yuv420p", "-f", "h264")
	clip, err := democam.LoadClip(raw)
	if err != nil {
		t.Fatal(err)
	}
	cam := &democam.Server{Clip: clip}
	if err := cam.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cam.Close)
	srv := start(t, `  cam:
    source: `+cam.URL()+`
    rtspTransport: tcp
    record: yes
    recordFormat: fmp4
    recordPath: %RECORD%/%path/%Y-%m-%d_%H-%M-%S-%f
    recordPartDuration: 1s
    recordSegmentDuration: 4s`, user, pass)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if len(srv.Files()) >= 3 {
			return srv
		}
		if time.Now().After(deadline) {
			t.Fatalf("MediaMTX wrote %d segments within 60 s\n%s", len(srv.Files()), srv.Log())
		}
		time.Sleep(200 * time.Millisecond) // polling its folder: there is no event to wait for
	}
}

// Files lists the segments recorded on path "cam", oldest first.
func (s *Server) Files() []string {
	files, _ := filepath.Glob(filepath.Join(s.RecordDir, "cam", "*.mp4"))
	return files
}
