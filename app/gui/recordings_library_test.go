package gui

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/rectest"
	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/player"
)

// openTestLibrary is a recordings index in a temporary folder.
func openTestLibrary(t *testing.T) *recordingsLibrary {
	t.Helper()
	lib, err := openRecordingsLibrary(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lib.Close)
	return lib
}

// viewOf opens camera i's Recordings view and waits for its first
// listing (after the rescan the view starts with).
func viewOf(t *testing.T, h *harness, i int) *recordingsView {
	t.Helper()
	v := h.ui.showRecordings(h.ui.cams[i])
	if v == nil {
		t.Fatal("no Recordings view")
	}
	t.Cleanup(func() {
		if v.ctx.Err() == nil { // not closed yet: a second Close panics in Fyne's test driver
			v.win.Close()
		}
		h.q.drain()
	})
	h.q.until(t, "the view's first listing", func() bool { return v.timeLbl.Text != "reading the recordings…" })
	return v
}

// TestRecordingsViewIndex: the Recordings view lists a camera's segments
// from the index, which the window rescans at start and when the view
// opens: two recordings with a gap show as two spans; another camera in
// the same folder, and the same camera's name in another folder, are
// not shown; a file deleted by hand is gone the next time the view
// opens. The view shows the space the recordings take. The tile menu's
// "Show recordings" and the camera list's button open it.
func TestRecordingsViewIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("records and plays back")
	}
	dir := t.TempDir()
	root, other := filepath.Join(dir, "rec"), filepath.Join(dir, "other")
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	t1, t2 := day.Add(2*time.Hour), day.Add(3*time.Hour)
	a := rectest.Record(t, root, "Demo", t1, 20*time.Second, 10*time.Second, false)
	b := rectest.Record(t, root, "Demo", t2, 10*time.Second, 10*time.Second, false)
	rectest.Record(t, root, "Yard", day.Add(90*time.Minute), 10*time.Second, 10*time.Second, false)
	rectest.Record(t, other, "Demo", day.Add(5*time.Hour), 10*time.Second, 10*time.Second, false)

	lib := openTestLibrary(t)
	demo, yard := profile("Demo"), profile("Yard")
	demo.RecordDir, yard.RecordDir = root, root
	h := newHarnessWith(t, []camdeck.Profile{demo, yard}, lib)
	h.ui.bg.Wait() // the start's repair and rescan
	segs, err := lib.ix.Segments(context.Background(), "", day, day.AddDate(0, 0, 1))
	if err != nil || len(segs) != len(a.Files)+len(b.Files)+1 {
		t.Fatalf("the start's rescan indexed %d segments (%v), want %d", len(segs), err, len(a.Files)+len(b.Files)+1)
	}

	v := viewOf(t, h, 0)
	v.setDay(day) // in case the test runs over midnight
	want := []timeSpan{{t1, t1.Add(20 * time.Second)}, {t2, t2.Add(10 * time.Second)}}
	checkSpans := func(want []timeSpan) {
		t.Helper()
		got := v.tl.spans
		if len(got) != len(want) {
			t.Fatalf("the timeline shows %d spans %v, want %d %v", len(got), got, len(want), want)
		}
		for i := range want {
			// The first frame is at the start; the last ends a frame
			// or so from the limit.
			if got[i].Start.Sub(want[i].Start).Abs() > 100*time.Millisecond || got[i].End.Sub(want[i].End).Abs() > time.Second {
				t.Errorf("span %d: %v to %v, want %v to %v", i, got[i].Start, got[i].End, want[i].Start, want[i].End)
			}
		}
	}
	checkSpans(want)
	h.q.until(t, "a frame of the recording", func() bool { return v.shown != nil })
	var bytes int64
	for _, f := range append(append([]string{}, a.Files...), b.Files...) {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		bytes += st.Size()
	}
	h.q.until(t, "the space used", func() bool { return strings.HasPrefix(v.usageLbl.Text, byteSize(bytes)+": ") })
	if !strings.Contains(v.usageLbl.Text, t1.Format("01-02 15:04 – ")) || !strings.Contains(v.usageLbl.Text, " free") {
		t.Errorf("usage %q: want the first recorded moment and the free space", v.usageLbl.Text)
	}

	// A file deleted by hand: the view reopened rescans and leaves it out.
	for _, f := range b.Files {
		os.Remove(f)
	}
	v.win.Close()
	h.q.drain()
	v = viewOf(t, h, 0)
	v.setDay(day)
	checkSpans(want[:1])

	// The tile's menu and the list's button open the view too.
	windows := func() int {
		n := 0
		for _, w := range fyne.CurrentApp().Driver().AllWindows() {
			if w.Title() == "Recordings: Yard" {
				n++
			}
		}
		return n
	}
	for _, it := range h.ui.cameraMenu(h.ui.cams[1]).Items {
		if it.Label == "Show recordings" {
			it.Action()
		}
	}
	if windows() != 1 {
		t.Fatalf("Show recordings in the menu opened %d Recordings windows of Yard", windows())
	}
	btn := listRecordingsButton(t, h, 1)
	test.Tap(btn)
	if windows() != 2 {
		t.Fatalf("the list's recordings button opened %d windows, want the second", windows())
	}
	var yards []fyne.Window // AllWindows is the driver's own list, which Close shortens
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Title() == "Recordings: Yard" {
			yards = append(yards, w)
		}
	}
	for _, w := range yards {
		w.Close()
	}
	h.q.drain()
}

