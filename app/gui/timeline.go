package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Zoom limits of the timeline: a whole day down to one minute per width.
const (
	maxTimelineSpan = 24 * time.Hour
	minTimelineSpan = time.Minute
)

// timeSpan is a stretch of recording, or of an event, on the timeline.
type timeSpan struct{ Start, End time.Time }

// eventMarkWidth is the narrowest an event's mark is drawn, in pixels: at
// a day's zoom a second is a hundredth of a pixel, and a mark must still
// be seen and hit with the pointer.
const eventMarkWidth = 5

// eventMarkHeight is the share of the bar's height an event's mark
// covers, from the top: the recorded span stays visible below it.
const eventMarkHeight = 0.45

// timeline shows a day's recorded spans (and gaps between them) over a
// zoomable window of time, with the day's motion events as marks over
// them; a tap or a drag seeks, a tap on a mark picks its event.
type timeline struct {
	widget.BaseWidget

	from   time.Time     // the left edge
	span   time.Duration // the width, between minTimelineSpan and maxTimelineSpan
	spans  []timeSpan
	events []timeSpan // motion events, in any order
	cursor time.Time  // the frame shown
	sel    timeSpan   // the range to export; zero: none

	// onSeek is called with the time under a tap or a drag.
	onSeek func(time.Time)
	// onEvent is called with the index in events of a mark tapped; a tap
	// on a mark seeks only through it. Nil: marks are not picked.
	onEvent func(int)
}

func newTimeline(day time.Time, onSeek func(time.Time)) *timeline {
	t := &timeline{from: day, span: maxTimelineSpan, onSeek: onSeek}
	t.ExtendBaseWidget(t)
	return t
}

// timeAt is the time under x (in the widget's coordinates).
func (t *timeline) timeAt(x float32) time.Time {
	w := t.Size().Width
	if w <= 0 {
		return t.from
	}
	x = min(max(x, 0), w)
	return t.from.Add(time.Duration(float64(t.span) * float64(x/w)))
}

// xAt is where time v is drawn.
func (t *timeline) xAt(v time.Time) float32 {
	return float32(float64(v.Sub(t.from)) / float64(t.span) * float64(t.Size().Width))
}

// zoom scales the visible span by f around time c, within the limits.
func (t *timeline) zoom(f float64, c time.Time) {
	ns := time.Duration(float64(t.span) * f)
	ns = min(max(ns, minTimelineSpan), maxTimelineSpan)
	frac := float64(c.Sub(t.from)) / float64(t.span)
	t.from = c.Add(-time.Duration(frac * float64(ns)))
	t.span = ns
	t.Refresh()
}

func (t *timeline) setSpans(s []timeSpan) { t.spans = s; t.Refresh() }

// setEvents sets the motion events drawn as marks.
func (t *timeline) setEvents(e []timeSpan) { t.events = e; t.Refresh() }

// markAt is where event e's mark is drawn: from x0, w wide.
func (t *timeline) markAt(e timeSpan) (x0, w float32) {
	x0, x1 := t.xAt(e.Start), t.xAt(e.End)
	if w = x1 - x0; w < eventMarkWidth {
		x0, w = (x0+x1-eventMarkWidth)/2, eventMarkWidth
	}
	return x0, w
}

// eventAt is the index of the event whose mark is under x (the one whose
// middle is nearest when marks overlap), or -1.
func (t *timeline) eventAt(x float32) int {
	best, dist := -1, float32(0)
	for i, e := range t.events {
		x0, w := t.markAt(e)
		if x < x0 || x > x0+w {
			continue
		}
		if d := max(x-(x0+w/2), x0+w/2-x); best < 0 || d < dist {
			best, dist = i, d
		}
	}
	return best
}

// setSelection marks the range to export (a zero span clears it).
func (t *timeline) setSelection(s timeSpan) { t.sel = s; t.Refresh() }

func (t *timeline) setCursor(v time.Time) {
	t.cursor = v
	if v.Before(t.from) || !v.Before(t.from.Add(t.span)) { // keep the frame shown in view
		t.from = v.Add(-t.span / 2)
	}
	t.Refresh()
}

// Tapped picks the event whose mark is under the pointer, or else seeks
// to the time under it.
func (t *timeline) Tapped(e *fyne.PointEvent) {
	if t.onEvent != nil {
		if i := t.eventAt(e.Position.X); i >= 0 {
			t.onEvent(i)
			return
		}
	}
	t.seek(e.Position.X)
}

// Dragged seeks as the pointer moves.
func (t *timeline) Dragged(e *fyne.DragEvent) { t.seek(e.Position.X) }

// DragEnd implements fyne.Draggable.
func (t *timeline) DragEnd() {}

