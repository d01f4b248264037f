package democam

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/camdeck/camdeck/assets"
)

// clockRate is the RTP clock of H.264 (RFC 6184).
const clockRate = 90000

// Frame is one access unit of a Clip, in decoding order.
type Frame struct {
	// NALUs of the access unit, without start codes.
	NALUs [][]byte
	// DTS and PTS in 90 kHz ticks from the start of the clip.
	DTS, PTS int64
	// Key is true for IDR frames.
	Key bool
}

// Clip is an H.264 sequence the server loops.
type Clip struct {
	SPS, PPS []byte
	Width    int
	Height   int
	// Frames in decoding order.
	Frames []Frame
	// Duration of one loop in 90 kHz ticks: where the next loop's DTS and PTS start.
	Duration int64
}

// FPS is the frame rate of the clip.
func (c *Clip) FPS() float64 {
	return float64(len(c.Frames)) * clockRate / float64(c.Duration)
}

// DefaultClip is the built-in demo clip (assets.DemoClip).
func DefaultClip() (*Clip, error) {
	return ParseMP4(assets.DemoClip)
}

// OpenClip is LoadClip, or DefaultClip when path is empty.
func OpenClip(path string) (*Clip, error) {
	if path == "" {
		return DefaultClip()
	}
	return LoadClip(path)
}

// BenchClipEnv names an H.264 file (MP4 or Annex-B) that benchmarks use
// instead of the built-in 720p demo clip: `make bench` sets it to its
// 1080p30 camera clip.
const BenchClipEnv = "CAMDECK_BENCH_CLIP"

// BenchClip is the clip of the benchmarks: the file BenchClipEnv names,
// or the built-in clip. It fails the benchmark if the clip cannot be read.
func BenchClip(b TB) *Clip {
	b.Helper()
	clip, err := OpenClip(os.Getenv(BenchClipEnv))
	if err != nil {
		b.Fatal(err)
	}
	return clip
}

// LoadClip reads an H.264 file, either MP4 or Annex-B.
func LoadClip(path string) (*Clip, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("democam: %w", err)
	}
	if bytes.HasPrefix(buf, []byte{0, 0, 0, 1}) || bytes.HasPrefix(buf, []byte{0, 0, 1}) {
		return ParseAnnexB(buf, 0)
	}
	return ParseMP4(buf)
}

// normalize shifts the clip so that the first presented frame has PTS 0 and
// checks that it starts with a keyframe.
func (c *Clip) normalize() error {
	if !c.Frames[0].Key {
		return errors.New("democam: the clip does not start with a keyframe")
	}
	minPTS := c.Frames[0].PTS
	for _, f := range c.Frames {
		minPTS = min(minPTS, f.PTS)
	}
	for i := range c.Frames {
		c.Frames[i].PTS -= minPTS
		c.Frames[i].DTS -= minPTS
	}
	return nil
}

// WithParams is the access unit a camera sends for f: its NAL units, with
// the clip's SPS and PPS in front when f is a keyframe that lacks them, so
// that a reader that missed the SDP (or joins late) can start decoding
// there.
func (c *Clip) WithParams(f *Frame) [][]byte {
	if !f.Key {
		return f.NALUs
	}
	for _, n := range f.NALUs {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			return f.NALUs
		}
	}
	au := make([][]byte, 0, len(f.NALUs)+2)
	au = append(au, c.SPS, c.PPS)
	return append(au, f.NALUs...)
}

func (c *Clip) readSize() error {
	if c.SPS == nil || c.PPS == nil {
		return errors.New("democam: no SPS/PPS in the H.264 stream")
	}
	var sps h264.SPS
	if err := sps.Unmarshal(c.SPS); err != nil {
		return fmt.Errorf("democam: bad SPS: %w", err)
	}
	c.Width, c.Height = sps.Width(), sps.Height()
	return nil
}
