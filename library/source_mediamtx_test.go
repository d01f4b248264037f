package library

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/mediamtx"
)

// mtxSegment is the length of MediaMTX's segments in these tests.
const mtxSegment = mediamtx.DemoSegment

// TestMediaMTXSource lists, opens and exports recordings a real MediaMTX
// keeps: it records the demo camera, and the library reads them back
// through its playback server.
func TestMediaMTXSource(t *testing.T) {
	if testing.Short() {
		t.Skip("builds MediaMTX")
	}
	srv := mediamtx.RecordDemo(t)
	src := &MediaMTX{BaseURL: srv.Playback, Path: "cam"}
	ctx := context.Background()
	from, to := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)

	segs, err := src.Segments(ctx, "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	// MediaMTX lists the files it recorded back to back as one entry:
	// at least the two finished ones, 8 s.
	if len(segs) != 1 || segs[0].Duration < 2*mtxSegment-frame {
		t.Fatalf("/list gave %v, want one entry of at least %v\n%s", segs, 2*mtxSegment, srv.Log())
	}
	if strings.Contains(srv.Log(), "ERR") {
		t.Errorf("MediaMTX logged errors:\n%s", srv.Log())
	}
	start := segs[0].Start
	spans, err := src.Spans(ctx, "", from, to)
	if err != nil || len(spans) != 1 || !spans[0].Start.Equal(start) {
		t.Fatalf("spans %v (%v), want one from %v", spans, err, start)
	}

	t.Run("get", func(t *testing.T) {
		seg := Segment{Path: "cam", Start: start, Duration: mtxSegment}
		f, err := src.OpenSegment(ctx, seg)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fi, err := readFile(f, f.Size(), true)
		if err != nil {
			t.Fatal(err)
		}
		v := fi.video()
		if v == nil || v.fourcc != "avc1" || len(v.samples) == 0 || !v.samples[0].sync {
			t.Fatalf("/get gave no H.264 video starting on a keyframe: %+v", v)
		}
		if d := fi.duration(); d < mtxSegment-frame || d > mtxSegment+frame {
			t.Errorf("/get of %v gave %v of video", mtxSegment, d)
		}
	})

	// An export from mid-GOP in the first file to past the boundary with
	// the second: one ordinary MP4 judged by ffprobe.
	t.Run("export across a segment boundary", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "clip.mp4")
		// The camera's GOP is 1 s from the first file's start: 2.52 s
		// is 13 frames into one.
		efrom, eto := start.Add(2520*time.Millisecond), start.Add(6200*time.Millisecond)
		res, err := Export(ctx, src, "cam", efrom, eto, out, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.From.Equal(efrom) || !res.To.Equal(eto) {
			t.Errorf("result %+v, want from %v to %v", res, efrom, eto)
		}
		if got := strings.Join(topBoxes(t, out), ","); got != "ftyp,moov,mdat" {
			t.Errorf("top-level boxes %s, want ftyp,moov,mdat", got)
		}
		// The first frame shown is the one MediaMTX recorded at from, in
		// its first file.
		judgeExport(t, out, srv.Files()[0], efrom.Sub(start), eto.Sub(efrom))
	})

	// A GOP longer than the margin: the fetch starts inside the GOP
	// that holds from, whose keyframe MediaMTX then gives with the
	// frames after it no duration, at the fetch's start. The export
	// starts there, and its edit list hides them.
	t.Run("export with a GOP longer than the margin", func(t *testing.T) {
		short := *src
		short.KeyMargin = 300 * time.Millisecond
		out := filepath.Join(t.TempDir(), "clip.mp4")
		efrom, eto := start.Add(2520*time.Millisecond), start.Add(5*time.Second)
		// The case this is: the fetch starts with frames of no duration.
		segs, err := short.Segments(ctx, "cam", efrom, eto)
		if err != nil || len(segs) != 1 {
			t.Fatalf("segments %v, %v", segs, err)
		}
		f, err := short.OpenSegment(ctx, segs[0])
		if err != nil {
			t.Fatal(err)
		}
		fi, err := readFile(f, f.Size(), true)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if v := fi.video(); len(v.samples) < 2 || !v.samples[0].sync || v.samples[0].dur != 0 {
			t.Fatalf("/get from %v did not start inside a GOP", segs[0].Start.Sub(start))
		}
		if _, err := Export(ctx, &short, "cam", efrom, eto, out, nil); err != nil {
			t.Fatal(err)
		}
		judgeExport(t, out, srv.Files()[0], efrom.Sub(start), eto.Sub(efrom))
	})
}

// judgeExport checks an export of length d with ffprobe and ffmpeg: its
// duration is d ± one frame, its one video stream starts at 0 and
// presents d × fps ± 1 frames, it decodes without a word, and its first
// frame is the recording's frame at offset at.
func judgeExport(t *testing.T, out, recording string, at, d time.Duration) {
	t.Helper()
	r := fftest.Counted(t, out)
	want := d.Seconds()
	if got := fftest.Seconds(r.Format.Duration); math.Abs(got-want) > frame.Seconds() {
		t.Errorf("duration %.3f s, want %.3f ± one frame", got, want)
	}
	if len(r.Streams) != 1 || r.Streams[0].CodecType != "video" {
		t.Fatalf("streams %+v, want one video stream", r.Streams)
	}
	s := r.Streams[0]
	if st := fftest.Seconds(s.StartTime); math.Abs(st) > frame.Seconds() {
		t.Errorf("video starts at %.3f s, want 0", st)
	}
	if n, wantN := fftest.Seconds(s.NbReadFrames), want*demoFPS; math.Abs(n-wantN) > 1 {
		t.Errorf("%v frames presented, want %.0f ± 1", n, wantN)
	}
	fftest.DecodesClean(t, out)
	dir := t.TempDir()
	a := stillAt(t, recording, at, filepath.Join(dir, "source.png"))
	b := stillAt(t, out, 0, filepath.Join(dir, "export.png"))
	if psnr := fftest.PSNR(t, a, b); !math.IsInf(psnr, 1) {
		t.Errorf("the export's first frame differs from the recording's at from (PSNR %.1f dB)", psnr)
	}
}
