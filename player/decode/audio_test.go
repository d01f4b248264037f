package decode

import (
	"encoding/binary"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/asticode/go-astiav"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
)

// demuxAudio reads the audio of a file FFmpeg made as a session would
// hand it to sinks: a track and one unit per packet, PTS in the track's
// clock (its sample rate, as RTP has it).
func demuxAudio(t *testing.T, file string, codec player.Codec) (*player.Track, []*player.Unit) {
	t.Helper()
	fc := astiav.AllocFormatContext()
	if fc == nil {
		t.Fatal("cannot allocate a format context")
	}
	defer fc.Free()
	if err := fc.OpenInput(file, nil, nil); err != nil {
		t.Fatal(err)
	}
	defer fc.CloseInput()
	if err := fc.FindStreamInfo(nil); err != nil {
		t.Fatal(err)
	}
	st := fc.Streams()[0]
	cp := st.CodecParameters()
	tr := &player.Track{Codec: codec, ClockRate: cp.SampleRate(), SampleRate: cp.SampleRate(),
		Channels: cp.ChannelLayout().NbChannels()}
	if codec == player.CodecAAC {
		tr.AACConfig = append([]byte(nil), cp.ExtraData()...)
	}
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	var units []*player.Unit
	arrival := time.Now()
	tb := st.TimeBase()
	for fc.ReadFrame(pkt) == nil {
		pts := astiav.RescaleQ(pkt.Pts(), tb, astiav.NewRational(1, tr.ClockRate))
		data := pkt.Data()
		step := len(data)
		if codec == player.CodecG711A || codec == player.CodecG711U {
			step = tr.SampleRate / 50 * tr.Channels // 20 ms, as cameras packetize it
		}
		for i := 0; i < len(data); i += step {
			at := pts + int64(i/tr.Channels)
			units = append(units, &player.Unit{Track: tr, Data: [][]byte{append([]byte(nil), data[i:min(i+step, len(data))]...)},
				PTS: at, Arrival: arrival.Add(time.Duration(at) * time.Second / time.Duration(tr.ClockRate))})
		}
		pkt.Unref()
	}
	return tr, units
}

// tone measures interleaved s16le PCM, leaving out its first and last
// quarter second (a codec's start-up and end): the share of the first
// channel's power at freq (Goertzel, over whole cycles), the amplitude of
// a sine of that power (0 to 1), and the largest difference between the
// channels.
func tone(pcm []byte, rate, channels int, freq float64) (share, amplitude, spread float64) {
	skip := rate / 4 * channels * 2
	pcm = pcm[skip : len(pcm)-skip]
	n := len(pcm) / 2 / channels
	n -= n % (rate / int(freq)) // whole cycles
	var re, im, total float64
	for i := range n {
		v := float64(int16(binary.LittleEndian.Uint16(pcm[2*i*channels:]))) / 32768
		for c := 1; c < channels; c++ {
			w := float64(int16(binary.LittleEndian.Uint16(pcm[2*(i*channels+c):]))) / 32768
			spread = math.Max(spread, math.Abs(w-v))
		}
		a := 2 * math.Pi * freq * float64(i) / float64(rate)
		re += v * math.Cos(a)
		im += v * math.Sin(a)
		total += v * v
	}
	// A sine of amplitude A has power A²/2 per sample and correlates to
	// (A n/2)²: the share is |X|² · 2/n over the total power.
	return (re*re + im*im) * 2 / float64(n) / total, math.Sqrt(2 * total / float64(n)), spread
}

// TestAudioDecode decodes real encoded audio (FFmpeg-made, 2 s of a
// 1 kHz tone at half of full scale; FFmpeg's upmix to stereo puts it
// 3 dB down) of each codec a camera sends, and resamples it to an
// output's format: the PCM is as long as the input, the tone at 1 kHz at
// its level, the same in every output channel (a mono source plays at its
// level on each).
func TestAudioDecode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		codec          player.Codec
		file           string
		args           []string
		rate, channels int     // of the output
		level          float64 // the tone's amplitude in the file
	}{
		{"AAC 48 kHz mono to 48 kHz stereo", player.CodecAAC, "a.m4a",
			[]string{"-c:a", "aac", "-ar", "48000", "-ac", "1"}, 48000, 2, 0.5},
		{"AAC 44.1 kHz stereo to 48 kHz stereo", player.CodecAAC, "a.m4a",
			[]string{"-c:a", "aac", "-ar", "44100", "-ac", "2"}, 48000, 2, 0.354},
		{"PCMA 8 kHz to 48 kHz stereo", player.CodecG711A, "a.wav",
			[]string{"-c:a", "pcm_alaw", "-ar", "8000", "-ac", "1"}, 48000, 2, 0.5},
		{"PCMU 8 kHz to 44.1 kHz mono", player.CodecG711U, "a.wav",
			[]string{"-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1"}, 44100, 1, 0.5},
		{"Opus 48 kHz stereo to 48 kHz stereo", player.CodecOpus, "a.ogg",
			[]string{"-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-ac", "2"}, 48000, 2, 0.354},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*1000*t):s=48000:d=2",
				"-map", "0:a"}, c.args...)
			file := fftest.Make(t, filepath.Join(t.TempDir(), c.file), args...)
			track, units := demuxAudio(t, file, c.codec)
			if len(units) == 0 {
				t.Fatal("no packets in the file")
			}

			var chunks []AudioChunk
			a := &Audio{Rate: c.rate, Channels: c.channels, Out: func(ch AudioChunk) { chunks = append(chunks, ch) }}
			a.OnStream([]*player.Track{{Codec: player.CodecH264, ClockRate: 90000}, track})
			for _, u := range units {
				a.OnUnit(u)
			}
			a.OnStreamEnd(nil)

			if st := a.Stats(); st.Errors != 0 || st.Units == 0 {
				t.Fatalf("stats %+v, want units and no errors", st)
			}
			var pcm []byte
			for i, ch := range chunks {
				if i > 0 && ch.PTS <= chunks[i-1].PTS {
					t.Fatalf("chunk %d at %v after %v", i, ch.PTS, chunks[i-1].PTS)
				}
				pcm = append(pcm, ch.PCM...)
			}
			secs := float64(len(pcm)/2/c.channels) / float64(c.rate)
			share, amp, spread := tone(pcm, c.rate, c.channels, 1000)
			t.Logf("%s: %d units, %d chunks, %.3f s, 1 kHz share %.4f, amplitude %.3f, channel spread %.4f",
				c.name, len(units), len(chunks), secs, share, amp, spread)
			if math.Abs(secs-2) > 0.05 {
				t.Errorf("%.3f s of PCM, want 2 s", secs)
			}
			if share < 0.95 {
				t.Errorf("%.3f of the power at 1 kHz, want a 1 kHz tone", share)
			}
			if math.Abs(amp-c.level) > 0.1*c.level {
				t.Errorf("amplitude %.3f, want %.3f", amp, c.level)
			}
			if spread > 0.01 {
				t.Errorf("channels differ by %.3f, want the same sound in each", spread)
			}
		})
	}
}