// listRecordingsButton is the recordings button of row i of the camera
// list.
func listRecordingsButton(t *testing.T, h *harness, i int) *iconButton {
	t.Helper()
	var found *iconButton
	var walk func(o fyne.CanvasObject)
	rows := 0
	walk = func(o fyne.CanvasObject) {
		if b, ok := o.(*iconButton); ok && strings.HasPrefix(b.tip, "Show this camera's recordings") {
			if rows == i {
				found = b
			}
			rows++
			return
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, x := range test.WidgetRenderer(w).Objects() {
				walk(x)
			}
		}
	}
	walk(h.ui.list)
	if found == nil {
		t.Fatalf("no recordings button in row %d of the list (%d rows have one)", i, rows)
	}
	return found
}

// TestRecordingsViewExport: a range marked on the timeline of the view
// is exported to one MP4 whose duration ffprobe finds equal to the range,
// and the message names the file.
func TestRecordingsViewExport(t *testing.T) {
	if testing.Short() {
		t.Skip("records and exports")
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "rec")
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	t1 := day.Add(2 * time.Hour)
	rectest.Record(t, root, "Demo", t1, 25*time.Second, 10*time.Second, true)
	lib := openTestLibrary(t)
	p := profile("Demo")
	p.RecordDir = root
	h := newHarnessWith(t, []camdeck.Profile{p}, lib)
	h.ui.bg.Wait()
	v := viewOf(t, h, 0)
	v.setDay(day)
	from, to := t1.Add(3300*time.Millisecond), t1.Add(17*time.Second) // mid-GOP, across a segment boundary
	v.tl.cursor = from
	v.mark(true)
	v.tl.cursor = to
	v.mark(false)
	if f, e := v.exportRange(); !f.Equal(from) || !e.Equal(to) {
		t.Fatalf("marked %v to %v, want %v to %v", f, e, from, to)
	}
	out := filepath.Join(dir, v.exportName(from))
	if err := os.WriteFile(out, nil, 0o644); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	v.export(from, to, out)
	h.q.until(t, "the export", func() bool { return v.lastExport != nil })
	if msg := v.lastExport.msg; !strings.Contains(msg, "exported") || !strings.Contains(msg, out) {
		t.Fatalf("message %q: want it to name %s", msg, out)
	}
	r, stderr, err := fftest.Probe(t, time.Minute, "-show_streams", "-show_format", out)
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, stderr)
	}
	frame := time.Second / 25
	if d := fftest.Seconds(r.Format.Duration); math.Abs(d-to.Sub(from).Seconds()) > frame.Seconds() {
		t.Errorf("the export lasts %.3f s, want %.3f ± one frame", d, to.Sub(from).Seconds())
	}
	kinds := map[string]bool{}
	for _, s := range r.Streams {
		kinds[s.CodecType] = true
	}
	if !kinds["video"] || !kinds["audio"] {
		t.Errorf("the export has %v, want video and audio", kinds)
	}
	if v.exportBtn.Disabled() {
		t.Error("Export stays disabled after the export")
	}
}

