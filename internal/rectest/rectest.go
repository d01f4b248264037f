// Package rectest makes real recordings for tests and benchmarks: the
// recorder fed synthetic units (the demo clip, AAC from ffmpeg) stamped
// as if they arrived at a chosen wallclock, without waiting for it.
package rectest

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

// AudioRate is the sample rate of the test recordings' AAC track.
const AudioRate = 16000

// Recording is a camera recorded by the real recorder from synthetic
// units: the demo clip's frames (and AAC made by ffmpeg) stamped as if
// they arrived from start on, without waiting for real time.
type Recording struct {
	Dir, Camera string
	Start       time.Time
	Files       []string // finished segments, oldest first
}

var (
	clipOnce sync.Once
	demo     *democam.Clip
	clipErr  error
)

// DemoClip is the built-in demo clip, parsed once.
func DemoClip(t testing.TB) *democam.Clip {
	clipOnce.Do(func() { demo, clipErr = democam.DefaultClip() })
	if clipErr != nil {
		t.Fatal(clipErr)
	}
	return demo
}

// AACUnits encodes seconds of a tone to AAC with ffmpeg and splits the
// ADTS stream into access units; it returns them with their
// AudioSpecificConfig.
func AACUnits(t testing.TB, dir string, seconds int) ([][]byte, []byte) {
	t.Helper()
	p := fftest.Make(t, filepath.Join(dir, "tone.aac"), "-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate="+strconv.Itoa(AudioRate), "-t", strconv.Itoa(seconds),
		"-c:a", "aac", "-ac", "1", "-f", "adts")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	var aus [][]byte
	var cfg []byte
	for len(b) >= 7 {
		if b[0] != 0xff || b[1]&0xf0 != 0xf0 {
			t.Fatal("not an ADTS stream")
		}
		hdr := 7
		if b[1]&1 == 0 {
			hdr = 9 // with CRC
		}
		n := int(b[3]&3)<<11 | int(b[4])<<3 | int(b[5])>>5
		if cfg == nil {
			obj, freq, ch := b[2]>>6+1, b[2]>>2&0xf, (b[2]&1)<<2|b[3]>>6
			cfg = []byte{obj<<3 | freq>>1, freq<<7 | ch<<3}
		}
		aus = append(aus, append([]byte(nil), b[hdr:n]...))
		b = b[n:]
	}
	return aus, cfg
}

// Record records d of the demo clip as camera under dir, in segments of
// seg, as if it started at start. With audio, an AAC track goes along.
func Record(t testing.TB, dir, camera string, start time.Time, d, seg time.Duration, audio bool) *Recording {
	t.Helper()
	return RecordClip(t, DemoClip(t), dir, camera, start, d, seg, audio)
}

// G711Units encodes seconds of a tone to G.711 (player.CodecG711A or
// CodecG711U) at 8 kHz with ffmpeg and cuts it in 20 ms units, as
// cameras packetize it.
func G711Units(t testing.TB, dir string, seconds int, codec player.Codec) [][]byte {
	t.Helper()
	format := "alaw"
	if codec == player.CodecG711U {
		format = "mulaw"
	}
	p := fftest.Make(t, filepath.Join(dir, "tone."+format), "-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate=8000", "-t", strconv.Itoa(seconds), "-ac", "1", "-f", format)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	var units [][]byte
	for ; len(b) >= g711Unit; b = b[g711Unit:] {
		units = append(units, b[:g711Unit])
	}
	return units
}

// g711Unit is the samples (bytes) in 20 ms of G.711 at 8 kHz.
const g711Unit = 160

// RecordClip is Record with another clip.
func RecordClip(t testing.TB, c *democam.Clip, dir, camera string, start time.Time, d, seg time.Duration, audio bool) *Recording {
	t.Helper()
	codec := player.CodecUnknown
	if audio {
		codec = player.CodecAAC
	}
	return RecordClipAudio(t, c, dir, camera, start, d, seg, codec)
}

// RecordClipAudio is RecordClip with an audio track of codec (AAC, G.711
// A-law or µ-law), or none for CodecUnknown.
func RecordClipAudio(t testing.TB, c *democam.Clip, dir, camera string, start time.Time, d, seg time.Duration, codec player.Codec) *Recording {
	t.Helper()
	audio := codec != player.CodecUnknown
	rec := &Recording{Dir: dir, Camera: camera, Start: start}
	var mu sync.Mutex
	r := &recorder.Recorder{Dir: dir, Camera: camera, Segment: seg, Duration: d,
		OnSegment: func(p string, _ time.Duration) {
			mu.Lock()
			rec.Files = append(rec.Files, p)
			mu.Unlock()
		},
		OnError: func(err error) { t.Errorf("recording: %v", err) },
	}
	// The recorder's timers read the same made-up clock as the arrivals.
	var clockMu sync.Mutex
	latest := start
	r.Now = func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		return latest
	}
	defer r.Close()
	vt := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: c.SPS, PPS: c.PPS,
		Width: c.Width, Height: c.Height, FPS: c.FPS()}
	tracks := []*player.Track{vt}
	var aus [][]byte
	var at *player.Track
	step := int64(1024) // samples per unit
	switch codec {
	case player.CodecAAC:
		var cfg []byte
		aus, cfg = AACUnits(t, t.TempDir(), int(d/time.Second)+2)
		at = &player.Track{Codec: player.CodecAAC, ClockRate: AudioRate, SampleRate: AudioRate, Channels: 1, AACConfig: cfg}
	case player.CodecG711A, player.CodecG711U:
		aus, step = G711Units(t, t.TempDir(), int(d/time.Second)+2, codec), g711Unit
		at = &player.Track{Codec: codec, ClockRate: 8000, SampleRate: 8000, Channels: 1}
	}
	if at != nil {
		tracks = append(tracks, at)
	}
	r.OnStream(tracks)
	// The clip's DTS start before 0 with B-frames: arrivals count from
	// the earliest.
	dts0 := c.Frames[0].DTS
	ai := 0
	limit := int64(d/time.Millisecond)*90 + 90000 // a second past the limit: the recorder stops itself
	for loop := int64(0); ; loop++ {
		for _, fr := range c.Frames {
			dts := loop*c.Duration + fr.DTS - dts0
			if dts > limit {
				r.OnStreamEnd(nil)
				sort.Strings(rec.Files)
				return rec
			}
			arrival := start.Add(time.Duration(dts) * time.Second / 90000)
			clockMu.Lock()
			latest = arrival
			clockMu.Unlock()
			// Audio up to this frame's arrival, on the same RTP timeline.
			for ; audio && ai < len(aus); ai++ {
				apts := int64(ai) * step
				if apts*90000/int64(at.ClockRate) > dts+dts0 {
					break
				}
				r.OnUnit(&player.Unit{Track: at, Data: [][]byte{aus[ai]}, PTS: apts, Arrival: arrival, Key: true})
			}
			r.OnUnit(&player.Unit{Track: vt, Data: fr.NALUs, PTS: loop*c.Duration + fr.PTS,
				Arrival: arrival, Key: fr.Key})
		}
	}
}
