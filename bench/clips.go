package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/camdeck/camdeck/internal/fftest"
)

// clipSpec is a clip the bench encodes with ffmpeg/libx264 like an IP
// camera's stream: a closed GOP of 2 s, 2 B-frames, a capped bitrate.
// Sensor-like temporal noise keeps the bitrate (and the decoder's work) at
// what a camera sends rather than what a still test pattern needs.
type clipSpec struct {
	Name                  string
	W, H, FPS, Secs, Kbps int
}

// The 1080p30 clip is the camera of every decode, live and recording
// figure; the 720p25 one feeds the window's grid. Both are whole GOPs, so
// they loop without a jump that matters.
var (
	clipHD = clipSpec{Name: "1080p30", W: 1920, H: 1080, FPS: 30, Secs: 20, Kbps: 4000}
	clipSD = clipSpec{Name: "720p25", W: 1280, H: 720, FPS: 25, Secs: 10, Kbps: 4000}
)

// The frame number is burnt into the top-left corner as a barcode: bit i
// is a white or black cell barcodeCell pixels wide, so a screen grab tells
// which frame is shown (figure 3d).
const (
	barcodeBits = 16
	barcodeCell = 48
	barcodeH    = 32
)

// args are ffmpeg's inputs and options for the clip.
func (c clipSpec) args() []string {
	gop, k := fmt.Sprint(2*c.FPS), func(n int) string { return fmt.Sprintf("%dk", n) }
	return []string{
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%d", c.W, c.H, c.FPS, c.Secs),
		"-f", "lavfi", "-i", fmt.Sprintf("nullsrc=size=%dx%d:rate=%d:duration=%d,format=gray,"+
			"geq=lum='255*mod(floor(N/pow(2\\,floor(X/%d)))\\,2)'", barcodeBits*barcodeCell, barcodeH, c.FPS, c.Secs, barcodeCell),
		"-filter_complex", "[0:v]noise=alls=6:allf=t[n];[n][1:v]overlay=0:0:format=auto,format=yuv420p[v]", "-map", "[v]",
		"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
		"-bf", "2", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-x264-params", "open-gop=0",
		"-b:v", k(c.Kbps), "-maxrate", k(c.Kbps), "-bufsize", k(2 * c.Kbps), "-movflags", "+faststart",
	}
}

// make encodes the clip into dir unless it is there, and returns its
// path; the file name holds a hash of the encoding arguments.
func (c clipSpec) make(dir string) (string, error) {
	h := sha256.Sum256([]byte(strings.Join(c.args(), "\x00")))
	path := filepath.Join(dir, fmt.Sprintf("%s-%x.mp4", c.Name, h[:4]))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	os.MkdirAll(dir, 0o755)
	tmp := path + ".tmp.mp4"
	if err := fftest.Encode(tmp, c.args()...); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("bench: the %s clip: %w", c.Name, err)
	}
	return path, os.Rename(tmp, path)
}