// TestRecorderFeedsIndex: a recording made in the window, by the real
// recorder fed the demo clip's frames, is in the index as soon as its
// first file opens (unfinished), and each file is read in with its
// frames and duration when it is finished.
func TestRecorderFeedsIndex(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "rec")
	lib := openTestLibrary(t)
	p := profile("Demo")
	p.RecordDir, p.Segment = root, camdeck.Duration(2*time.Second)
	h := newHarnessWith(t, []camdeck.Profile{p}, lib)
	h.ui.newRecorder = newRecorder // the real one
	h.ui.bg.Wait()
	c := h.ui.cams[0]
	c.startRecording()
	if c.rec == nil {
		t.Fatal("not recording")
	}
	sink := c.rec.sink
	clip := rectest.DemoClip(t)
	vt := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height, FPS: clip.FPS()}
	sink.OnStream([]*player.Track{vt})
	start := time.Now()
	dts0 := clip.Frames[0].DTS
	ctx := context.Background()
	rows := func() []library.Segment {
		segs, err := lib.ix.Segments(ctx, "Demo", start.Add(-time.Hour), start.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return segs
	}
	fed := 0
	for i, fr := range clip.Frames { // 10 s: segments of 2 s on its keyframes
		arrival := start.Add(time.Duration(fr.DTS-dts0) * time.Second / 90000)
		sink.OnUnit(&player.Unit{Track: vt, Data: fr.NALUs, PTS: fr.PTS, Arrival: arrival, Key: fr.Key})
		fed++
		if i == 0 {
			deadline := time.Now().Add(20 * time.Second)
			for len(rows()) == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if r := rows(); len(r) != 1 || r[0].Complete || filepath.Dir(filepath.Dir(r[0].Path)) != root {
				t.Fatalf("after the first frame the index has %+v, want one unfinished row under %s", r, root)
			}
		}
	}
	c.stopRecording()
	h.ui.bg.Wait()
	h.q.drain()
	segs := rows()
	if len(segs) < 4 {
		t.Fatalf("%d rows after 10 s in segments of 2 s: %+v", len(segs), segs)
	}
	frames, total := 0, time.Duration(0)
	for _, s := range segs {
		if !s.Complete || s.Frames == 0 || s.Bytes == 0 {
			t.Errorf("row %+v: want a finished file with its frames and size", s)
		}
		frames += s.Frames
		total += s.Duration
	}
	if frames != fed || (total-10*time.Second).Abs() > 100*time.Millisecond {
		t.Errorf("the rows hold %d frames over %v, want the %d fed over 10 s", frames, total, fed)
	}
}

// TestRetentionFromProfiles: at start the window deletes a camera's
// recordings older than its profile's KeepDays, and only those; the
// limits for all cameras come from the profile file.
func TestRetentionFromProfiles(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "rec")
	now := time.Now()
	old := rectest.Record(t, root, "Demo", now.Add(-10*24*time.Hour), 4*time.Second, 10*time.Second, false)
	recent := rectest.Record(t, root, "Demo", now.Add(-24*time.Hour), 4*time.Second, 10*time.Second, false)
	yard := rectest.Record(t, root, "Yard", now.Add(-10*24*time.Hour), 4*time.Second, 10*time.Second, false)
	lib := openTestLibrary(t)
	p, y := profile("Demo"), profile("Yard")
	p.RecordDir, p.KeepDays, y.RecordDir = root, 3, root
	h := newHarnessWith(t, []camdeck.Profile{p, y}, lib)
	h.ui.bg.Wait()
	gone := func(f string) bool { _, err := os.Stat(f); return os.IsNotExist(err) }
	deadline := time.Now().Add(20 * time.Second)
	for !gone(old.Files[0]) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !gone(old.Files[0]) {
		t.Fatal("a recording 10 days old is kept with keep_days 3")
	}
	if gone(recent.Files[0]) || gone(yard.Files[0]) {
		t.Fatal("retention deleted a recording within its camera's limit")
	}
	pol := policy([]camdeck.Profile{p, y}, camdeck.Retention{MaxGB: 2, MinFreeGB: 0.5})
	if pol.MaxBytes != 2e9 || pol.MinFree != 5e8 || pol.KeepDays["Demo"] != 3 || len(pol.KeepDays) != 1 ||
		len(pol.Dirs) != 1 || pol.Dirs[0] != root {
		t.Errorf("policy %+v", pol)
	}
}
