package democam

import "testing"

// FuzzParseAnnexB: `camdeck serve FILE` must reject a broken H.264 file
// with an error, never crash on it; a clip it accepts is playable.
func FuzzParseAnnexB(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xd9, 0, 0x50, 0x05, 0xbb, 0x01, 0x10, 0, 0, 3, 0, 0x10, 0, 0, 3, 3, 0x20, 0xf1, 0x62, 0xe4, 0x80,
		0, 0, 0, 1, 0x68, 0xcb, 0x83, 0xcb, 0x20, 0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseAnnexB(data, 25)
		if err != nil {
			return
		}
		if len(c.Frames) == 0 || !c.Frames[0].Key || c.Duration <= 0 {
			t.Fatalf("accepted an unplayable clip: %d frames, duration %d", len(c.Frames), c.Duration)
		}
	})
}
