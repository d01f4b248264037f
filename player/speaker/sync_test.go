package speaker

import (
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/player/decode"
)

// TestCameraNTP plays a camera's audio and video (GStreamer's RTSP
// server, which sends RTCP sender reports for both tracks) into a stream
// and a frame slot, without a sound device: once the reports came, the
// decoded pictures and the stream's sound carry the sender's wallclock,
// and the offset of the sound playing to the newest picture is theirs.
// Its size is only logged: this server's reports put the two tracks
// seconds apart (from -2.5 to +1.6 s, moving during a session) while it
// sends them in step, so it says nothing of camdeck's buffers.
func TestCameraNTP(t *testing.T) {
	url := avCamera(t, "sine=frequency=1000:sample_rate=48000:duration=20")

	stream := &Stream{}
	stream.init()
	var mu sync.Mutex
	var chunks, withNTP int
	audio := &decode.Audio{Out: func(c decode.AudioChunk) {
		stream.WriteNTP(c.PCM, c.NTP)
		mu.Lock()
		chunks++
		if !c.NTP.IsZero() {
			withNTP++
		}
		mu.Unlock()
	}}
	slot := decode.NewFrameSlot()
	video := &decode.Decoder{Slot: slot, Threads: 1}
	s := watch(t, url, audio, video)

	var offsets []time.Duration
	deadline := time.Now().Add(60 * time.Second)
	for len(offsets) < 20 {
		if time.Now().After(deadline) {
			mu.Lock()
			t.Fatalf("%d offsets in 60 s; %d audio chunks (%d with NTP); audio %+v, video %+v",
				len(offsets), chunks, withNTP, audio.Stats(), video.Stats())
		}
		select {
		case <-slot.Ready():
		case <-time.After(time.Second):
			continue
		}
		f := slot.Take()
		if f == nil {
			continue
		}
		slot.Release(f.Image)
		at, playing := stream.Playing()
		if !playing || at.IsZero() || f.NTP.IsZero() {
			continue // no report yet
		}
		offsets = append(offsets, at.Sub(f.NTP))
	}
	s.Close()
	t.Logf("sound playing less the newest picture, by sender's wallclock: %v (median %v)", offsets, medianDuration(offsets))
}

func medianDuration(v []time.Duration) time.Duration {
	f := make([]float64, len(v))
	for i, d := range v {
		f[i] = float64(d)
	}
	return time.Duration(median(f))
}
