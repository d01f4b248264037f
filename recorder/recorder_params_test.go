package recorder

import (
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/player"
)

// TestRecordJoinsParamsSentOnce: a camera announces no parameter sets in
// its SDP and sends them once, before its first keyframe; a recorder
// attached later (recording switched on while watching) still records
// from the next keyframe, since the player puts the track's current
// parameter sets in front of every keyframe. Failed before the player
// normalized units: the recorder never learnt them and wrote nothing.
func TestRecordJoinsParamsSentOnce(t *testing.T) {
	t.Parallel()
	src := newRawRTPSDP(t, false)
	const frames, join, key = 110, 10, 50 // keyframes at 0, 50 and 100
	if !src.clip.Frames[key].Key || !src.clip.Frames[100].Key {
		t.Fatal("the demo clip's GOP is not what the test expects")
	}
	enc, err := (&format.H264{PayloadTyp: 96, PacketizationMode: 1}).CreateEncoder()
	if err != nil {
		t.Fatal(err)
	}
	pkts := make([][]*rtp.Packet, frames)
	for i, fr := range src.clip.Frames[:frames] {
		au := fr.NALUs
		if i == 0 {
			au = append([][]byte{src.clip.SPS, src.clip.PPS}, au...)
		}
		if pkts[i], err = enc.Encode(au); err != nil {
			t.Fatal(err)
		}
		for _, p := range pkts[i] {
			p.Timestamp = uint32(fr.PTS)
		}
	}

	segments := make(chan string, 4)
	rec := &Recorder{Dir: t.TempDir(), Camera: "cam",
		OnSegment: func(path string, _ time.Duration) { segments <- path },
		OnError:   func(err error) { t.Errorf("recorder: %v", err) }}
	s := &player.Session{URL: src.SDP, Timeout: 30 * time.Second, Logf: t.Logf}
	counter := &unitCounter{}
	s.AddSink(counter, QueueSize)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	tick := time.NewTicker(40 * time.Millisecond) // the clip's pace: the recorder's clock follows arrival
	defer tick.Stop()
	for i := range frames {
		if i == join {
			// Every unit sent so far has come out, the parameter sets with
			// the first.
			poll.Until(t, 30*time.Second, "the first units", func() bool { return counter.n.Load() >= join })
			s.AddSink(rec, QueueSize)
		}
		<-tick.C
		for _, p := range pkts[i] {
			src.Send(t, p)
		}
	}
	poll.Until(t, 30*time.Second, "the session to deliver every frame", func() bool {
		return counter.n.Load() >= frames
	})
	file := finishRecording(t, s, rec, segments)
	if pk := probePackets(t, file); len(pk) != frames-key {
		t.Fatalf("%d frames in the file, want %d: from the keyframe after joining to the end", len(pk), frames-key)
	}
	fftest.DecodesClean(t, file)
}
