package player

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
)

// benchTrack describes a clip as the session would from its SDP.
func benchTrack(clip *democam.Clip) *Track {
	t := &Track{Codec: CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS}
	t.describeH264(clip.SPS)
	return t
}

// BenchmarkDepacketize measures the network goroutine's work per access
// unit: RTP packets of one frame (FU-A fragments at a 1,460-byte MTU, as
// cameras send) reassembled into a unit and copied out of the packet
// buffers. One op is one unit; the bytes are the clip's mean unit size.
func BenchmarkDepacketize(b *testing.B) {
	clip := democam.BenchClip(b)
	f := &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS}
	enc, err := f.CreateEncoder()
	if err != nil {
		b.Fatal(err)
	}
	units := make([][]*rtp.Packet, len(clip.Frames))
	total := 0
	for i, fr := range clip.Frames {
		if units[i], err = enc.Encode(fr.NALUs); err != nil {
			b.Fatal(err)
		}
		for _, n := range fr.NALUs {
			total += len(n)
		}
	}
	d, err := newTrack(f)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(clipName(clip), func(b *testing.B) {
		b.SetBytes(int64(total / len(units)))
		b.ReportAllocs()
		got := 0
		for i := 0; b.Loop(); i++ {
			k := i % len(units)
			for _, pkt := range units[k] {
				u, err := d.push(pkt, clip.Frames[k].PTS)
				if err != nil {
					b.Fatal(err)
				}
				if u != nil {
					got++
				}
			}
		}
		if got == 0 {
			b.Fatal("no unit came out")
		}
	})
}

// BenchmarkCopyData measures the copy of a unit out of the packet buffers
// alone, for a large (key) frame and a typical one.
func BenchmarkCopyData(b *testing.B) {
	clip := democam.BenchClip(b)
	largest, typical := clip.Frames[0].NALUs, clip.Frames[len(clip.Frames)/2].NALUs
	for _, fr := range clip.Frames {
		if size(fr.NALUs) > size(largest) {
			largest = fr.NALUs
		}
	}
	for _, c := range []struct {
		name string
		data [][]byte
	}{{"key", largest}, {"typical", typical}} {
		b.Run(clipName(clip)+"/"+c.name, func(b *testing.B) {
			b.SetBytes(int64(size(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				_ = copyData(c.data)
			}
		})
	}
}

func size(parts [][]byte) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

func clipName(c *democam.Clip) string {
	return itoa(c.Width) + "x" + itoa(c.Height)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
