// Package player is camdeck's live engine: one Session per camera pulls a
// stream (RTSP, RTSPS or raw RTP), depacketizes it into access units on the
// network goroutine, and hands them to sinks (the decoder, a recorder),
// each behind its own bounded queue.
package player

import (
	"fmt"
	"time"
)

// Codec is the codec of a track.
type Codec int

// Codecs camdeck reads. Video is decoded and recorded; audio is decoded
// (player/decode) and recorded (AAC and G.711).
const (
	CodecUnknown Codec = iota
	CodecH264
	CodecH265
	CodecMJPEG
	CodecAAC   // MPEG-4 audio
	CodecG711A // PCMA
	CodecG711U // PCMU
	CodecOpus
)

func (c Codec) String() string {
	switch c {
	case CodecH264:
		return "H.264"
	case CodecH265:
		return "H.265"
	case CodecMJPEG:
		return "MJPEG"
	case CodecAAC:
		return "AAC"
	case CodecG711A:
		return "G.711 A-law"
	case CodecG711U:
		return "G.711 µ-law"
	case CodecOpus:
		return "Opus"
	}
	return "unknown"
}

// IsVideo tells whether the codec is a video codec.
func (c Codec) IsVideo() bool {
	return c == CodecH264 || c == CodecH265 || c == CodecMJPEG
}

// Track is one media of a stream, as the SDP describes it. A Track is not
// modified after the session hands it to sinks, but for the parameter sets
// that Params returns.
type Track struct {
	Codec     Codec
	ClockRate int // RTP clock, ticks per second

	// Video. Parameter sets from the SDP (nil when the camera sends them
	// only in-band; Params has the current ones); size and declared rate
	// from the SDP's SPS when known.
	VPS, SPS, PPS []byte
	Width, Height int
	FPS           float64
	Profile       string // e.g. "High 4.1"

	// Audio.
	SampleRate int
	Channels   int
	AACConfig  []byte // AudioSpecificConfig, for AAC

	live *liveParams // current parameter sets of a session's H.264/H.265 track
}

func (t *Track) String() string {
	switch {
	case t.Codec.IsVideo() && t.Width > 0:
		s := fmt.Sprintf("%s %dx%d", t.Codec, t.Width, t.Height)
		if t.Profile != "" {
			s = fmt.Sprintf("%s (%s) %dx%d", t.Codec, t.Profile, t.Width, t.Height)
		}
		if t.FPS > 0 {
			s += fmt.Sprintf(" %.4g fps", t.FPS)
		}
		return s
	case !t.Codec.IsVideo() && t.SampleRate > 0:
		return fmt.Sprintf("%s %d Hz %d ch", t.Codec, t.SampleRate, t.Channels)
	}
	return t.Codec.String()
}

// Unit is one access unit: a whole video frame or a group of audio frames.
// Units are immutable and shared by every sink.
type Unit struct {
	Track *Track
	// Payload: NAL units without start codes (H.264, H.265), one JPEG
	// image (MJPEG), AAC access units, G.711 samples or one Opus packet. A session's
	// H.264/H.265 units hold no access unit delimiters, and parameter sets
	// only at the front of a keyframe: the track's current ones, whether
	// the camera sent them with this frame, earlier, or only in the SDP.
	Data [][]byte
	// PTS in Track.ClockRate ticks, unwrapped, counted from the connection.
	PTS int64
	// NTP is the sender's wallclock for PTS from RTCP sender reports;
	// zero until the first report.
	NTP time.Time
	// Arrival is when the unit's last packet was received.
	Arrival time.Time
	// Key is true when decoding can start here.
	Key bool
	// AfterLoss is true when packets of this track were lost (or
	// rejected) since its previous unit: the unit is whole, but frames it
	// refers to may be damaged or missing.
	AfterLoss bool
}

// PTSDuration is the unit's PTS as a duration.
func (u *Unit) PTSDuration() time.Duration {
	return TicksDuration(u.PTS, u.Track.ClockRate)
}

// TicksDuration is ticks of a clock of rate per second as a duration. It
// divides first: ticks * time.Second overflows an int64 after about 28
// hours of a 90 kHz clock, which one connection of a camera that records
// day and night reaches.
func TicksDuration(ticks int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(ticks/r)*time.Second + time.Duration(ticks%r)*time.Second/time.Duration(r)
}

// VideoTrack returns the first video track, or nil.
func VideoTrack(tracks []*Track) *Track {
	for _, t := range tracks {
		if t.Codec.IsVideo() {
			return t
		}
	}
	return nil
}
