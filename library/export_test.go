package library

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/rectest"
)

// demoFPS is the demo clip's frame rate; frame its interval.
const (
	demoFPS = 25
	frame   = time.Second / demoFPS
)

// topBoxes lists a file's top-level box types in order.
func topBoxes(t *testing.T, p string) []string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	var out []string
	for off := int64(0); off < st.Size(); {
		h, err := readBoxHeader(f, off, st.Size())
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, h.typ)
		off += h.size
	}
	return out
}

// stillAt decodes the first frame presented at or after offset in a file
// to a PNG. It decodes from the start and selects by presentation time:
// FFmpeg's -ss seeks a fragmented file ignoring its edit list.
func stillAt(t *testing.T, in string, offset time.Duration, out string) string {
	t.Helper()
	return fftest.Make(t, out, "-i", in, "-vf", fmt.Sprintf("select=gte(t\\,%.6f)", offset.Seconds()),
		"-frames:v", "1", "-update", "1")
}

func TestExport(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	rec := rectest.Record(t, root, "porch", t0, 25*time.Second, 10*time.Second, true)
	ix := openIndex(t, filepath.Join(t.TempDir(), "index.db"), root)
	if _, err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	segs, err := ix.Segments(ctx, "porch", t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(segs) != 3 {
		t.Fatalf("%d segments, %v", len(segs), err)
	}
	start := segs[0].Start
	cases := []struct {
		name     string
		from, to time.Duration // from the first frame
		segments int
	}{
		{"on a keyframe in one segment", 2 * time.Second, 6 * time.Second, 1},
		{"mid-GOP across a segment boundary", 7300 * time.Millisecond, 17900 * time.Millisecond, 2},
		{"across all three", 1100 * time.Millisecond, 23 * time.Second, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each judges its own file with ffprobe and ffmpeg
			dir := t.TempDir()
			out := filepath.Join(dir, "clip.mp4")
			from, to := start.Add(c.from), start.Add(c.to)
			var calls int
			var last Progress
			res, err := Export(ctx, ix, "porch", from, to, out, func(p Progress) { calls++; last = p })
			if err != nil {
				t.Fatal(err)
			}
			if res.Segments != c.segments || !res.From.Equal(from) || !res.To.Equal(to) {
				t.Errorf("result %+v, want %d segments from %v to %v", res, c.segments, from, to)
			}
			if calls == 0 || last.Done != last.Total || last.Total == 0 {
				t.Errorf("progress: %d calls, last %+v", calls, last)
			}
			// An ordinary MP4: moov before the media, no fragments.
			if got := strings.Join(topBoxes(t, out), ","); got != "ftyp,moov,mdat" {
				t.Errorf("top-level boxes %s, want ftyp,moov,mdat", got)
			}
			r := fftest.Counted(t, out)
			want := (c.to - c.from).Seconds()
			if d := fftest.Seconds(r.Format.Duration); math.Abs(d-want) > frame.Seconds() {
				t.Errorf("duration %.3f s, want %.3f ± one frame", d, want)
			}
			var video, audio bool
			for _, s := range r.Streams {
				if st := fftest.Seconds(s.StartTime); math.Abs(st) > frame.Seconds() {
					t.Errorf("%s starts at %.3f s, want 0", s.CodecType, st)
				}
				switch s.CodecType {
				case "video":
					video = true
					n := fftest.Seconds(s.NbReadFrames)
					if wantN := want * demoFPS; math.Abs(n-wantN) > 1 {
						t.Errorf("%v frames presented, want %.0f ± 1", n, wantN)
					}
				case "audio":
					audio = true
					if d := fftest.Seconds(s.Duration); math.Abs(d-want) > 0.07 {
						t.Errorf("audio lasts %.3f s, want %.3f", d, want)
					}
				}
			}
			if !video || !audio {
				t.Errorf("streams %+v: want video and audio", r.Streams)
			}
			fftest.DecodesClean(t, out)
			// The first frame shown is the one recorded at from.
			var seg Segment
			for _, s := range segs {
				if !s.Start.After(from) {
					seg = s
				}
			}
			a := stillAt(t, seg.Path, from.Sub(seg.Start), filepath.Join(dir, "source.png"))
			b := stillAt(t, out, 0, filepath.Join(dir, "export.png"))
			if psnr := fftest.PSNR(t, a, b); !math.IsInf(psnr, 1) {
				t.Errorf("the export's first frame differs from the recording's at from (PSNR %.1f dB)", psnr)
			}
			// And the last is the one recorded just before to.
			for _, s := range segs {
				if s.Start.Before(to) {
					seg = s
				}
			}
			// The last frame that starts before to, on the recording's frame
			// grid, selected a quarter frame early so it is never on an edge.
			x := (to.Sub(seg.Start).Round(frame)/frame-1)*frame - frame/4
			a = stillAt(t, seg.Path, x, filepath.Join(dir, "source-end.png"))
			b = fftest.Make(t, filepath.Join(dir, "export-end.png"), "-i", out, "-update", "1")
			if psnr := fftest.PSNR(t, a, b); !math.IsInf(psnr, 1) {
				t.Errorf("the export's last frame differs from the recording's before to (PSNR %.1f dB)", psnr)
			}
		})
	}
	_ = rec

	t.Run("nothing recorded", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "none.mp4")
		_, err := Export(ctx, ix, "porch", t0.Add(time.Hour), t0.Add(2*time.Hour), out, nil)
		if !errors.Is(err, ErrNothingRecorded) {
			t.Fatalf("err %v, want ErrNothingRecorded", err)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a failed export left %s", out)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		dir := t.TempDir()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := Export(cctx, ix, "porch", start, start.Add(20*time.Second), filepath.Join(dir, "x.mp4"), nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("a cancelled export left %v", left)
		}
	})
}
