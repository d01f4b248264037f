package cli

import (
	be "encoding/binary"
	"os"
	"strings"
	"testing"
	"time"

	amp4 "github.com/abema/go-mp4"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
)

// TestRecordKill9SilentThenRepair: the camera sends 100 frames (4 s) and
// goes silent with the connection open; `record` is killed with kill -9
// two seconds later. Every frame is in the file (parts are written on
// time, not when the next frame comes). A torn half part is appended, as
// a write cut by a power failure leaves; the next `record` on the folder
// cuts it off and writes the header's durations.
func TestRecordKill9SilentThenRepair(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	const sent = 100
	srv := democam.StartForTest(t, &democam.Server{Frames: sent})
	out := t.TempDir()
	p := startRecord(t, "--out", out, "--timeout", "60s", "cam="+srv.URL())
	time.Sleep(time.Until(waitRecording(t, out).Add(sent*40*time.Millisecond + 2*time.Second)))
	file := kill9(t, p, out)
	if n := countPackets(t, file); n != sent {
		t.Fatalf("%d frames survived kill -9, %d were sent (and then nothing for 2 s)", n, sent)
	}
	if d := headerDuration(t, file); d != 0 {
		t.Fatalf("mvhd duration %d before the repair: the test needs an unfinished file", d)
	}

	// A torn part: the first half of the last one.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	whole := int64(len(data))
	last := lastMoof(data)
	torn := data[last : last+(len(data)-last)/2]
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(torn); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, _, stderr := run("record", "--out", out, "--duration", "1s", "cam="+srv.URL())
	if !strings.Contains(stderr, "repaired "+file) || !strings.Contains(stderr, "torn part") {
		t.Fatalf("exit %d, stderr %q: want the repair of %s logged", code, stderr, file)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != whole {
		t.Fatalf("%d bytes after the repair, want the %d before the torn part", st.Size(), whole)
	}
	// 100 frames at 25 fps: 4 s in the header (milliseconds) and for ffprobe.
	if d := headerDuration(t, file); d < 3960 || d > 4040 {
		t.Fatalf("mvhd duration %d ms, want 4000", d)
	}
	if d := fftest.Duration(t, file); d < 3.96 || d > 4.04 {
		t.Fatalf("ffprobe: %.3f s, want 4", d)
	}
	fftest.DecodesClean(t, file)
}

// countPackets counts a file's video packets with ffprobe.
func countPackets(t *testing.T, file string) int {
	t.Helper()
	r, stderr, err := fftest.Probe(t, time.Minute, "-select_streams", "v", "-show_packets", "-show_entries", "packet=pts", file)
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", file, err, stderr)
	}
	return len(r.Packets)
}

// headerDuration reads mvhd's duration (milliseconds, as camdeck writes)
// with go-mp4.
func headerDuration(t *testing.T, file string) uint64 {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	boxes, err := amp4.ExtractBoxWithPayload(f, nil, amp4.BoxPath{amp4.BoxTypeMoov(), amp4.BoxTypeMvhd()})
	if err != nil || len(boxes) != 1 {
		t.Fatalf("%s: mvhd: %v", file, err)
	}
	return boxes[0].Payload.(*amp4.Mvhd).GetDuration()
}

// lastMoof is the offset of the last part: its moof, or the prft before it.
func lastMoof(b []byte) int {
	last, prev, prevType := 0, 0, ""
	for off := 0; off+8 <= len(b); {
		size := int(be.BigEndian.Uint32(b[off:]))
		typ := string(b[off+4 : off+8])
		if typ == "moof" {
			last = off
			if prevType == "prft" {
				last = prev
			}
		}
		if size < 8 {
			break
		}
		prev, prevType = off, typ
		off += size
	}
	return last
}
