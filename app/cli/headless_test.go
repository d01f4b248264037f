package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// TestHeadlessBuild builds camdeck for a server that only records: no
// window (-tags nogui), no FFmpeg (-tags nodecode), no cgo at all. The
// binary links neither Fyne nor go-astiav, records a playable file, and
// says in one line why probe is missing.
func TestHeadlessBuild(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "camdeck-record")
	build := exec.Command("go", "build", "-tags", "nogui,nodecode", "-o", bin, "github.com/camdeck/camdeck")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build -tags nogui,nodecode: %v\n%s", err, out)
	}
	info, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, info)
	}
	for _, bad := range []string{"go-astiav", "fyne.io/fyne", "CGO_ENABLED=1"} {
		if strings.Contains(string(info), bad) {
			t.Fatalf("the headless binary has %s:\n%s", bad, info)
		}
	}

	srv := democam.StartForTest(t, &democam.Server{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := filepath.Join(dir, "rec")
	rec := exec.CommandContext(ctx, bin, "record", "--duration", "2s", "--out", out, "cam="+srv.URL())
	stdout, err := rec.Output()
	if err != nil {
		t.Fatalf("record: %v\n%s", err, stdout)
	}
	files, _ := filepath.Glob(filepath.Join(out, "cam", "*.mp4"))
	if len(files) != 1 || strings.TrimSpace(string(stdout)) != files[0] {
		t.Fatalf("files %v, stdout %q", files, stdout)
	}
	if d := fftest.Duration(t, files[0]); d < 1.5 || d > 2.5 {
		t.Fatalf("recorded %.2f s, want 2", d)
	}
	fftest.DecodesClean(t, files[0])

	probe := exec.CommandContext(ctx, bin, "probe", srv.URL())
	msg, err := probe.CombinedOutput()
	if code := probe.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(msg), "without FFmpeg") {
		t.Fatalf("probe: exit %d (%v), %q", code, err, msg)
	}
}
