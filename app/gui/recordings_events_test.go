package gui

import (
	"context"
	"image"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/rectest"
	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/recorder"
)

// addTestEvents records 30 s of the demo clip for camera Demo under root
// from t1 and stores three motion events of it in the index, one with a
// thumbnail, one with a thumbnail that is not there; it returns them in
// the order they were added.
func addTestEvents(t *testing.T, ix *library.Index, root string, t1 time.Time) []library.Event {
	t.Helper()
	rectest.Record(t, root, "Demo", t1, 30*time.Second, 10*time.Second, false)
	thumb := filepath.Join(root, "Demo", "Demo_motion_test.jpg")
	if err := recorder.WriteJPEG(thumb, image.NewRGBA(image.Rect(0, 0, 64, 36)), recorder.SnapshotQuality); err != nil {
		t.Fatal(err)
	}
	evs := []library.Event{
		{Camera: "Demo", Start: t1.Add(3 * time.Second), End: t1.Add(4 * time.Second), Score: 0.02},
		{Camera: "Demo", Start: t1.Add(20 * time.Second), End: t1.Add(26 * time.Second), Score: 0.31, Thumbnail: thumb},
		// Its thumbnail is gone: the row shows none.
		{Camera: "Demo", Start: t1.Add(12 * time.Second), End: t1.Add(13 * time.Second), Score: 0.05,
			Thumbnail: filepath.Join(root, "Demo", "Demo_motion_gone.jpg")},
	}
	for _, e := range evs {
		if err := ix.AddEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

// listRows are the texts and pictures of the list's rows as drawn, top
// to bottom.
func listRows(l *widget.List) (texts, pictures []string) {
	type row struct {
		y          float32
		text, file string
	}
	var rows []row
	var walk func(o fyne.CanvasObject, y float32)
	walk = func(o fyne.CanvasObject, y float32) {
		if !o.Visible() {
			return
		}
		y += o.Position().Y
		switch o := o.(type) {
		case *fyne.Container:
			if len(o.Objects) == 2 {
				if lb, ok := o.Objects[0].(*widget.Label); ok {
					if img, ok := o.Objects[1].(*canvas.Image); ok {
						rows = append(rows, row{y, lb.Text, img.File})
						return
					}
				}
			}
			for _, c := range o.Objects {
				walk(c, y)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c, y)
			}
		}
	}
	walk(l, -l.Position().Y)
	sort.Slice(rows, func(i, j int) bool { return rows[i].y < rows[j].y })
	for _, r := range rows {
		texts, pictures = append(texts, r.text), append(pictures, r.file)
	}
	return texts, pictures
}

// TestRecordingsViewEvents: the Recordings view shows the day's motion
// events from the index as marks on the timeline and as rows of the
// events list, newest first, with the time, duration, peak score and
// thumbnail of each (none when its file is gone); selecting a row seeks to eventLead before its start
// (to the recording's first frame when that is earlier), and a tap on a
// mark selects its row and seeks there. A day without events hides the
// list.
func TestRecordingsViewEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("records and plays back")
	}
	root := filepath.Join(t.TempDir(), "rec")
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	t1 := day.Add(2 * time.Hour)
	lib := openTestLibrary(t)
	evs := addTestEvents(t, lib.ix, root, t1)
	demo := profile("Demo")
	demo.RecordDir = root
	h := newHarnessWith(t, []camdeck.Profile{demo}, lib)
	h.ui.bg.Wait()
	v := viewOf(t, h, 0)
	v.setDay(day)
	h.q.until(t, "a frame of the recording", func() bool { return v.shown != nil })
	v.win.Resize(fyne.NewSize(780, 470))

	newest := []library.Event{evs[1], evs[2], evs[0]}
	if !v.events.box.Visible() || v.events.title.Text != "3 motion events" {
		t.Fatalf("events pane shown %v, titled %q", v.events.box.Visible(), v.events.title.Text)
	}
	texts, pictures := listRows(v.events.list)
	if len(texts) != len(newest) {
		t.Fatalf("the list shows %d rows %q, want %d", len(texts), texts, len(newest))
	}
	for i, e := range newest {
		want := e.Thumbnail
		if i == 1 {
			want = "" // removed
		}
		if texts[i] != eventText(e) || pictures[i] != want {
			t.Errorf("row %d: %q %q, want %q %q", i, texts[i], pictures[i], eventText(e), want)
		}
	}
	if want := t1.Add(20*time.Second).Format("15:04:05") + "  6 s  31 %"; texts[0] != want {
		t.Errorf("the newest row reads %q, want %q", texts[0], want)
	}
	if len(v.tl.events) != 3 {
		t.Fatalf("the timeline has %d marks, want 3", len(v.tl.events))
	}

	// The first frame shown is the one at or just after the time asked.
	cursorNear := func(what string, want time.Time) {
		t.Helper()
		h.q.until(t, what, func() bool {
			d := v.tl.cursor.Sub(want)
			return d >= -time.Millisecond && d < 200*time.Millisecond
		})
	}
	v.events.list.Select(1) // 12 s: from 7 s
	cursorNear("the seek to the second row", t1.Add(12*time.Second-eventLead))
	v.events.list.Select(2) // 3 s: from the first frame
	cursorNear("the seek to the oldest row", t1)
	// A tap on the newest event's mark selects its row and seeks.
	x0, w := v.tl.markAt(timeSpan{evs[1].Start, evs[1].End})
	test.TapAt(v.tl, fyne.NewPos(x0+w/2, 5))
	cursorNear("the seek to the tapped mark", t1.Add(20*time.Second-eventLead))
	if v.events.picked != 0 {
		t.Errorf("the tap on the newest mark selected row %d, want 0", v.events.picked)
	}
	// Tapped again after seeking elsewhere, it seeks again.
	test.TapAt(v.tl, fyne.NewPos(v.tl.xAt(t1.Add(28*time.Second)), 30))
	cursorNear("the seek beside the marks", t1.Add(28*time.Second))
	test.TapAt(v.tl, fyne.NewPos(x0+w/2, 5))
	cursorNear("the seek to the mark tapped again", t1.Add(20*time.Second-eventLead))

	v.setDay(day.AddDate(0, 0, -1))
	if v.events.box.Visible() || len(v.tl.events) != 0 {
		t.Errorf("a day without events: pane shown %v, %d marks", v.events.box.Visible(), len(v.tl.events))
	}
}
