package fftest

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScenes makes every motion scene and checks with ffprobe that it has
// the length and frames its truth is given in, and a keyframe a second.
func TestScenes(t *testing.T) {
	dir := t.TempDir()
	if d := os.Getenv("CAMDECK_SCENES_DIR"); d != "" {
		dir = d
	}
	for _, s := range Scenes {
		t.Run(s.Name, func(t *testing.T) {
			file := s.Make(t, dir)
			r, stderr, err := Probe(t, time.Minute, "-count_frames", "-show_streams", "-show_packets", file)
			if err != nil || len(r.Streams) != 1 {
				t.Fatalf("ffprobe: %v\n%s", err, stderr)
			}
			st := r.Streams[0]
			if st.Width != SceneWidth || st.Height != SceneHeight || st.NbReadFrames != strconv.Itoa(s.Seconds*SceneFPS) {
				t.Fatalf("%dx%d, %s frames, want %dx%d and %d", st.Width, st.Height, st.NbReadFrames,
					SceneWidth, SceneHeight, s.Seconds*SceneFPS)
			}
			for i, p := range r.Packets {
				if key := strings.HasPrefix(p.Flags, "K"); key != (i%SceneFPS == 0) {
					t.Fatalf("packet %d: flags %q, want a keyframe exactly every %d", i, p.Flags, SceneFPS)
				}
			}
		})
	}
}
