package gui

import (
	"bytes"
	be "encoding/binary"
	"os"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/rectest"
)

// mvhdDuration is where the movie header's duration is, its width and
// its value.
func mvhdDuration(t *testing.T, data []byte) (int, int, uint64) {
	t.Helper()
	i := bytes.Index(data, []byte("mvhd"))
	if i < 0 {
		t.Fatal("no mvhd")
	}
	switch data[i+4] { // after it: flags, creation, modification, timescale
	case 0:
		at := i + 4 + 4 + 4 + 4 + 4
		return at, 4, uint64(be.BigEndian.Uint32(data[at:]))
	case 1:
		at := i + 4 + 4 + 8 + 8 + 4
		return at, 8, be.BigEndian.Uint64(data[at:])
	}
	t.Fatal("unknown mvhd version")
	return 0, 0, 0
}

// TestStartRepairsRecordings: a recording that a crash left unfinished
// (header durations still 0) in a camera's folder is finished when the
// window starts.
func TestStartRepairsRecordings(t *testing.T) {
	dir := t.TempDir()
	rec := rectest.Record(t, dir, "Porch", time.Now().Add(-time.Hour), 4*time.Second, 0, false)
	file := rec.Files[0]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	at, width, want := mvhdDuration(t, data)
	if want == 0 {
		t.Fatal("the finished recording has no duration")
	}
	clear(data[at : at+width]) // as a crash leaves it
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}

	p := profile("Porch")
	p.RecordDir = dir
	h := newHarness(t, []camdeck.Profile{p})
	h.ui.bg.Wait()
	data, err = os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, got := mvhdDuration(t, data); got != want {
		t.Fatalf("mvhd duration %d after start, want %d", got, want)
	}
}
