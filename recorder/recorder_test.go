package recorder

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// fixture is a demo camera, a session on it and a recorder attached.
type fixture struct {
	srv  *democam.Server
	sess *player.Session
	rec  *Recorder
	sink *countingSink // rec as the session sees it

	events
}

func newFixture(t *testing.T, srv *democam.Server, rec *Recorder) *fixture {
	t.Helper()
	fx := &fixture{srv: democam.StartForTest(t, srv), rec: rec}
	if rec.Dir == "" {
		rec.Dir = t.TempDir()
	}
	if rec.Camera == "" {
		rec.Camera = "cam"
	}
	fx.listen(rec)
	fx.sess = &player.Session{URL: srv.URL(), ReconnectMin: 200 * time.Millisecond, Logf: t.Logf}
	fx.sink = &countingSink{Recorder: rec, handled: make(chan struct{}, 1)}
	fx.sess.AddSink(fx.sink, 256)
	if err := fx.sess.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.sess.Close)
	return fx
}

func (fx *fixture) waitLimit(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		fx.mu.Lock()
		reached := fx.limited > 0
		fx.mu.Unlock()
		if reached {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the recording did not reach its limit within %v (status %+v)", within, fx.rec.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// files lists the recordings on disk, oldest first.
func (fx *fixture) files(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(fx.rec.Dir, fx.rec.Camera, "*.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(m)
	return m
}

func probeFrames(t *testing.T, file string) []fftest.Frame {
	t.Helper()
	r, stderr, err := fftest.Probe(t, 60*time.Second, "-select_streams", "v", "-show_frames",
		"-show_entries", "frame=pts,pkt_dts,key_frame", file)
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", file, err, stderr)
	}
	return r.Frames
}

func probePackets(t *testing.T, file string) []fftest.Packet {
	t.Helper()
	r, stderr, err := fftest.Probe(t, 60*time.Second, "-select_streams", "v", "-show_packets",
		"-show_entries", "packet=pts,dts,flags", file)
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", file, err, stderr)
	}
	return r.Packets
}

// TestRecordTimestamps records the demo camera (B-frames) for 10 s and
// checks the file with ffprobe and with an independent box reader.
func TestRecordTimestamps(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, &democam.Server{}, &Recorder{Duration: 10 * time.Second})
	fx.waitLimit(t, 30*time.Second)
	files := fx.files(t)
	if len(files) != 1 {
		t.Fatalf("%d files, want 1: %v", len(files), files)
	}
	file := files[0]

	frames := probeFrames(t, file)
	if n := len(frames); n < 247 || n > 253 {
		t.Fatalf("%d frames, want 250±3", n)
	}
	if frames[0].PTS != 0 || frames[0].KeyFrame != 1 {
		t.Fatalf("first frame: pts %d key %d, want a keyframe at 0", frames[0].PTS, frames[0].KeyFrame)
	}
	for i := 1; i < len(frames); i++ {
		if d := frames[i].PTS - frames[i-1].PTS; d != 3600 { // 1/25 s at 90 kHz
			t.Fatalf("frame %d: PTS step %d, want 3600", i, d)
		}
	}

	pkts := probePackets(t, file)
	box, err := readMP4(file)
	if err != nil {
		t.Fatal(err)
	}
	samples := box.trackSamples(1)
	if len(samples) != len(pkts) {
		t.Fatalf("box reader: %d samples, ffprobe: %d packets", len(samples), len(pkts))
	}
	for i, p := range pkts {
		if p.DTS == nil || p.PTS == nil {
			t.Fatalf("packet %d without timestamps", i)
		}
		if i > 0 && *p.DTS <= *pkts[i-1].DTS {
			t.Fatalf("packet %d: DTS %d after %d, not increasing", i, *p.DTS, *pkts[i-1].DTS)
		}
		if samples[i].pts != *p.PTS {
			t.Fatalf("sample %d: PTS %d from stts/ctts/elst, %d from ffprobe", i, samples[i].pts, *p.PTS)
		}
	}
	if d := fftest.Duration(t, file); math.Abs(d-10) > 0.1 {
		t.Fatalf("duration %.3f s, want 10", d)
	}
	fftest.DecodesClean(t, file)
}

// TestRecordSegments splits 13 s into 4 s files: no frame lost or
// repeated, each file starts with a keyframe, and the files join without
// a hole.
func TestRecordSegments(t *testing.T) {
	t.Parallel()
	const sent = 13 * 25
	fx := newFixture(t, &democam.Server{Frames: sent}, &Recorder{Segment: 4 * time.Second})

	// The feed stops after 13 s; wait until the recorder has handled
	// every frame (counted, not timed: arrival is late under load).
	fx.waitVideo(t, sent, 60*time.Second)
	if st := fx.sess.Stats(); st.Dropped != 0 {
		t.Fatalf("the session dropped frames for the recorder: %+v", st)
	}
	fx.sess.RemoveSink(fx.sink)

	files := fx.files(t)
	if len(files) != 4 {
		t.Fatalf("%d files, want 4: %v", len(files), files)
	}
	total := 0
	var prevEnd float64
	for i, f := range files {
		frames := probeFrames(t, f)
		if len(frames) == 0 || frames[0].KeyFrame != 1 {
			t.Fatalf("%s does not start with a keyframe", f)
		}
		total += len(frames)
		start := wallStart(t, f)
		if i > 0 {
			if gap := start - prevEnd; math.Abs(gap) > 0.040 {
				t.Fatalf("%s starts %.3f s after the previous file ends, want at most a frame", f, gap)
			}
		}
		prevEnd = start + fftest.Duration(t, f)
		fftest.DecodesClean(t, f)
	}
	if total != sent {
		t.Fatalf("%d frames in the files, %d sent", total, sent)
	}
}

