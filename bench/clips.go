package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// clipSpec is a test clip the bench encodes with ffmpeg/libx264, like an
// IP camera's stream: a closed GOP of 2 s, 2 B-frames, a capped bitrate.
// Sensor-like temporal noise keeps the bitrate (and the decoder's work) at
// what a camera sends rather than what a still test pattern needs.
type clipSpec struct {
	Name    string
	W, H    int
	FPS     int
	Seconds int
	Kbps    int
}

// The clips. The 1080p30 clip is the camera of every decode, live and
// recording figure; the 720p25 one feeds the GUI grid. Both loop without a
// jump in content that matters: 20 s and 10 s are whole GOPs.
var (
	clipHD = clipSpec{Name: "1080p30", W: 1920, H: 1080, FPS: 30, Seconds: 20, Kbps: 4000}
	clipSD = clipSpec{Name: "720p25", W: 1280, H: 720, FPS: 25, Seconds: 10, Kbps: 4000}
)

// barcodeBits and barcodeCell describe the frame counter burnt into the
// top-left corner: bit i of the frame number is a white or black cell
// barcodeCell pixels wide, so a screen grab tells which frame is shown.
const (
	barcodeBits = 16
	barcodeCell = 48
	barcodeH    = 32
)

// args are ffmpeg's arguments to encode the clip to out.
func (c clipSpec) args(out string) []string {
	gop := 2 * c.FPS
	src := fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%d", c.W, c.H, c.FPS, c.Seconds)
	code := fmt.Sprintf("nullsrc=size=%dx%d:rate=%d:duration=%d,format=gray,"+
		"geq=lum='255*mod(floor(N/pow(2\\,floor(X/%d)))\\,2)'",
		barcodeBits*barcodeCell, barcodeH, c.FPS, c.Seconds, barcodeCell)
	return []string{
		"-hide_banner", "-loglevel", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", src,
		"-f", "lavfi", "-i", code,
		"-filter_complex", "[0:v]noise=alls=6:allf=t[n];[n][1:v]overlay=0:0:format=auto,format=yuv420p[v]",
		"-map", "[v]",
		"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
		"-bf", "2", "-g", fmt.Sprint(gop), "-keyint_min", fmt.Sprint(gop), "-sc_threshold", "0",
		"-x264-params", "open-gop=0",
		"-b:v", fmt.Sprintf("%dk", c.Kbps), "-maxrate", fmt.Sprintf("%dk", c.Kbps),
		"-bufsize", fmt.Sprintf("%dk", 2*c.Kbps),
		"-movflags", "+faststart", out,
	}
}

// make encodes the clip into dir unless an identical one is there, and
// returns its path. The file name holds a hash of the encoding arguments.
func (c clipSpec) make(dir string) (string, error) {
	h := sha256.Sum256([]byte(strings.Join(c.args(""), "\x00")))
	path := filepath.Join(dir, fmt.Sprintf("%s-%s.mp4", c.Name, hex.EncodeToString(h[:4])))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("bench: clip: %w", err)
	}
	tmp := path + ".tmp.mp4"
	cmd := exec.Command("ffmpeg", c.args(tmp)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("bench: encoding the %s clip: %w: %s", c.Name, err, out)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("bench: clip: %w", err)
	}
	return path, nil
}
