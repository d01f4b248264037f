// Package fftest runs FFmpeg's command-line tools as independent publishers
// and checkers in tests: what camdeck records is judged by ffprobe, not by
// the code that wrote it.
package fftest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Run runs a command with a deadline and returns its stdout and stderr. It
// fails the test when the command cannot start; a non-zero exit is
// returned as err for the test to judge.
func Run(t testing.TB, timeout time.Duration, name string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	if _, lerr := exec.LookPath(name); lerr != nil {
		t.Fatalf("%s is not installed (make deps installs it): %v", name, lerr)
	}
	return Exec(timeout, name, args...)
}

// Exec is Run outside a test (`make bench`): a command that cannot start
// is an error like any other.
func Exec(timeout time.Duration, name string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return o.String(), e.String(), err
}

// Make runs ffmpeg to make a test file: args are the inputs and options,
// out the file written. It fails the test if ffmpeg fails.
func Make(t testing.TB, out string, args ...string) string {
	t.Helper()
	if err := Encode(out, args...); err != nil {
		t.Fatal(err)
	}
	return out
}

// Encode is Make outside a test: it runs ffmpeg (quiet, overwriting) with
// args and out last, and returns an error with ffmpeg's own message.
func Encode(out string, args ...string) error {
	full := append(append([]string{"-hide_banner", "-v", "error", "-nostdin", "-y"}, args...), out)
	if _, stderr, err := Exec(10*time.Minute, "ffmpeg", full...); err != nil {
		return fmt.Errorf("ffmpeg %v: %w\n%s", args, err, stderr)
	}
	return nil
}

// ColourCase is one way cameras encode colour: the range (limited "tv" or
// full "pc") and the YCbCr matrix. Decoding each right takes different
// conversions, so the colour tests run all of them.
type ColourCase struct {
	Name string
	Args []string // ffmpeg output options
}

// ColourCases are the encodings colour tests cover.
var ColourCases = []ColourCase{
	{"limited range BT.601", []string{"-pix_fmt", "yuv420p", "-color_range", "tv", "-colorspace", "smpte170m"}},
	{"full range", []string{"-pix_fmt", "yuvj420p", "-color_range", "pc"}},
	{"limited range BT.709", []string{"-pix_fmt", "yuv420p", "-color_range", "tv", "-colorspace", "bt709",
		"-color_primaries", "bt709", "-color_trc", "bt709"}},
}

