package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// server is the demo camera, run by the helper in a process of its own.
type server struct {
	p       *proc
	url     string
	started time.Time // about when its shared feed started: keyframes follow every GOP
}

// startServer serves clip (shared: one live feed, readers join mid-GOP).
func (b *bench) startServer(clip string) (*server, error) {
	p, err := startProc(nil, b.helper, "serve", "-clip", clip)
	if err != nil {
		return nil, err
	}
	url, err := p.line(30 * time.Second)
	if err != nil {
		p.stop(5 * time.Second)
		return nil, err
	}
	if !strings.HasPrefix(url, "rtsp://") {
		p.stop(5 * time.Second)
		return nil, fmt.Errorf("bench: the server printed %q, not a URL", url)
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

// drain collects the stdout lines of a child that has exited.
func drain(p *proc) []string {
	var out []string
	for l := range p.lines {
		out = append(out, l)
	}
	return out
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

// liveResult is the helper's report of a live run (see cmd/camdeck-bench).
type liveResult struct {
	Cameras     int     `json:"cameras"`
	Frames      uint64  `json:"frames"`
	Taken       uint64  `json:"taken"`
	Errors      uint64  `json:"errors"`
	Dropped     uint64  `json:"dropped"`
	PacketsLost uint64  `json:"packets_lost"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	FPS         float64 `json:"fps"`
}
