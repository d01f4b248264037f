package speaker

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
	"github.com/camdeck/camdeck/internal/pulse"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// onsets returns the times (s from the start) at which mono s16le PCM at
// rate rises above a tenth of full scale, in 5 ms windows.
func onsets(pcm []byte, rate int) []float64 {
	window := rate / 200
	var at []float64
	loud := false
	for i := 0; i+2*window <= len(pcm); i += 2 * window {
		var sum float64
		for j := range window {
			v := float64(int16(binary.LittleEndian.Uint16(pcm[i+2*j:]))) / 32768
			sum += v * v
		}
		rms := math.Sqrt(sum / float64(window))
		if rms > 0.1 && !loud && (len(at) == 0 || float64(i/2)/float64(rate)-at[len(at)-1] > 0.3) {
			// A beep's start (a gap inside one, an underrun, is not).
			j := 0 // the first loud sample of the window
			for j < window && math.Abs(float64(int16(binary.LittleEndian.Uint16(pcm[i+2*j:])))) < 0.1*32768 {
				j++
			}
			at = append(at, float64(i/2+j)/float64(rate))
		}
		loud = rms > 0.05
	}
	return at
}

// TestPlaysThroughSoundServer plays a camera's AAC audio (GStreamer's
// RTSP server, a clip with a 1 kHz beep of 0.1 s at each second) through
// oto, ALSA's pulse plugin and a private PulseAudio server into a null
// sink, and records the sink's monitor with parec: the beeps are heard one
// clip second apart, each soon after the unit that holds it was decoded.
func TestPlaysThroughSoundServer(t *testing.T) {
	srv, dev := soundServer(t)
	url := avCamera(t, beepAudio)

	capture := srv.Capture(t)
	stream := &Stream{}
	dev.Play(stream)
	defer stream.Close()

	// When each decoded chunk was handed to the stream.
	type written struct {
		pts time.Duration
		at  time.Time
	}
	var mu sync.Mutex
	var writes []written
	audio := &decode.Audio{Out: func(c decode.AudioChunk) {
		stream.Write(c.PCM)
		mu.Lock()
		writes = append(writes, written{c.PTS, time.Now()})
		mu.Unlock()
	}}
	s := watch(t, url, audio)
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		n := len(writes)
		last := time.Duration(0)
		if n > 0 {
			last = writes[n-1].pts - writes[0].pts
		}
		mu.Unlock()
		if last >= 6*time.Second {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d chunks decoded in 60 s (%v of audio), want 6 s of audio; stats %+v", n, last, audio.Stats())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // what was written plays out
	s.Close()
	pcm := capture.Stop()

	heard := onsets(pcm, pulse.Rate)
	t.Logf("captured %.2f s; beeps heard at %.3f s; %v dropped", float64(len(pcm)/2)/pulse.Rate, heard, stream.Dropped())
	if len(heard) < 5 || len(heard) > 8 {
		t.Fatalf("%d beeps heard, want one for each of the 6 to 7 s played", len(heard))
	}
	// Whole clip seconds apart. On a loaded machine the device may run
	// dry (a gap, the sound later) or the stream drop what piled up (the
	// sound sooner), so one interval may be off: the median is not.
	var gaps []float64
	for i := 1; i < len(heard); i++ {
		gaps = append(gaps, heard[i]-heard[i-1])
	}
	if m := median(gaps); math.Abs(m-1) > 0.06 {
		t.Errorf("beeps heard a median %.3f s apart (%.3f), want 1 s", m, gaps)
	}
	// Each beep starts at clip time k+0.5 s: find when the unit holding it
	// was decoded, and how long after that it was heard.
	mu.Lock()
	defer mu.Unlock()
	var delays []float64
	for _, h := range heard {
		at := capture.Started.Add(time.Duration(h * float64(time.Second)))
		best := time.Duration(-1)
		for _, w := range writes {
			beep := w.pts.Truncate(time.Second) + 500*time.Millisecond
			if off := beep - w.pts; off >= 0 && off < 200*time.Millisecond {
				if d := at.Sub(w.at.Add(off)); d > -100*time.Millisecond && (best < 0 || d < best) {
					best = d
				}
			}
		}
		delays = append(delays, best.Seconds()*1000)
	}
	t.Logf("heard after being decoded (ms): %.0f, median %.0f", delays, median(delays))
	for i, d := range delays {
		if d < 0 || d > 2000 { // a time-out, not a goal: the delay is the bench's
			t.Errorf("beep %d heard %.0f ms after it was decoded, want within 2 s", i, d)
		}
	}
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// TestNoDevice opens the sound output in a process whose ALSA default
// device is a PulseAudio server that is not there: Open says "no sound
// device" and why, and does not fail otherwise.
func TestNoDevice(t *testing.T) {
	if os.Getenv("CAMDECK_SPEAKER_CHILD") == "1" {
		_, err := Open()
		if !errors.Is(err, ErrNoDevice) {
			t.Fatalf("Open: %v, want ErrNoDevice", err)
		}
		_, again := Open()
		if again != err {
			t.Fatalf("second Open: %v, want the first's %v", again, err)
		}
		os.Stdout.WriteString("OPEN: " + err.Error() + "\n")
		return
	}
	// A pulse plugin whose server is not there, and ALSA's own default on
	// a machine without a sound card (a server, a CI machine).
	for _, pulse := range []bool{true, false} {
		home := t.TempDir()
		env := []string{"CAMDECK_SPEAKER_CHILD=1", "HOME=" + home, "XDG_RUNTIME_DIR=" + home}
		if pulse {
			gone := "unix:" + filepath.Join(home, "no-such-socket")
			rc := "pcm.!default {\n\ttype pulse\n\tserver \"" + gone + "\"\n}\n"
			if err := os.WriteFile(filepath.Join(home, ".asoundrc"), []byte(rc), 0o600); err != nil {
				t.Fatal(err)
			}
			env = append(env, "PULSE_SERVER="+gone)
		} else {
			// No card: ALSA's configuration without the host's devices.
			env = append(env, "ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf", "ALSA_CARD=none")
		}
		line := noDeviceLine(t, env)
		if !strings.HasPrefix(line, "no sound device: ") || len(line) < len("no sound device: ")+5 {
			t.Fatalf("Open said %q, want \"no sound device: <why>\"", line)
		}
	}
}

// noDeviceLine runs TestNoDevice's child with env and returns what Open
// said. The child prints nothing else: ALSA's library writes its own
// complaints to stderr (a dozen lines on a machine without a card), which
// camdeck turns off, as it says the why in its one line.
func noDeviceLine(t *testing.T, env []string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run", "^TestNoDevice$", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "ALSA lib") {
		t.Errorf("ALSA's library printed its own lines:\n%s", out)
	}
	i := strings.Index(string(out), "OPEN: ")
	if i < 0 {
		t.Fatalf("child said nothing of Open:\n%s", out)
	}
	line := strings.SplitN(string(out[i+6:]), "\n", 2)[0]
	t.Logf("Open: %s", line)
	return line
}

// soundServer starts a private PulseAudio server and opens the sound
// device on it.
func soundServer(t *testing.T) (*pulse.Server, *Device) {
	t.Helper()
	srv := pulse.Start(t)
	dev, err := Open()
	if err != nil {
		t.Fatalf("a sound server runs, yet %v\n%s", err, srv.Log())
	}
	return srv, dev
}

// beepAudio is a 1 kHz beep of 0.1 s at each half second past a second.
const beepAudio = "aevalsrc='if(between(mod(t,1),0.5,0.6),0.5*sin(2*PI*1000*t),0)':s=48000:d=20"

// avCamera serves a 20 s clip, 320x180 H.264 video and AAC audio made by
// the lavfi source audio, from GStreamer's RTSP server, and returns its
// URL.
func avCamera(t *testing.T, audio string) string {
	t.Helper()
	clip := fftest.Make(t, filepath.Join(t.TempDir(), "av.mp4"),
		"-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=20",
		"-f", "lavfi", "-i", audio,
		"-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "96k", "-ac", "1")
	return gstserver.StartWith(t, clip, "h264", true)
}

// watch starts a session of url feeding sinks, closed when the test ends
// (also when it fails before the end).
func watch(t *testing.T, url string, sinks ...player.Sink) *player.Session {
	t.Helper()
	s := &player.Session{URL: url, Logf: t.Logf}
	for _, sk := range sinks {
		s.AddSink(sk, 0)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
