package gui

import (
	"context"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/mediamtx"
	"github.com/camdeck/camdeck/player/decode"
)

// TestRecordingsViewMediaMTX: the Recordings view of a camera whose
// profile names a MediaMTX playback server shows what a real MediaMTX
// recorded of the demo camera, and plays it. The recording is cut into
// pieces of 3 s: a seek into the second piece shows the frame recorded
// at the time asked, with its wallclock, the very frame ffmpeg finds in
// MediaMTX's own file; playing on crosses into the third piece showing
// each frame once, none of the lead-in it was fetched with; an export
// from the view lasts the range marked; the pieces are fetched into the
// user's cache folder and removed when the view closes.
func TestRecordingsViewMediaMTX(t *testing.T) {
	if testing.Short() {
		t.Skip("builds MediaMTX")
	}
	srv := mediamtx.RecordDemo(t) // before the cache folder moves: MediaMTX's binary is cached there
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	piece := remotePiece
	remotePiece = 3 * time.Second
	t.Cleanup(func() { remotePiece = piece })
	frame := time.Second / 25

	// The judge of when MediaMTX started recording: its first file's name.
	first := srv.Files()[0]
	name := strings.TrimSuffix(filepath.Base(first), ".mp4") // %Y-%m-%d_%H-%M-%S-%f
	start, err := time.ParseInLocation("2006-01-02_15-04-05.000000", name[:19]+"."+name[20:], time.Local)
	if err != nil {
		t.Fatal(err)
	}

	// A folder of pieces that a killed camdeck left, and one in use.
	stale, inUse := filepath.Join(cache, "camdeck", "playback", "view-1"), filepath.Join(cache, "camdeck", "playback", "view-2")
	for _, d := range []string{stale, inUse} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "piece-1.mp4"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(stale, time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}

	p := profile("Yard")
	p.PlaybackURL, p.PlaybackPath = srv.Playback+"/", "cam"
	h := newHarness(t, []camdeck.Profile{p}) // no recordings index: none needed
	v := viewOf(t, h, 0)
	v.setDay(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.Local))
	if v.timeLbl.Text != askingServer {
		t.Errorf("while the server lists the day the view says %q", v.timeLbl.Text)
	}
	h.q.until(t, "the server's listing", func() bool { return v.timeLbl.Text != askingServer })
	if len(v.tl.spans) != 1 || v.tl.spans[0].Start.Sub(start).Abs() > 50*time.Millisecond ||
		v.tl.spans[0].End.Sub(start) < 2*mediamtx.DemoSegment-frame {
		t.Fatalf("the timeline shows %v, want one span from %v of at least %v\n%s",
			v.tl.spans, start, 2*mediamtx.DemoSegment, srv.Log())
	}
	start = v.tl.spans[0].Start // the server's own start, to the microsecond
	if want := `kept by MediaMTX at ` + strings.TrimPrefix(srv.Playback, "http://") + `, path "cam"`; v.usageLbl.Text != want {
		t.Errorf("the usage row says %q, want %q", v.usageLbl.Text, want)
	}

	// A seek 13 frames into a GOP of the second piece (GOPs of 1 s from
	// the start), which is fetched from the start of the recording.
	target := start.Add(3520 * time.Millisecond)
	v.seek(target)
	h.q.until(t, "the frame at the seek", func() bool {
		return v.shown != nil && !v.tl.cursor.Before(target) && v.tl.cursor.Before(target.Add(frame))
	})
	if !strings.HasPrefix(v.timeLbl.Text, v.tl.cursor.Format("2006-01-02 15:04:05.000")) {
		t.Errorf("the time shown is %q, want %v", v.timeLbl.Text, v.tl.cursor)
	}
	pieces, _ := filepath.Glob(filepath.Join(cache, "camdeck", "playback", "view-*", "piece-*.mp4"))
	if len(pieces) < 3 { // the other view's, and this one's first two at least
		t.Errorf("the cache folder holds %v, want the pieces fetched", pieces)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a folder of pieces untouched for 2 hours is kept (%v)", err)
	}

	// The frame is MediaMTX's at that time, at full size.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var snapErr error
	dir := t.TempDir()
	shown := filepath.Join(dir, "shown.png")
	v.withPlayback(func(pb *decode.Playback) {
		img, err := pb.Snapshot(ctx)
		if err != nil {
			snapErr = err
			return
		}
		f, err := os.Create(shown)
		if err == nil {
			err = png.Encode(f, img)
			f.Close()
		}
		snapErr = err
	})
	if snapErr != nil {
		t.Fatal(snapErr)
	}
	want := fftest.Make(t, filepath.Join(dir, "mediamtx.png"), "-i", first, "-vf",
		fmt.Sprintf("select=gte(t\\,%.6f)", target.Sub(start).Seconds()), "-frames:v", "1", "-update", "1")
	if psnr := fftest.PSNR(t, want, shown); psnr < 40 {
		t.Errorf("the frame shown differs from MediaMTX's at %v (PSNR %.1f dB)", target.Sub(start), psnr)
	}

	// Playing on into the third piece (fetched with 6 s before it).
	before, at := v.dec.Stats().Frames, v.tl.cursor
	v.togglePlay()
	last := at
	h.q.until(t, "playing into the third piece", func() bool {
		if v.tl.cursor.Before(last) {
			t.Fatalf("frame at %v after %v", v.tl.cursor, last)
		}
		last = v.tl.cursor
		return v.tl.cursor.After(start.Add(6500 * time.Millisecond))
	})
	v.togglePlay()
	settled := time.Now()
	h.q.until(t, "the last frame played shown", func() bool {
		if !v.tl.cursor.Equal(last) {
			last, settled = v.tl.cursor, time.Now()
		}
		return time.Since(settled) > 500*time.Millisecond
	})
	played := v.dec.Stats().Frames - before
	if want := uint64(math.Round(float64(last.Sub(at)) / float64(frame))); played != want || v.dec.Stats().Errors != 0 {
		t.Errorf("played %d frames from %v to %v, want %d; %d decode errors",
			played, at.Sub(start), last.Sub(start), want, v.dec.Stats().Errors)
	}

	// Export from the view.
	from, to := start.Add(2520*time.Millisecond), start.Add(6200*time.Millisecond)
	v.tl.cursor = from
	v.mark(true)
	v.tl.cursor = to
	v.mark(false)
	out := filepath.Join(dir, v.exportName(from))
	v.export(from, to, out)
	h.q.until(t, "the export", func() bool { return v.lastExport != nil })
	r, stderr, err := fftest.Probe(t, time.Minute, "-show_format", out)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s\n%s", err, stderr, v.lastExport.msg)
	}
	if d := fftest.Seconds(r.Format.Duration); math.Abs(d-to.Sub(from).Seconds()) > frame.Seconds() {
		t.Errorf("the export lasts %.3f s, want %.3f ± one frame", d, to.Sub(from).Seconds())
	}

	v.win.Close()
	h.q.drain()
	if ents, _ := os.ReadDir(filepath.Join(cache, "camdeck", "playback")); len(ents) != 1 || ents[0].Name() != "view-2" {
		t.Errorf("the cache folder holds %v after the view closed, want only the other view's folder", ents)
	}
}

// TestMediaMTXFetchAfterClose: a piece asked for while the view closes
// (playback reads on as the window goes) is not fetched: it started a
// download after Close had waited for the others, which made the view's
// folder again after Close had removed it, left for an hour's sweep.
func TestMediaMTXFetchAfterClose(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	p := camdeck.Profile{Name: "Yard", URL: "rtsp://127.0.0.1:1/yard", PlaybackURL: "http://127.0.0.1:1", PlaybackPath: "yard"}
	r, err := newMediaMTXRecordings(p)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	s := decode.Segment{Start: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC), Duration: time.Minute}
	if path, err := r.Fetch(context.Background(), s); err == nil {
		t.Fatalf("fetched %s after Close", path)
	}
	left, _ := filepath.Glob(filepath.Join(cache, "camdeck", "playback", "view-*"))
	if len(left) != 0 {
		t.Fatalf("folders left after Close: %q", left)
	}
}
