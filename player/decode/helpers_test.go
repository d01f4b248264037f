package decode

import (
	"strconv"
	"testing"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// watch starts s with a decoder scaling to 640x360 and returns the
// decoder; the session is closed when the test ends.
func watch(t *testing.T, s *player.Session) *Decoder {
	t.Helper()
	dec := &Decoder{Slot: NewFrameSlot()}
	dec.SetOutputSize(640, 360)
	if s.Logf == nil {
		s.Logf = t.Logf
	}
	s.AddSink(dec, 0)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return dec
}

// benchTrack describes a clip as the session would from its SDP.
func benchTrack(clip *democam.Clip) *player.Track {
	return &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height}
}

func clipName(c *democam.Clip) string {
	return strconv.Itoa(c.Width) + "x" + strconv.Itoa(c.Height)
}
