package library

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/rectest"
	"github.com/camdeck/camdeck/player"
)

// TestExportG711 exports a range across two segments of a recording whose
// camera sent G.711: the recorder's LPCM (ipcm) track is kept, as long as
// the range, and decodes without an error.
func TestExportG711(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	rectest.RecordClipAudio(t, rectest.DemoClip(t), root, "gate", t0, 12*time.Second, 6*time.Second, player.CodecG711A)
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	if _, err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	segs, err := ix.Segments(ctx, "gate", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(segs) != 2 {
		t.Fatalf("%d segments, %v", len(segs), err)
	}
	if segs[0].Codecs != "avc1,ipcm" {
		t.Errorf("segment codecs %q, want avc1,ipcm", segs[0].Codecs)
	}
	from, to := segs[0].Start.Add(3300*time.Millisecond), segs[0].Start.Add(9100*time.Millisecond)
	out := filepath.Join(t.TempDir(), "gate.mp4")
	res, err := Export(ctx, ix, "gate", from, to, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Segments != 2 {
		t.Errorf("%d segments exported, want 2", res.Segments)
	}
	r, stderr, err := fftest.Probe(t, time.Minute, "-show_streams", out)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, stderr)
	}
	want := to.Sub(from).Seconds()
	var audio bool
	for _, s := range r.Streams {
		if s.CodecType != "audio" {
			continue
		}
		audio = true
		if s.CodecName != "pcm_s16be" || s.CodecTag != "ipcm" || s.SampleRate != "8000" {
			t.Errorf("audio %+v, want 16-bit big-endian LPCM (ipcm) at 8 kHz", s)
		}
		if d := fftest.Seconds(s.Duration); math.Abs(d-want) > 0.07 {
			t.Errorf("audio lasts %.3f s, want %.3f", d, want)
		}
	}
	if !audio {
		t.Fatalf("streams %+v: the audio was left out", r.Streams)
	}
	_, stderr, err = fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", out, "-f", "null", "-")
	if err != nil || strings.TrimSpace(stderr) != "" {
		t.Errorf("ffmpeg decoding the export: %v\n%s", err, stderr)
	}
}
