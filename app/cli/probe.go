package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
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
	var fingerprint atomic.Value
	sess.OnCertificate = func(fp string) { fingerprint.Store(fp) }
	frame, live, ttff, err := firstFrame(ctx, sess, cf.timeout)
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
