package gui

import (
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestTimelineSeek: a tap at x seeks to the time at x, at a day's zoom and
// after zooming in with the wheel; the zoom stays within a minute and a day.
func TestTimelineSeek(t *testing.T) {
	test.NewTempApp(t)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	var got []time.Time
	tl := newTimeline(day, func(v time.Time) { got = append(got, v) })
	tl.setSpans([]timeSpan{{day.Add(6 * time.Hour), day.Add(7 * time.Hour)}})
	w := test.NewWindow(tl)
	defer w.Close()
	w.Resize(fyne.NewSize(960, 60))
	tl.Resize(fyne.NewSize(960, 60))

	test.TapAt(tl, fyne.NewPos(240, 10)) // a quarter of 24 h
	if len(got) != 1 || !got[0].Equal(day.Add(6*time.Hour)) {
		t.Fatalf("tap at a quarter seeked to %v, want 06:00", got)
	}
	for range 40 { // far past the limit
		tl.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(240, 10)}, Scrolled: fyne.NewDelta(0, 1)})
	}
	if tl.span != minTimelineSpan {
		t.Fatalf("zoomed in to %v per width, want %v", tl.span, minTimelineSpan)
	}
	test.TapAt(tl, fyne.NewPos(480, 10)) // the middle of a minute around 06:00
	want := day.Add(6 * time.Hour).Add(-time.Minute / 4).Add(time.Minute / 2)
	if len(got) != 2 || got[1].Sub(want).Abs() > time.Second {
		t.Fatalf("tap in the middle seeked to %v, want %v", got[1], want)
	}
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(960, 10)}})
	if len(got) != 3 || got[2].Sub(want.Add(time.Minute/2)).Abs() > time.Second {
		t.Fatalf("drag to the right edge seeked to %v", got)
	}
}

// TestTimelineEventMarks: each event is drawn as a mark in the event
// colour at its time's x, at least eventMarkWidth wide however short
// (a second at a day's zoom), as wide as the event when it is longer;
// a tap on a mark picks its event and does not seek, a tap beside it
// seeks.
func TestTimelineEventMarks(t *testing.T) {
	test.NewTempApp(t)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	var seeks []time.Time
	var picked []int
	tl := newTimeline(day, func(v time.Time) { seeks = append(seeks, v) })
	tl.onEvent = func(i int) { picked = append(picked, i) }
	tl.setSpans([]timeSpan{{day.Add(6 * time.Hour), day.Add(18 * time.Hour)}})
	events := []timeSpan{
		{day.Add(12 * time.Hour), day.Add(12*time.Hour + time.Second)}, // a second: x 480
		{day.Add(6 * time.Hour), day.Add(7 * time.Hour)},               // an hour: x 240 to 280
	}
	tl.setEvents(events)
	w := test.NewWindow(tl)
	defer w.Close()
	w.Resize(fyne.NewSize(960, 60))
	tl.Resize(fyne.NewSize(960, 60))

	var marks []fyne.CanvasObject
	for _, o := range test.WidgetRenderer(tl).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == markColor {
			marks = append(marks, r)
		}
	}
	if len(marks) != 2 {
		t.Fatalf("%d marks drawn, want 2", len(marks))
	}
	for i, c := range []struct{ x0, w float32 }{{480 - eventMarkWidth/2, eventMarkWidth}, {240, 40}} {
		p, s := marks[i].Position(), marks[i].Size()
		if math.Abs(float64(p.X-c.x0)) > 0.5 || math.Abs(float64(s.Width-c.w)) > 0.5 || p.Y != 0 || s.Height <= 0 {
			t.Errorf("mark %d at x %.1f, %.1f wide, want %.1f, %.1f", i, p.X, s.Width, c.x0, c.w)
		}
	}

	test.TapAt(tl, fyne.NewPos(481, 30)) // on the one-second mark
	test.TapAt(tl, fyne.NewPos(260, 5))  // inside the hour's
	if len(picked) != 2 || picked[0] != 0 || picked[1] != 1 || len(seeks) != 0 {
		t.Fatalf("taps on the marks picked %v and seeked %v, want [0 1] and none", picked, seeks)
	}
	test.TapAt(tl, fyne.NewPos(500, 10)) // beside: 12:30
	if len(picked) != 2 || len(seeks) != 1 || seeks[0].Sub(day.Add(12*time.Hour+30*time.Minute)).Abs() > time.Second {
		t.Fatalf("a tap beside the marks picked %v and seeked %v, want 12:30", picked, seeks)
	}
	// Zoomed in to a minute around the short event, it is as wide as its second.
	tl.from, tl.span = day.Add(12*time.Hour-30*time.Second), time.Minute
	tl.Refresh()
	if x0, w := tl.markAt(events[0]); math.Abs(float64(x0-480)) > 0.5 || math.Abs(float64(w-16)) > 0.5 {
		t.Errorf("at a minute's zoom the second's mark is at %.1f, %.1f wide, want 480, 16", x0, w)
	}
}
