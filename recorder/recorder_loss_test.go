package recorder

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/rtptest"
	"github.com/camdeck/camdeck/player"
)

// rawRTP is a raw-RTP session (an SDP file) on a free loopback port and a
// connection that sends the demo clip's H.264 packets to it.
type rawRTP struct {
	clip *democam.Clip
	*rtptest.Camera
}

func newRawRTP(t *testing.T) *rawRTP {
	t.Helper()
	return newRawRTPSDP(t, true)
}

// newRawRTPSDP is newRawRTP with the parameter sets in the SDP or not.
func newRawRTPSDP(t *testing.T, sdpParams bool) *rawRTP {
	t.Helper()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	return &rawRTP{clip: clip, Camera: rtptest.Start(t, clip, sdpParams)}
}

// TestRecordKeepsDamagedGOP: a video packet lost mid-GOP costs the
// recording only the frame it belonged to; the frames after it, up to the
// next keyframe, are kept (the recorder is a player.LossKeeper), their
// decode times go on increasing, and FFmpeg decodes the file to the end.
func TestRecordKeepsDamagedGOP(t *testing.T) {
	t.Parallel()
	src := newRawRTP(t)
	const frames, lost = 75, 30 // keyframes at 0 and 50
	if src.clip.Frames[lost].Key || !src.clip.Frames[50].Key {
		t.Fatal("the demo clip's GOP is not what the test expects")
	}
	segments := make(chan string, 4)
	rec := &Recorder{Dir: t.TempDir(), Camera: "cam",
		OnSegment: func(path string, _ time.Duration) { segments <- path },
		OnError:   func(err error) { t.Errorf("recorder: %v", err) }}
	opened := make(chan struct{})
	rec.OnSegmentOpen = func(string, time.Time) { close(opened) }
	s := &player.Session{URL: src.SDP, Timeout: 30 * time.Second, Logf: t.Logf}
	s.AddSink(rec, QueueSize)
	counter := &unitCounter{}
	s.AddSink(counter, QueueSize)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	pkts := rtptest.Packets(t, src.clip, frames)
	if len(pkts[lost]) < 2 {
		t.Fatalf("frame %d is one packet; the test loses its first fragment", lost)
	}
	var seq uint16
	tick := time.NewTicker(40 * time.Millisecond) // the clip's pace: the recorder's clock follows arrival
	defer tick.Stop()
	for i := range frames {
		<-tick.C
		for j, p := range pkts[i] {
			p.SequenceNumber = seq
			seq++
			if i == lost && j == 0 {
				continue // lost in the network
			}
			src.Send(t, p)
		}
	}
	// Once the counter has every whole frame, so has the recorder's queue:
	// RemoveSink delivers what is queued, then finishes the file.
	poll.Until(t, 30*time.Second, "the session to deliver every whole frame", func() bool {
		return counter.n.Load() >= frames-1
	})
	select {
	case <-opened:
	default:
		t.Fatal("no segment was opened")
	}
	if st := s.Stats(); st.PacketsLost != 1 {
		t.Fatalf("session %+v: want 1 packet lost", st)
	}
	file := finishRecording(t, s, rec, segments)
	pk := probePackets(t, file)
	if len(pk) != frames-1 {
		t.Fatalf("%d frames in the file, want %d: every whole frame but the damaged one", len(pk), frames-1)
	}
	for i := 1; i < len(pk); i++ {
		if *pk[i].DTS <= *pk[i-1].DTS {
			t.Fatalf("packet %d: DTS %d after %d", i, *pk[i].DTS, *pk[i-1].DTS)
		}
	}
	// The missing reference costs the decoder a few concealed macroblocks,
	// not the file: FFmpeg reads it to the end and outputs every frame.
	out, stderr, err := fftest.Run(t, 60*time.Second, "ffprobe", "-v", "error", "-count_frames",
		"-select_streams", "v", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file)
	if err != nil {
		t.Fatalf("ffprobe decoding %s: %v\n%s", file, err, stderr)
	}
	if got := fmt.Sprint(frames - 1); trimLine(out) != got {
		t.Fatalf("ffprobe decoded %q frames, want %s\n%s", out, got, stderr)
	}
	if _, stderr, err := fftest.Run(t, 60*time.Second, "ffmpeg", "-v", "fatal", "-i", file, "-f", "null", "-"); err != nil {
		t.Fatalf("ffmpeg decoding %s: %v\n%s", file, err, stderr)
	}
}

// finishRecording detaches the recorder once it has been given what the
// session delivered, and returns the segment it finished.
func finishRecording(t *testing.T, s *player.Session, rec *Recorder, segments <-chan string) string {
	t.Helper()
	s.RemoveSink(rec)
	rec.Close()
	select {
	case file := <-segments:
		return file
	case <-time.After(30 * time.Second):
		t.Fatalf("no segment was finished: %+v", rec.Status())
	}
	return ""
}

// unitCounter is a sink that counts the video units it is given, lost
// packets or not, to know when the session has delivered a stream.
type unitCounter struct{ n atomic.Int64 }

func (c *unitCounter) OnStream([]*player.Track)  {}
func (c *unitCounter) OnStreamEnd(error)         {}
func (c *unitCounter) KeepsUnitsAfterLoss() bool { return true }
func (c *unitCounter) OnUnit(u *player.Unit) {
	if u.Track.Codec.IsVideo() {
		c.n.Add(1)
	}
}

func trimLine(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r' || s[len(s)-1] == ' ') {
		s = s[:len(s)-1]
	}
	return s
}