// Scrolled zooms around the pointer: up in, down out.
func (t *timeline) Scrolled(e *fyne.ScrollEvent) {
	f := 0.8
	if e.Scrolled.DY < 0 {
		f = 1.25
	}
	t.zoom(f, t.timeAt(e.Position.X))
}

func (t *timeline) seek(x float32) {
	v := t.timeAt(x)
	t.cursor = v
	t.Refresh()
	if t.onSeek != nil {
		t.onSeek(v)
	}
}

// MinSize is one bar and a row of hour labels.
func (t *timeline) MinSize() fyne.Size { return fyne.NewSize(200, 44) }

// CreateRenderer implements fyne.Widget.
func (t *timeline) CreateRenderer() fyne.WidgetRenderer {
	return &timelineRenderer{t: t, bg: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		cur: canvas.NewRectangle(theme.Color(theme.ColorNameError)), sel: canvas.NewRectangle(selColor)}
}

type timelineRenderer struct {
	t     *timeline
	bg    *canvas.Rectangle
	cur   *canvas.Rectangle
	sel   *canvas.Rectangle
	bars  []fyne.CanvasObject
	ticks []fyne.CanvasObject
}

var spanColor = color.NRGBA{R: 0x3c, G: 0xa0, B: 0x5a, A: 0xff}

// markColor is a motion event's: amber, apart from the green of what
// was recorded and the red of the cursor.
var markColor = color.NRGBA{R: 0xf0, G: 0xb0, B: 0x20, A: 0xff}

// selColor shades the range to export, over the spans.
var selColor = color.NRGBA{R: 0x40, G: 0x80, B: 0xf0, A: 0x70}

func (r *timelineRenderer) Layout(s fyne.Size) { r.Refresh() }
func (r *timelineRenderer) MinSize() fyne.Size { return r.t.MinSize() }
func (r *timelineRenderer) Destroy()           {}

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	o := []fyne.CanvasObject{r.bg}
	o = append(o, r.bars...)
	o = append(o, r.ticks...)
	return append(o, r.sel, r.cur)
}

// tickStep picks a label interval giving at most about ten labels.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute,
		10 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour} {
		if span/s <= 10 {
			return s
		}
	}
	return 6 * time.Hour
}

func (r *timelineRenderer) Refresh() {
	t := r.t
	s := t.Size()
	barH := s.Height - 18
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.bg.Resize(fyne.NewSize(s.Width, barH))
	r.bg.Move(fyne.NewPos(0, 0))
	r.bars = r.bars[:0]
	end := t.from.Add(t.span)
	for _, sp := range t.spans {
		if !sp.End.After(t.from) || !sp.Start.Before(end) {
			continue
		}
		x0, x1 := max(t.xAt(sp.Start), 0), min(t.xAt(sp.End), s.Width)
		b := canvas.NewRectangle(spanColor)
		b.Resize(fyne.NewSize(max(x1-x0, 1), barH))
		b.Move(fyne.NewPos(x0, 0))
		r.bars = append(r.bars, b)
	}
	for _, e := range t.events {
		x0, w := t.markAt(e)
		if x0+w < 0 || x0 > s.Width {
			continue
		}
		b := canvas.NewRectangle(markColor)
		b.Resize(fyne.NewSize(w, barH*eventMarkHeight))
		b.Move(fyne.NewPos(x0, 0))
		r.bars = append(r.bars, b)
	}
	r.ticks = r.ticks[:0]
	step := tickStep(t.span)
	layout := "15:04"
	if step < time.Minute {
		layout = "15:04:05"
	}
	for v := t.from.Truncate(step); v.Before(end); v = v.Add(step) {
		x := t.xAt(v)
		if x < 0 {
			continue
		}
		l := canvas.NewText(v.Format(layout), theme.Color(theme.ColorNameForeground))
		l.TextSize = 11
		l.Move(fyne.NewPos(x+2, barH+2))
		line := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
		line.Resize(fyne.NewSize(1, 6))
		line.Move(fyne.NewPos(x, barH-6))
		r.ticks = append(r.ticks, line, l)
	}
	r.sel.Hidden = !t.sel.End.After(t.sel.Start) || !t.sel.End.After(t.from) || !t.sel.Start.Before(end)
	if !r.sel.Hidden {
		x0, x1 := max(t.xAt(t.sel.Start), 0), min(t.xAt(t.sel.End), s.Width)
		r.sel.Resize(fyne.NewSize(max(x1-x0, 2), barH))
		r.sel.Move(fyne.NewPos(x0, 0))
	}
	r.cur.FillColor = theme.Color(theme.ColorNameError)
	r.cur.Resize(fyne.NewSize(2, barH))
	r.cur.Move(fyne.NewPos(t.xAt(t.cursor)-1, 0))
	r.cur.Hidden = t.cursor.Before(t.from) || t.cursor.After(end)
	canvas.Refresh(t)
}
