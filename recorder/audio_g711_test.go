package recorder

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
)

// TestG711Tables decodes every A-law and µ-law byte with the recorder's
// tables and with FFmpeg's pcm_alaw and pcm_mulaw decoders: the same
// 16-bit samples.
func TestG711Tables(t *testing.T) {
	t.Parallel()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, c := range []struct {
		format string
		table  *[256]int16
	}{{"alaw", &alawTable}, {"mulaw", &ulawTable}} {
		t.Run(c.format, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "in.raw")
			if err := os.WriteFile(in, all, 0o600); err != nil {
				t.Fatal(err)
			}
			out, stderr, err := fftest.Run(t, 30*time.Second, "ffmpeg", "-v", "error", "-f", c.format, "-ar", "8000",
				"-ac", "1", "-i", in, "-f", "s16be", "-")
			if err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, stderr)
			}
			if len(out) != 512 {
				t.Fatalf("ffmpeg decoded %d bytes, want 512", len(out))
			}
			ours := g711ToLPCM(nil, all, c.table)
			for i := range 256 {
				want := int16(binary.BigEndian.Uint16([]byte(out[2*i:])))
				if got := int16(binary.BigEndian.Uint16(ours[2*i:])); got != want {
					t.Errorf("byte 0x%02x: %d, FFmpeg says %d", i, got, want)
				}
			}
		})
	}
}

// beepClip is an H.264 clip in MOV (MP4 has no G.711) with G.711 audio
// in codec (pcm_alaw or pcm_mulaw) at 8 kHz: a 1 kHz beep of 0.2 s at
// the start of every second, at half of full scale.
func beepClip(t *testing.T, codec string) string {
	return fftest.Make(t, filepath.Join(t.TempDir(), "clip.mov"),
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=20",
		"-f", "lavfi", "-i", "aevalsrc='if(lt(mod(t,1),0.2),0.5*sin(2*PI*1000*t),0)':s=8000:d=20",
		"-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p",
		"-c:a", codec, "-ar", "8000", "-ac", "1")
}

// beepOnsets decodes a file's audio with FFmpeg and returns the times at
// which its level rises above a tenth of full scale (5 ms windows), on
// the file's timeline, and the peak sample (0 to 1).
func beepOnsets(t *testing.T, file string, start float64) (onsets []float64, peak float64) {
	t.Helper()
	out, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", file, "-map", "0:a",
		"-f", "s16le", "-ac", "1", "-ar", "8000", "-")
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, stderr)
	}
	const window = 40 // 5 ms at 8 kHz
	loud := false
	for i := 0; i+2*window <= len(out); i += 2 * window {
		var sum float64
		for j := range window {
			v := float64(int16(binary.LittleEndian.Uint16([]byte(out[i+2*j:])))) / 32768
			sum += v * v
			peak = math.Max(peak, math.Abs(v))
		}
		rms := math.Sqrt(sum / window)
		if rms > 0.1 && !loud {
			onsets = append(onsets, start+float64(i/2)/8000)
		}
		loud = rms > 0.05
	}
	return onsets, peak
}

// TestRecordG711 records a camera (GStreamer's RTSP server) that sends
// G.711 A-law or µ-law audio: the file carries it as 16-bit LPCM (ipcm)
// that ffprobe lists as long as the video, FFmpeg decodes without an
// error, with the beeps where the clip has them, and headless Chromium
// plays with sound.
func TestRecordG711(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ audio, codec string }{{"pcma", "pcm_alaw"}, {"pcmu", "pcm_mulaw"}} {
		t.Run(c.audio, func(t *testing.T) {
			t.Parallel()
			file := recordURL(t, gstserver.StartAudio(t, beepClip(t, c.codec), "h264", c.audio), 5*time.Second)

			r, stderr, err := fftest.Probe(t, 30*time.Second, "-show_streams", file)
			if err != nil {
				t.Fatalf("ffprobe: %v\n%s", err, stderr)
			}
			if len(r.Streams) != 2 {
				t.Fatalf("%d streams, want video and audio", len(r.Streams))
			}
			v, a := r.Streams[0], r.Streams[1]
			if a.CodecType != "audio" || a.CodecName != "pcm_s16be" || a.CodecTag != "ipcm" ||
				a.SampleRate != "8000" || a.Channels != 1 {
				t.Fatalf("audio %+v, want 16-bit big-endian LPCM (ipcm), 8 kHz mono", a)
			}
			vd, ad := fftest.Seconds(v.Duration), fftest.Seconds(a.Duration)
			t.Logf("video %.3f s, audio %.3f s from %s s", vd, ad, a.StartTime)
			if math.Abs(vd-5) > 0.3 || math.Abs(ad-vd) > 0.1 {
				t.Fatalf("video %.3f s, audio %.3f s: want about 5 s, the audio within 0.1 s of the video", vd, ad)
			}
			fftest.DecodesClean(t, file)

			onsets, peak := beepOnsets(t, file, fftest.Seconds(a.StartTime))
			t.Logf("beeps at %.3f s, peak %.3f", onsets, peak)
			if len(onsets) < 4 {
				t.Fatalf("%d beeps in 5 s, want at least 4 (at each second)", len(onsets))
			}
			for _, at := range onsets {
				// The clip beeps at each second of its time and the
				// recording starts at the clip's first frame.
				if off := at - math.Round(at); math.Abs(off) > 0.06 {
					t.Errorf("a beep at %.3f s, %.0f ms from the second it is at in the clip", at, off*1000)
				}
			}
			if peak < 0.4 || peak > 0.6 {
				t.Errorf("peak %.3f, want about 0.5 (the clip's level)", peak)
			}

			p := chromiumPlay(t, file, true)
			t.Logf("Chromium: duration %.3f s, ended at %.3f s, peak %.3f", p.duration, p.current, p.peak)
			if math.Abs(p.current-p.duration) > 0.1 || math.Abs(p.duration-vd) > 0.1 {
				t.Errorf("Chromium: duration %.3f s, ended at %.3f s; ffprobe's video %.3f s", p.duration, p.current, vd)
			}
			if p.peak < 0.3 {
				t.Errorf("Chromium played a peak of %.3f, want the beeps' 0.5", p.peak)
			}
		})
	}
}
