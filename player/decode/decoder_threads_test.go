package decode

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// osThreads counts the process's threads.
func osThreads(t *testing.T) int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc/self/task:", err)
	}
	return len(tasks)
}

// TestDecoderThreads: 16 decoders of the 720p demo clip, each with a
// frame decoded, start about one CPU's worth of threads in all, not
// NumCPU each.
func TestDecoderThreads(t *testing.T) {
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	track := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height}
	before := osThreads(t)
	const cameras = 16
	var decs []*Decoder
	for range cameras {
		d := &Decoder{Slot: NewFrameSlot()}
		d.OnStream([]*player.Track{track})
		for _, fr := range clip.Frames[:3] {
			d.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS, Arrival: time.Now(), Key: fr.Key})
		}
		if d.Stats().Frames == 0 {
			t.Fatal("no frame decoded")
		}
		decs = append(decs, d)
	}
	added := osThreads(t) - before
	for _, d := range decs {
		d.OnStreamEnd(nil)
	}
	// One CPU's worth of slice threads, plus slack for the Go runtime.
	limit := runtime.NumCPU() + 4
	t.Logf("%d decoders added %d threads (%d CPUs)", cameras, added, runtime.NumCPU())
	if added > limit {
		t.Fatalf("%d decoders added %d threads, want at most %d", cameras, added, limit)
	}
	if free := takeThreads(1 << 20); free != runtime.NumCPU() {
		t.Fatalf("%d threads back in the budget after closing, want %d", free, runtime.NumCPU())
	} else {
		giveThreads(free)
	}
}
