package recorder

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

// TestFinishedSegmentMfra: a finished segment ends with an mfra whose
// mfro gives its size; it lists one entry per keyframe (parts of a
// second, a keyframe every 2 s), each pointing at a moof and carrying
// the keyframe's presentation time as ffprobe reads it; ffmpeg decodes
// the file without a complaint. It failed before: files ended with
// their last mdat.
func TestFinishedSegmentMfra(t *testing.T) {
	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.feed(10 * 25)
	rec.Close()
	files := s.files()
	if len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	if len(b) < 16 || string(b[len(b)-12:len(b)-8]) != "mfro" {
		t.Fatal("the file does not end with an mfro")
	}
	mfra := b[len(b)-int(be.Uint32(b[len(b)-4:])):]
	if string(mfra[4:8]) != "mfra" || string(mfra[12:16]) != "tfra" {
		t.Fatalf("the mfro points at %q, not an mfra holding a tfra", mfra[4:8])
	}
	n := int(be.Uint32(mfra[28:32]))
	var times []int64
	for i := range n {
		e := mfra[32+i*28:] // time, moof offset (8 bytes each), traf, trun, sample (4)
		tm, moof := int64(be.Uint64(e)), int64(be.Uint64(e[8:]))
		if string(b[moof+4:moof+8]) != "moof" {
			t.Fatalf("entry %d points at %q, not a moof", i, b[moof+4:moof+8])
		}
		times = append(times, tm)
	}
	keyframes := func(args ...string) []float64 {
		r, stderr, err := fftest.Probe(t, time.Minute, append(args, "-select_streams", "v", "-show_packets", files[0])...)
		if err != nil {
			t.Fatalf("ffprobe: %v\n%s", err, stderr)
		}
		var keys []float64
		for _, p := range r.Packets {
			if len(p.Flags) > 0 && p.Flags[0] == 'K' {
				keys = append(keys, fftest.Seconds(p.PTSTime))
			}
		}
		return keys
	}
	keys := keyframes()
	// ffmpeg told to take the fragments' times from the mfra finds the
	// same times as from the moofs.
	if byMfra := keyframes("-use_mfra_for", "pts"); fmt.Sprint(byMfra) != fmt.Sprint(keys) {
		t.Errorf("keyframes at %v by the mfra, at %v by the moofs", byMfra, keys)
	}
	if len(keys) != 5 || len(times) != len(keys) {
		t.Fatalf("%d entries for %d keyframes, want 5 of each", len(times), len(keys))
	}
	// Times are on the presentation timeline, as ffprobe shows it.
	for i := range keys {
		if got := float64(times[i]) / 90000; math.Abs(got-keys[i]) > 1.0/90000 {
			t.Errorf("entry %d at %.4f s, keyframe at %.4f s", i, got, keys[i])
		}
	}
	fftest.DecodesClean(t, files[0])
}
