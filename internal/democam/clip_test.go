package democam

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/camdeck/camdeck/assets"
	"github.com/camdeck/camdeck/internal/fftest"
)

// TestAnnexBMatchesMP4 reads the demo clip as ffmpeg's Annex-B export and
// as MP4: presentation times rebuilt from the picture order count must be
// those the MP4 stores.
func TestAnnexBMatchesMP4(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "demo.mp4")
	out := filepath.Join(dir, "demo.h264")
	if err := os.WriteFile(in, assets.DemoClip, 0o600); err != nil {
		t.Fatal(err)
	}
	fftest.Make(t, out, "-i", in, "-c", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264")
	want, err := DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadClip(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Frames) != len(want.Frames) || got.Duration != want.Duration {
		t.Fatalf("Annex-B: %d frames over %d ticks, MP4: %d over %d",
			len(got.Frames), got.Duration, len(want.Frames), want.Duration)
	}
	for i := range want.Frames {
		if got.Frames[i].PTS != want.Frames[i].PTS || got.Frames[i].Key != want.Frames[i].Key {
			t.Fatalf("frame %d: Annex-B PTS %d key %v, MP4 PTS %d key %v", i,
				got.Frames[i].PTS, got.Frames[i].Key, want.Frames[i].PTS, want.Frames[i].Key)
		}
		if got.Frames[i].DTS > got.Frames[i].PTS {
			t.Fatalf("frame %d: DTS %d after PTS %d", i, got.Frames[i].DTS, got.Frames[i].PTS)
		}
	}
}
