package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/rectest"
)

// TestRecordingsExportPrune lists, exports and prunes real recordings:
// two stretches of a camera with an hour between them.
func TestRecordingsExportPrune(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	dir := t.TempDir()
	index := filepath.Join(t.TempDir(), "index.db")
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.Local)
	rectest.Record(t, dir, "Front door", t0, 12*time.Second, 6*time.Second, true)
	rectest.Record(t, dir, "Front door", t0.Add(time.Hour), 6*time.Second, 6*time.Second, true)
	lib := []string{"--dir", dir, "--index", index}

	out, stderr := runOK(t, append([]string{"recordings", "--json"}, lib...)...)
	var tl []struct {
		Camera string
		Spans  []struct{ Start, End time.Time }
		Gaps   []struct{ Start, End time.Time }
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(tl) != 1 || tl[0].Camera != "Front_door" || len(tl[0].Spans) != 2 || len(tl[0].Gaps) != 1 {
		t.Fatalf("recordings: %s", out)
	}
	if d := tl[0].Spans[0].End.Sub(tl[0].Spans[0].Start); d < 11*time.Second || d > 13*time.Second {
		t.Errorf("first span lasts %v, want about 12 s", d)
	}
	if !tl[0].Gaps[0].Start.Equal(tl[0].Spans[0].End) || !tl[0].Gaps[0].End.Equal(tl[0].Spans[1].Start) {
		t.Errorf("gap %v, want between the spans", tl[0].Gaps[0])
	}
	code, out, _ := run(append([]string{"recordings", "--camera", "Front door"}, lib...)...)
	if code != 0 || strings.Count(out, "recorded") != 3 || strings.Count(out, " gap") != 1 {
		t.Errorf("recordings text (exit %d):\n%s", code, out)
	}

	clip := filepath.Join(t.TempDir(), "clip.mp4")
	out, stderr = runOK(t, append([]string{"export", "--camera", "Front door", "--from", "2026-03-14 09:00:04.5",
		"--to", "2026-03-14 09:00:09", "-o", clip}, lib...)...)
	r, stderr, err := fftest.Probe(t, time.Minute, "-show_format", "-show_streams", clip)
	if err != nil {
		t.Fatalf("ffprobe: %v %s", err, stderr)
	}
	if d := fftest.Seconds(r.Format.Duration); math.Abs(d-4.5) > 0.04 || len(r.Streams) != 2 {
		t.Errorf("export lasts %.3f s with %d streams, want 4.5 s with video and audio (%s)", d, len(r.Streams), out)
	}

	code, _, stderr = run(append([]string{"export", "--camera", "Front door", "--from", "2026-03-15 09:00:00",
		"--to", "2026-03-15 10:00:00", "-o", clip + "2"}, lib...)...)
	if code != 1 || !strings.Contains(stderr, "Front door: nothing recorded") {
		t.Errorf("export of nothing: exit %d: %s", code, stderr)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "Front_door", "*.mp4"))
	if len(files) != 3 {
		t.Fatalf("%d files recorded, want 3", len(files))
	}
	var total int64
	for _, f := range files {
		st, _ := os.Stat(f)
		total += st.Size()
	}
	// Just under all three: the oldest must go.
	maxGB := strings.TrimRight(strings.TrimRight(
		strconvF(float64(total-1)/1e9), "0"), ".")
	code, out, _ = run(append([]string{"prune", "--dry-run", "--max-gb", maxGB}, lib...)...)
	if code != 0 || !strings.Contains(out, "would delete 1 files") || !strings.Contains(out, filepath.Base(files[0])) {
		t.Errorf("prune --dry-run (exit %d):\n%s", code, out)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Errorf("a dry run deleted %s", files[0])
	}
	code, out, _ = run(append([]string{"prune", "--max-gb", maxGB}, lib...)...)
	if code != 0 || !strings.Contains(out, "deleted 1 files") {
		t.Errorf("prune (exit %d):\n%s", code, out)
	}
	if _, err := os.Stat(files[0]); !os.IsNotExist(err) {
		t.Errorf("prune left the oldest file: %v", err)
	}
}

func strconvF(f float64) string {
	return strings.TrimSpace(strings.Replace(fmtFloat(f), " ", "", -1))
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', 12, 64) }

// TestRecordingsOfOneFolder: one index holds the rows of every recordings
// folder, and a camera is known by its folder's name; listing and
// exporting a --dir must not take another folder's camera of the same
// name (it did: the export held the other folder's recording).
func TestRecordingsOfOneFolder(t *testing.T) {
	t.Parallel()
	index := filepath.Join(t.TempDir(), "index.db")
	mine, other := t.TempDir(), t.TempDir()
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.Local)
	rectest.Record(t, other, "Yard", t0, 6*time.Second, 6*time.Second, false)
	rectest.Record(t, mine, "Yard", t0.Add(time.Hour), 6*time.Second, 6*time.Second, false)
	// The other folder's recording goes into the index as record would
	// have put it there.
	runOK(t, "recordings", "--dir", other, "--index", index)

	out, _ := runOK(t, "recordings", "--json", "--dir", mine, "--index", index)
	var tl []struct {
		Camera string
		Spans  []struct{ Start, End time.Time }
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(tl) != 1 || len(tl[0].Spans) != 1 || tl[0].Spans[0].Start.Before(t0.Add(time.Hour)) {
		t.Fatalf("recordings of %s: %s", mine, out)
	}
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	code, _, stderr := run("export", "--camera", "Yard", "--dir", mine, "--index", index,
		"--from", "2026-03-14 09:00:01", "--to", "2026-03-14 09:00:05", "-o", clip)
	if code != 1 || !strings.Contains(stderr, "nothing recorded") {
		t.Errorf("export of the other folder's hour: exit %d: %s", code, stderr)
	}

	// --dir names the folder even when the camera's profile names a
	// playback server (here one that is not there), and a profile file
	// that cannot be read loses only the lookup.
	profiles := filepath.Join(t.TempDir(), "profiles.json")
	store := &camdeck.Store{Path: profiles}
	if err := store.Save([]camdeck.Profile{{Name: "Yard", URL: "rtsp://127.0.0.1:1/yard",
		PlaybackURL: "http://127.0.0.1:1", PlaybackPath: "yard"}}); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(broken, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, pf := range []string{profiles, broken} {
		out, stderr := runOK(t, "recordings", "--json", "--camera", "Yard", "--dir", mine, "--index", index, "--profiles", pf)
		if !strings.Contains(out, `"camera": "Yard"`) || !strings.Contains(out, `"start": "2026-03-14T10:00:00`) {
			t.Errorf("recordings --dir with profiles %s: %s %s", filepath.Base(pf), out, stderr)
		}
	}
}
