//go:build !nodecode

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/camdeck/camdeck/player"
)

func init() {
	commands["probe"] = command{
		usage: "[--json] [--transport tcp|udp|multicast|auto] URL",
		help:  "connect to a camera and describe its stream and time to first frame",
		run:   runProbe,
	}
}

// probeReport is what probe prints.
type probeReport struct {
	URL          string       `json:"url"`
	Transport    string       `json:"transport"`
	Tracks       []trackEntry `json:"tracks"`
	FirstFrameMS int64        `json:"first_frame_ms"`
	// TLSFingerprint is the SHA-256 of an rtsps:// camera's certificate,
	// for --tls-fingerprint.
	TLSFingerprint string `json:"tls_fingerprint,omitempty"`
}

type trackEntry struct {
	Type       string  `json:"type"`
	Codec      string  `json:"codec"`
	Profile    string  `json:"profile,omitempty"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	FPS        float64 `json:"fps,omitempty"`
	SampleRate int     `json:"sample_rate,omitempty"`
	Channels   int     `json:"channels,omitempty"`
}

func runProbe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "probe")
	var cf connectFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	sess, err := cf.session(pos[0], "")
	if err != nil {
		return err
	}
	rate := newFrameRate()
	sess.AddSink(rate, 0)
	var fingerprint atomic.Value
	sess.OnCertificate = func(fp string) { fingerprint.Store(fp) }
	frame, live, ttff, err := firstFrame(ctx, sess, cf.timeout, rate.done)
	if err != nil {
		return err
	}

	rep := probeReport{URL: sess.Name, FirstFrameMS: ttff.Milliseconds()}
	rep.TLSFingerprint, _ = fingerprint.Load().(string)
	var lines []string
	if live != nil {
		rep.Transport = live.Transport
		for _, track := range live.Tracks {
			t := *track
			typ := "audio"
			if t.Codec.IsVideo() {
				typ = "video"
				// The decoded frame is the truth when the SDP had no SPS.
				t.Width, t.Height = frame.SourceWidth, frame.SourceHeight
				if t.FPS == 0 { // MJPEG, or an SPS without timing
					t.FPS = rate.fps()
				}
			}
			rep.Tracks = append(rep.Tracks, trackEntry{Type: typ, Codec: t.Codec.String(), Profile: t.Profile,
				Width: t.Width, Height: t.Height, FPS: t.FPS, SampleRate: t.SampleRate, Channels: t.Channels})
			lines = append(lines, fmt.Sprintf("  %-12s %s", typ+":", t.String()))
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintln(env.Stdout, rep.URL)
	fmt.Fprintf(env.Stdout, "  %-12s %s\n", "transport:", rep.Transport)
	for _, l := range lines {
		fmt.Fprintln(env.Stdout, l)
	}
	fmt.Fprintf(env.Stdout, "  %-12s %d ms\n", "first frame:", rep.FirstFrameMS)
	if rep.TLSFingerprint != "" {
		fmt.Fprintf(env.Stdout, "  %-12s sha256 %s\n", "certificate:", rep.TLSFingerprint)
	}
	return nil
}

// rateUnits is how many frames measure a stream's rate from its
// timestamps when nothing declares it: a few tenths of a second of video.
const rateUnits = 10

// frameRate measures the frame rate of a stream that does not declare one
// (MJPEG) from the RTP times of its first video units. done is closed when
// it has enough, or at once when the stream declares its rate.
type frameRate struct {
	done chan struct{}

	mu     sync.Mutex
	clock  int
	pts    []int64
	closed bool
}

func newFrameRate() *frameRate { return &frameRate{done: make(chan struct{})} }

func (r *frameRate) finish() {
	if !r.closed {
		r.closed = true
		close(r.done)
	}
}

// OnStream implements player.Sink.
func (r *frameRate) OnStream(tracks []*player.Track) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := player.VideoTrack(tracks)
	if v == nil || v.FPS > 0 {
		r.finish()
		return
	}
	r.clock = v.ClockRate
}

// OnUnit implements player.Sink.
func (r *frameRate) OnUnit(u *player.Unit) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !u.Track.Codec.IsVideo() || r.closed {
		return
	}
	r.pts = append(r.pts, u.PTS)
	if len(r.pts) >= rateUnits {
		r.finish()
	}
}

// OnStreamEnd implements player.Sink.
func (r *frameRate) OnStreamEnd(error) {}

// fps is the rate the timestamps give, to 0.01 fps; 0 if unknown.
func (r *frameRate) fps() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pts) < 2 || r.clock == 0 {
		return 0
	}
	lo, hi := slices.Min(r.pts), slices.Max(r.pts) // B-frames come out of order
	if hi == lo {
		return 0 // constant timestamps say nothing
	}
	return math.Round(float64(len(r.pts)-1)*float64(r.clock)/float64(hi-lo)*100) / 100
}
