package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// server is the demo camera, `camdeck serve`, in a process of its own so
// that its CPU is never counted for either side.
type server struct {
	p       *proc
	url     string
	started time.Time // about when its shared feed started: keyframes follow every GOP
}

// startServer serves clip over TCP, shared: one live feed that readers
// join mid-GOP, as with a real camera.
func (b *bench) startServer(clip string) (*server, error) {
	p, err := startProc(nil, b.camdeck, "serve", "--addr", "127.0.0.1:0", "--shared", "--tcp-only", clip)
	if err != nil {
		return nil, err
	}
	url, err := p.waitLine(30*time.Second, func(l string) bool { return strings.HasPrefix(l, "rtsp://") })
	if err != nil {
		p.stop(5 * time.Second)
		return nil, err
	}
	return &server{p: p, url: url, started: time.Now()}, nil
}

func (s *server) close() { s.p.stop(5 * time.Second) }

// helperResult finds the helper's JSON result among its output lines.
func helperResult(lines []string, v any) error {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "{") {
			if err := json.Unmarshal([]byte(lines[i]), v); err != nil {
				return fmt.Errorf("bench: helper result: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("bench: the helper printed no result")
}

var frameRE = regexp.MustCompile(`frame=\s*(\d+)`)

// ffmpegFrames reads the last frame count of ffmpeg's statistics.
func ffmpegFrames(stderr string) (int, error) {
	m := frameRE.FindAllStringSubmatch(stderr, -1)
	if len(m) == 0 {
		return 0, fmt.Errorf("bench: no frame count in ffmpeg's output")
	}
	return strconv.Atoi(m[len(m)-1][1])
}

// ffmpegArgs starts every ffmpeg command line of the bench: no banner, no
// keyboard, progress statistics on (for the frame count).
func ffmpegArgs(args ...string) []string {
	return append([]string{"-hide_banner", "-nostdin", "-stats"}, args...)
}

// threadsArg is the -threads value of both sides.
func (b *bench) threadsArg() string { return strconv.Itoa(b.cfg.Threads) }

// trialOrder runs two sides of trial i back to back, alternating which
// goes first.
func trialOrder(i int, a, b func()) {
	if i%2 == 0 {
		a()
		b()
	} else {
		b()
		a()
	}
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
