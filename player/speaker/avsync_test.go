package speaker

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/pulse"
	"github.com/camdeck/camdeck/player/decode"
)

// TestBeepToFrame plays a camera's audio through a private PulseAudio
// server as TestPlaysThroughSoundServer does, and takes its pictures from
// the decoder's slot as the window does: each beep (clip time k+0.5 s) is
// heard how long after the picture of that clip time was ready to show,
// which is logged with what the overlay's A/V would say. The figure is
// not asserted (the issue asks for under 80 ms; the sound's buffers,
// jitter 40 ms, oto's player 50 ms and the device's 100 ms, put it near
// 200 ms while the picture is shown as soon as it is decoded): the test
// asserts that the beeps were heard and matched to their pictures.
//
// It runs in a process of its own: oto opens one device per process, and
// TestPlaysThroughSoundServer's is on another sound server.
func TestBeepToFrame(t *testing.T) {
	if os.Getenv("CAMDECK_BEEP_CHILD") != "1" {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, exe, "-test.run", "^TestBeepToFrame$", "-test.v", "-test.timeout", "3m")
		cmd.Env = append(os.Environ(), "CAMDECK_BEEP_CHILD=1")
		out, err := cmd.CombinedOutput()
		t.Logf("child:\n%s", out)
		if err != nil {
			t.Fatalf("child: %v", err)
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skip("the child skipped")
		}
		return
	}
	srv, dev := soundServer(t)
	url := avCamera(t, beepAudio)

	capture := srv.Capture(t)
	stream := &Stream{}
	dev.Play(stream)
	defer stream.Close()
	type stamp struct {
		pts time.Duration
		at  time.Time
	}
	var mu sync.Mutex
	var writes, shown []stamp
	var reported []float64 // what the overlay would say, ms
	audio := &decode.Audio{Out: func(c decode.AudioChunk) {
		stream.WriteNTP(c.PCM, c.NTP)
		mu.Lock()
		writes = append(writes, stamp{c.PTS, time.Now()})
		mu.Unlock()
	}}
	slot := decode.NewFrameSlot()
	video := &decode.Decoder{Slot: slot, Threads: 1}
	s := watch(t, url, audio, video)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-slot.Ready():
			if f := slot.Take(); f != nil {
				slot.Release(f.Image)
				mu.Lock()
				shown = append(shown, stamp{f.PTS, time.Now()})
				if at, playing := stream.Playing(); playing && !at.IsZero() && !f.NTP.IsZero() {
					reported = append(reported, float64(at.Sub(f.NTP).Milliseconds()))
				}
				mu.Unlock()
			}
		case <-time.After(time.Second):
		}
		mu.Lock()
		n := len(writes)
		played := time.Duration(0)
		if n > 0 {
			played = writes[n-1].pts - writes[0].pts
		}
		mu.Unlock()
		if played >= 6*time.Second {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v of audio in 60 s, want 6 s", played)
		}
	}
	time.Sleep(300 * time.Millisecond)
	s.Close()
	pcm := capture.Stop()
	heard := onsets(pcm, pulse.Rate)
	mu.Lock()
	defer mu.Unlock()
	var offsets []float64
	for _, h := range heard {
		at := capture.Started.Add(time.Duration(h * float64(time.Second)))
		// The beep's clip time: that of the decoded unit holding a
		// beep's start soonest before it was heard (as in
		// TestPlaysThroughSoundServer).
		beep, best := time.Duration(-1), time.Duration(-1)
		for _, w := range writes {
			b := w.pts.Truncate(time.Second) + 500*time.Millisecond
			if off := b - w.pts; off >= 0 && off < 200*time.Millisecond {
				if d := at.Sub(w.at.Add(off)); d > -100*time.Millisecond && (best < 0 || d < best) {
					beep, best = b, d
				}
			}
		}
		if beep < 0 {
			continue
		}
		for _, f := range shown {
			if f.pts >= beep-20*time.Millisecond {
				offsets = append(offsets, at.Sub(f.at).Seconds()*1000)
				t.Logf("beep at clip %v heard %v after its picture (clip %v) was ready", beep, at.Sub(f.at).Round(time.Millisecond), f.pts)
				break
			}
		}
	}
	t.Logf("beeps heard at %.3f s; heard after their picture was ready (ms): %.0f, median %.0f", heard, offsets, median(offsets))
	if len(reported) > 0 {
		t.Logf("the overlay's A/V (sound playing less the picture ready, by sender's wallclock): median %.0f ms of %d", median(reported), len(reported))
	}
	if len(offsets) < 4 {
		t.Fatalf("%d beeps matched to pictures, want 4 or more", len(offsets))
	}
}
