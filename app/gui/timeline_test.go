package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
