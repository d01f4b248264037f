package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/mediamtx"
)

// TestRecordingsExportMediaMTX lists and exports what a real MediaMTX
// recorded of the demo camera, through its playback server.
func TestRecordingsExportMediaMTX(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	if testing.Short() {
		t.Skip("builds MediaMTX")
	}
	srv := mediamtx.RecordDemo(t)
	remote := []string{"--playback", srv.Playback, "--path", "cam"}

	out, stderr := runOK(t, append([]string{"recordings", "--json"}, remote...)...)
	var tl []struct {
		Camera string
		Spans  []struct{ Start, End time.Time }
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(tl) != 1 || tl[0].Camera != "cam" || len(tl[0].Spans) != 1 ||
		tl[0].Spans[0].End.Sub(tl[0].Spans[0].Start) < 2*mediamtx.DemoSegment-40*time.Millisecond {
		t.Fatalf("recordings: want one span of the two finished segments or more:\n%s", out)
	}
	start := tl[0].Spans[0].Start

	// Mid-GOP in the first segment to past its end.
	from, to := start.Add(2520*time.Millisecond), start.Add(6200*time.Millisecond)
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	out, stderr = runOK(t, append([]string{"export", "--from", from.Format(time.RFC3339Nano),
		"--to", to.Format(time.RFC3339Nano), "-o", clip}, remote...)...)
	if !strings.Contains(out, "(3.68s, ") {
		t.Errorf("export says %q, want 3.68s", out)
	}
	r := fftest.Counted(t, clip)
	want := to.Sub(from).Seconds()
	if d := fftest.Seconds(r.Format.Duration); math.Abs(d-want) > 0.04 || len(r.Streams) != 1 {
		t.Errorf("export lasts %.3f s with %d streams, want %.3f s of video", d, len(r.Streams), want)
	}
	if n := fftest.Seconds(r.Streams[0].NbReadFrames); math.Abs(n-want*25) > 1 {
		t.Errorf("%v frames presented, want %.0f ± 1", n, want*25)
	}

	// Nothing recorded, and a server that is not there: one line each,
	// the password never in it.
	code, _, stderr := run(append([]string{"export", "--from", start.Add(-time.Hour).Format(time.RFC3339Nano),
		"--to", start.Add(-30 * time.Minute).Format(time.RFC3339Nano), "-o", clip + "2"}, remote...)...)
	if code != 1 || !strings.Contains(stderr, "cam: nothing recorded") {
		t.Errorf("export of nothing: exit %d: %s", code, stderr)
	}
	code, _, stderr = run("recordings", "--playback", "http://viewer:s3cret@127.0.0.1:1", "--path", "cam")
	if code != 1 || strings.Contains(stderr, "s3cret") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("unreachable server: exit %d: %q", code, stderr)
	}
	if code, _, _ = run("recordings", "--path", "cam"); code != 2 {
		t.Errorf("--path without --playback: exit %d, want 2", code)
	}
}
