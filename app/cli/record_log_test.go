package cli

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/rtptest"
)

// TestRecordLiveAgain: after `(retrying)` lines, the camera coming back
// is said too.
func TestRecordLiveAgain(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	srv := democam.StartForTest(t, &democam.Server{DropAfter: 2 * time.Second})
	_, errOut := runOK(t, "record", "--out", t.TempDir(), "--duration", "6s", "cam="+srv.URL())
	retry := strings.Index(errOut, "(retrying)")
	if retry < 0 || !strings.Contains(errOut[retry:], "cam: live again") {
		t.Fatalf("stderr %q: want a live again line after (retrying)", errOut)
	}
}

// TestRecordLogLinesHaveNoTimestamp: the engine's log lines (here, a
// packet the depacketizer rejects) look like every other stderr line.
func TestRecordLogLinesHaveNoTimestamp(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	cam := rtptest.Start(t, clip, true)
	p := startRecord(t, "--out", t.TempDir(), "--duration", "3s", "cam="+cam.SDP)

	gop := rtptest.Packets(t, clip, 50) // sent again and again
	var seq uint16
	for i := 0; i < 200 && !p.ended(); i++ {
		pkts := slices.Clip(gop[i%50])
		if i%10 == 5 { // an STAP-B, which no camera should send
			pkts = append(pkts, &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96}, Payload: []byte{25, 0, 0}})
		}
		for _, pk := range pkts {
			pk.SequenceNumber, pk.Timestamp = seq, uint32(i*3600)
			seq++
			b, _ := pk.Marshal()
			_, _ = cam.Conn.Write(b)
		}
		time.Sleep(40 * time.Millisecond)
	}
	_ = p.wait()
	stderr := p.stderr.String()
	if !strings.Contains(stderr, "player: cam: ") {
		t.Fatalf("stderr %q: want a player: line about the bad packet", stderr)
	}
	stamp := regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d`)
	if stamp.MatchString(stderr) {
		t.Fatalf("stderr %q: a line with a timestamp prefix", stderr)
	}
}