// StillClip encodes a still colour-bar picture (1280x720, 25 fps, a
// keyframe a second, B-frames) as H.264 in dir/clip.mp4 with a colour case.
func StillClip(t testing.TB, dir string, c ColourCase, seconds int) string {
	t.Helper()
	args := append([]string{"-f", "lavfi", "-i", "smptehdbars=size=1280x720:rate=25", "-t", strconv.Itoa(seconds),
		"-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "2"}, c.Args...)
	return Make(t, filepath.Join(dir, "clip.mp4"), args...)
}

// PSNR compares two pictures in RGB with FFmpeg's psnr filter and returns
// the average in dB (+Inf when identical).
func PSNR(t testing.TB, a, b string) float64 {
	t.Helper()
	_, stderr, err := Run(t, time.Minute, "ffmpeg", "-hide_banner", "-nostdin", "-i", a, "-i", b,
		"-lavfi", "[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]psnr", "-f", "null", "-")
	if err != nil {
		t.Fatalf("ffmpeg psnr: %v\n%s", err, stderr)
	}
	i := strings.LastIndex(stderr, "average:")
	if i < 0 {
		t.Fatalf("no PSNR in ffmpeg's output:\n%s", stderr)
	}
	f := strings.Fields(stderr[i+len("average:"):])
	if len(f) == 0 {
		t.Fatalf("no PSNR value in ffmpeg's output:\n%s", stderr)
	}
	if f[0] == "inf" {
		return math.Inf(1)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		t.Fatalf("PSNR %q: %v", f[0], err)
	}
	return v
}

// PacketTimes reads a live stream with ffprobe for a while and returns the
// presentation time of every packet, in decoding order. ffprobe is stopped
// after d, or earlier if the stream ends.
func PacketTimes(t testing.TB, d time.Duration, args ...string) []float64 {
	t.Helper()
	full := append([]string{"-v", "error", "-show_packets", "-show_entries", "packet=pts_time", "-of", "csv=p=0"}, args...)
	out, stderr, err := Run(t, d, "ffprobe", full...)
	if err != nil && err != context.DeadlineExceeded {
		t.Logf("ffprobe: %v\n%s", err, stderr)
	}
	var ts []float64
	for _, line := range strings.Split(out, "\n") {
		if v, err := strconv.ParseFloat(strings.Trim(line, ", "), 64); err == nil {
			ts = append(ts, v)
		}
	}
	return ts
}

// Stream is what ffprobe reports of one stream.
type Stream struct {
	Index        int    `json:"index"`
	CodecType    string `json:"codec_type"`
	CodecName    string `json:"codec_name"`
	CodecTag     string `json:"codec_tag_string"`
	Profile      string `json:"profile"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	PixFmt       string `json:"pix_fmt"`
	SampleRate   string `json:"sample_rate"`
	Channels     int    `json:"channels"`
	ColorRange   string `json:"color_range"`
	RFrameRate   string `json:"r_frame_rate"`
	AvgFrameRate string `json:"avg_frame_rate"`
	Duration     string `json:"duration"`
	NbFrames     string `json:"nb_frames"`
	NbReadFrames string `json:"nb_read_frames"`
	NbReadPkts   string `json:"nb_read_packets"`
	StartTime    string `json:"start_time"`
}

// Frame is what ffprobe -show_frames reports of one video frame.
type Frame struct {
	PTS      int64  `json:"pts"`
	PTSTime  string `json:"pts_time"`
	PktDTS   *int64 `json:"pkt_dts"`
	KeyFrame int    `json:"key_frame"`
	PictType string `json:"pict_type"`
}

// Packet is what ffprobe -show_packets reports of one packet.
type Packet struct {
	PTS     *int64 `json:"pts"`
	DTS     *int64 `json:"dts"`
	PTSTime string `json:"pts_time"`
	DTSTime string `json:"dts_time"`
	Flags   string `json:"flags"`
	Size    string `json:"size"`
}

// Report is ffprobe's JSON output.
type Report struct {
	Streams []Stream `json:"streams"`
	Frames  []Frame  `json:"frames"`
	Packets []Packet `json:"packets"`
	Format  struct {
		Duration   string            `json:"duration"`
		FormatName string            `json:"format_name"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

// Probe runs ffprobe with -of json and the given arguments (input last) and
// parses its report. Stderr is returned for the test to inspect warnings.
func Probe(t testing.TB, timeout time.Duration, args ...string) (*Report, string, error) {
	t.Helper()
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Fatalf("ffprobe is not installed (make deps installs it): %v", err)
	}
	return ReadReport(timeout, args...)
}

// ReadReport is Probe outside a test.
func ReadReport(timeout time.Duration, args ...string) (*Report, string, error) {
	full := append([]string{"-v", "error", "-of", "json"}, args...)
	out, stderr, err := Exec(timeout, "ffprobe", full...)
	if err != nil {
		return nil, stderr, err
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		return nil, stderr, err
	}
	return &r, stderr, nil
}

// Seconds parses one of ffprobe's decimal time fields; "N/A" or empty is -1.
func Seconds(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1
	}
	return v
}

// Rate parses a frame rate like "25/1".
func Rate(s string) float64 {
	var n, d float64
	for i := range len(s) {
		if s[i] == '/' {
			n, _ = strconv.ParseFloat(s[:i], 64)
			d, _ = strconv.ParseFloat(s[i+1:], 64)
			if d == 0 {
				return 0
			}
			return n / d
		}
	}
	n, _ = strconv.ParseFloat(s, 64)
	return n
}

// Duration is a file's duration in seconds as ffprobe reads it from the
// container; -1 when it has none.
func Duration(t testing.TB, file string) float64 {
	t.Helper()
	r, stderr, err := Probe(t, 30*time.Second, "-show_format", file)
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", file, err, stderr)
	}
	return Seconds(r.Format.Duration)
}

// Counted is ffprobe's report on a whole file with the frames of every
// stream counted (-count_frames -show_streams -show_format); it fails the
// test if ffprobe does.
func Counted(t testing.TB, file string) *Report {
	t.Helper()
	r, stderr, err := Probe(t, time.Minute, "-count_frames", "-show_streams", "-show_format", file)
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", filepath.Base(file), err, stderr)
	}
	return r
}

// Recorded judges a recording of a camera that sends fps frames a second
// and returns its duration in seconds: ffprobe reads it without a
// warning, and its first stream holds at least 90% of the frames that
// duration should (a recording loses at most a few to its start).
func Recorded(t testing.TB, file string, fps float64) float64 {
	t.Helper()
	r, stderr, err := Probe(t, time.Minute, "-count_frames", "-show_streams", "-show_format", file)
	if err != nil || len(r.Streams) == 0 {
		t.Fatalf("ffprobe %s: %v %s", filepath.Base(file), err, stderr)
	}
	if strings.TrimSpace(stderr) != "" {
		t.Errorf("ffprobe %s complains: %s", filepath.Base(file), stderr)
	}
	d := Seconds(r.Format.Duration)
	if frames := Seconds(r.Streams[0].NbReadFrames); frames < d*fps*0.9 {
		t.Errorf("%s: %.0f frames readable in %.2f s", filepath.Base(file), frames, d)
	}
	return d
}

// DecodesClean runs FFmpeg's decoder over a whole file: it must end well
// and print nothing, not a warning.
func DecodesClean(t testing.TB, file string) {
	t.Helper()
	_, stderr, err := Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", file, "-f", "null", "-")
	if err != nil || strings.TrimSpace(stderr) != "" {
		t.Fatalf("ffmpeg decoding %s: %v\n%s", file, err, stderr)
	}
}