// TestRecordReconnect: the camera drops the connection; recording goes on
// in a new file after the session reconnects.
func TestRecordReconnect(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, &democam.Server{DropAfter: 4 * time.Second}, &Recorder{Duration: 9 * time.Second})
	fx.waitLimit(t, 40*time.Second)
	files := fx.files(t)
	if len(files) < 2 {
		t.Fatalf("%d files, want a new one after the reconnection", len(files))
	}
	// The limit is 9 s of wallclock from the first frame; how much of it
	// the reconnection takes depends on the machine's load. So the files
	// are judged on the wallclock (the first part's prft): together they span
	// the 9 s, they do not overlap, and what they hold fits in the span.
	var total, first, prevEnd float64
	for i, f := range files {
		d := fftest.Duration(t, f)
		if d <= 0 {
			t.Fatalf("%s lasts %.2f s", f, d)
		}
		total += d
		if fr := probeFrames(t, f); fr[0].KeyFrame != 1 {
			t.Fatalf("%s does not start with a keyframe", f)
		}
		fftest.DecodesClean(t, f)
		start := wallStart(t, f)
		if i == 0 {
			first = start
		} else if start < prevEnd-0.040 {
			t.Fatalf("%s starts %.3f s before the previous file ends", f, prevEnd-start)
		}
		prevEnd = start + d
	}
	if span := prevEnd - first; span < 8.0 || span > 9.2 {
		t.Fatalf("the files span %.2f s of wallclock, want the 9 s limit", span)
	}
	if total > prevEnd-first+0.05 {
		t.Fatalf("the files hold %.2f s in a span of %.2f s", total, prevEnd-first)
	}
	if st := fx.sess.Stats(); st.Reconnects < 1 {
		t.Fatalf("no reconnection counted: %+v", st)
	}
}

// failingFile fails with "no space left on device" once a quota is used,
// after writing part of the buffer, as a full disk does.
type failingFile struct {
	*os.File
	left int
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.Write(p[:f.left])
		f.left = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.left -= len(p)
	return f.File.Write(p)
}

// TestRecordDiskFull: a write fails mid-part. The recorder reports one
// clear error, the file keeps what was written and plays, and the live
// view (a decoder on the same session) goes on.
func TestRecordDiskFull(t *testing.T) {
	orig := createFile
	createFile = func(path string) (file, error) {
		f, err := orig(path)
		if err != nil {
			return nil, err
		}
		return &failingFile{File: f.(*os.File), left: 600 << 10}, nil
	}
	t.Cleanup(func() { createFile = orig })

	dec := &decode.Decoder{Slot: decode.NewFrameSlot()}
	dec.SetOutputSize(320, 180)
	fx := newFixture(t, &democam.Server{}, &Recorder{Camera: "garage"})
	fx.sess.AddSink(dec, 0)

	deadline := time.Now().Add(20 * time.Second)
	for fx.rec.Status().Err == nil {
		if time.Now().After(deadline) {
			t.Fatal("no error reported")
		}
		time.Sleep(50 * time.Millisecond)
	}
	framesAtError := dec.Stats().Frames
	time.Sleep(1500 * time.Millisecond)

	errs := fx.errors()
	if len(errs) != 1 {
		t.Fatalf("%d errors reported, want 1: %v", len(errs), errs)
	}
	msg := errs[0].Error()
	if !strings.Contains(msg, "garage") || !strings.Contains(msg, "no space left on device") || strings.Contains(msg, "\n") {
		t.Fatalf("error %q: want one line naming the camera and the cause", msg)
	}
	if got := dec.Stats().Frames; got < framesAtError+25 {
		t.Fatalf("live view stopped with the recording: %d frames before, %d after", framesAtError, got)
	}
	files := fx.files(t)
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	if d := fftest.Duration(t, files[0]); d < 2 {
		t.Fatalf("what was written before the error lasts %.2f s", d)
	}
	fftest.DecodesClean(t, files[0])
}

func TestSafeName(t *testing.T) {
	cases := map[string]string{
		"Front door":        "Front_door",
		"rtsp://a:b@c/d":    "rtsp___a_b_c_d",
		"../../etc/passwd":  "etc_passwd",
		"":                  "camera",
		"Caméra 2 (garage)": "Caméra_2__garage",
	}
	for in, want := range cases {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnapshotPathNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)
	var seen []string
	for range 3 {
		p := SnapshotPath(dir, "cam", now)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, filepath.Base(p))
	}
	want := []string{"cam_2026-11-23_10-00-00.jpg", "cam_2026-11-23_10-00-00-2.jpg", "cam_2026-11-23_10-00-00-3.jpg"}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("names %v, want %v", seen, want)
	}
}

// wallStart is when a file's presentation starts on the wallclock, in
// seconds since the NTP epoch: its first part's prft (the NTP time of the
// part's first decode) plus the edit list's shift.
func wallStart(t *testing.T, path string) float64 {
	t.Helper()
	box, err := readMP4(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(box.prft) == 0 {
		t.Fatalf("%s has no prft box", path)
	}
	ntp := box.prft[0]
	return float64(ntp>>32) + float64(ntp&0xffffffff)/(1<<32) +
		float64(box.mediaTime[1])/float64(box.timescale[1])
}
