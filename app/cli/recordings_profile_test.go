package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/keyring"
	"github.com/camdeck/camdeck/internal/mediamtx"
	"github.com/camdeck/camdeck/internal/rectest"
)

// TestRecordingsExportByProfile: recordings and export look --camera up
// in the profile file of the config folder. A camera that a MediaMTX
// server records (its playback server asks for a password) is read from
// the server, logging in with the password the file keeps in the
// desktop's keyring (password_ref); a local camera from its profile's
// folder; a name no profile has, from the index as before. Without the
// keyring the server refuses, in one line without the password.
func TestRecordingsExportByProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds MediaMTX")
	}
	const user, pass = "viewer", "Top*Secret9@x#&!" // MediaMTX refuses / : % and others in credentials
	b := keyring.Start(t)
	srv := mediamtx.RecordDemoAuth(t, user, pass)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Address)

	dir := t.TempDir()
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.Local)
	rectest.Record(t, dir, "Front door", t0, 12*time.Second, 6*time.Second, false)
	yard := camdeck.Profile{Name: "Yard", URL: "rtsp://" + srv.RTSP + "/cam", Transport: "tcp",
		User: user, Password: pass, PlaybackURL: srv.Playback, PlaybackPath: "cam"}
	front := camdeck.Profile{Name: "Front door", URL: "rtsp://127.0.0.1:1/front", Transport: "tcp", RecordDir: dir}
	file := filepath.Join(cfg, "camdeck", camdeck.FileName)
	store := &camdeck.Store{Path: file, Keyring: &camdeck.Keyring{Address: b.Address}}
	if err := store.Save([]camdeck.Profile{yard, front}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil || strings.Contains(string(data), "Secret9") || !strings.Contains(string(data), `"password_ref"`) {
		t.Fatalf("the profile file keeps the password itself, or no reference to the keyring (%v):\n%s", err, data)
	}
	index := []string{"--index", filepath.Join(t.TempDir(), "index.db")}

	type timeline []struct {
		Camera string
		Spans  []struct{ Start, End time.Time }
	}
	list := func(camera string, extra ...string) timeline {
		t.Helper()
		code, out, stderr := run(append(append([]string{"recordings", "--json", "--camera", camera}, index...), extra...)...)
		if code != 0 {
			t.Fatalf("recordings --camera %s: exit %d: %s", camera, code, stderr)
		}
		var tl timeline
		if err := json.Unmarshal([]byte(out), &tl); err != nil || len(tl) != 1 {
			t.Fatalf("recordings --camera %s: %v: %s", camera, err, out)
		}
		return tl
	}

	// The MediaMTX camera, by its name in any case.
	tl := list("yard")
	if tl[0].Camera != "Yard" || len(tl[0].Spans) != 1 ||
		tl[0].Spans[0].End.Sub(tl[0].Spans[0].Start) < 2*mediamtx.DemoSegment-40*time.Millisecond {
		t.Fatalf("recordings --camera yard: want Yard's one span of two segments or more: %+v\n%s", tl, srv.Log())
	}
	start := tl[0].Spans[0].Start
	from, to := start.Add(2520*time.Millisecond), start.Add(6200*time.Millisecond)
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	code, _, stderr := run("export", "--camera", "Yard", "--from", from.Format(time.RFC3339Nano),
		"--to", to.Format(time.RFC3339Nano), "-o", clip)
	if code != 0 {
		t.Fatalf("export --camera Yard: exit %d: %s", code, stderr)
	}
	r, stderr, err := fftest.Probe(t, time.Minute, "-show_format", clip)
	if err != nil {
		t.Fatalf("ffprobe: %v %s", err, stderr)
	}
	if d := fftest.Seconds(r.Format.Duration); math.Abs(d-to.Sub(from).Seconds()) > 0.04 {
		t.Errorf("the export lasts %.3f s, want %.3f", d, to.Sub(from).Seconds())
	}

	// The local camera: its profile's folder, without --dir; --profiles
	// names the file too.
	tl = list("Front door", "--profiles", file)
	if tl[0].Camera != "Front_door" || len(tl[0].Spans) != 1 || !tl[0].Spans[0].Start.Equal(t0) ||
		tl[0].Spans[0].End.Sub(t0).Round(time.Second) != 12*time.Second {
		t.Errorf("recordings --camera \"Front door\": want one span of 12 s from %v: %+v", t0, tl)
	}
	// A camera no profile has: the index, as without a profile file.
	if tl = list("Porch"); len(tl[0].Spans) != 0 {
		t.Errorf("recordings --camera Porch: %+v", tl)
	}

	// Without the keyring the password is not known: the server refuses.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "nobus"))
	code, _, stderr = run(append([]string{"recordings", "--camera", "Yard"}, index...)...)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 1 || !strings.Contains(lines[len(lines)-1], "Yard: library: mediamtx cam: 401 Unauthorized") || strings.Contains(stderr, "Secret9") {
		t.Errorf("without the keyring: exit %d: %q, want a refusal without the password", code, stderr)
	}
}
