package gui

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/recorder"
)

// eventSource is a recordings source that keeps motion events: the
// index does; a MediaMTX playback server does not.
type eventSource interface {
	Events(ctx context.Context, camera string, from, to time.Time) ([]library.Event, error)
}

// Events implements eventSource: the camera's events under its folder,
// newest first.
func (r indexRecordings) Events(ctx context.Context, camera string, from, to time.Time) ([]library.Event, error) {
	return r.local().Events(ctx, folder(camera), from, to)
}

// eventLead is how long before an event's start the view plays it from:
// the recorder's pre-record (an event's file begins that much earlier on
// motion), as the index does not keep the one a file was recorded with.
// Before the file's first frame, playback starts at that frame.
const eventLead = recorder.DefaultPre

// eventListWidth is the events list's width: a thumbnail and a line of
// text, leaving the video most of an 800 px window.
const eventListWidth = 230

// Event thumbnails in the list are this size (16:9).
const (
	eventThumbWidth  = 64
	eventThumbHeight = 36
)

// eventsPane is the view's list of the day's events, newest first: the
// time, duration and peak score of each, with its thumbnail when it has
// one. Selecting a row, or tapping its mark on the timeline, seeks to it.
type eventsPane struct {
	box    *fyne.Container // hidden when the day has no events
	title  *widget.Label
	list   *widget.List
	events []library.Event
	picked int // the row selected, or -1
}

func (v *recordingsView) newEventsPane() *eventsPane {
	p := &eventsPane{title: widget.NewLabel(""), picked: -1}
	p.list = widget.NewList(func() int { return len(p.events) }, func() fyne.CanvasObject {
		img := canvas.NewImageFromResource(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(eventThumbWidth, eventThumbHeight))
		return container.NewBorder(nil, nil, img, nil, widget.NewLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		e := p.events[id]
		c := o.(*fyne.Container)
		for _, x := range c.Objects {
			switch x := x.(type) {
			case *widget.Label:
				x.SetText(eventText(e))
			case *canvas.Image:
				if f := thumbnailFile(e.Thumbnail); x.File != f {
					x.File = f // empty: no picture
					x.Refresh()
				}
			}
		}
	})
	p.list.OnSelected = func(id widget.ListItemID) {
		p.picked = id
		v.seek(p.events[id].Start.Add(-eventLead))
	}
	p.list.OnUnselected = func(widget.ListItemID) { p.picked = -1 }
	width := canvas.NewRectangle(nil) // holds the pane's width
	width.SetMinSize(fyne.NewSize(eventListWidth, 0))
	p.box = container.NewStack(width, container.NewBorder(p.title, nil, nil, nil, p.list))
	p.box.Hide()
	v.tl.onEvent = func(i int) { p.pick(v, i) }
	return p
}

// pick selects row i (an event's mark was tapped), which seeks; a row
// already selected seeks again.
func (p *eventsPane) pick(v *recordingsView, i int) {
	if i == p.picked {
		v.seek(p.events[i].Start.Add(-eventLead))
		return
	}
	p.list.Select(i)
	p.list.ScrollTo(i)
}

// thumbnailFile is an event's thumbnail if it is still there, or "":
// retention or a hand may have removed it, and a picture that fails to
// load logs an error each time its row is drawn.
func thumbnailFile(path string) string {
	if path == "" {
		return ""
	}
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return path
}

// eventText is a row's line: start, duration and peak score.
func eventText(e library.Event) string {
	d := e.End.Sub(e.Start).Round(time.Second)
	return fmt.Sprintf("%s  %s  %d %%", e.Start.Local().Format("15:04:05"), shortDuration(d), int(math.Round(e.Score*100)))
}

// shortDuration is d as "7 s", "2 min 5 s" or "1 h 3 min".
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

// listEvents is the day's events, or none from a source without them.
func (v *recordingsView) listEvents(day time.Time) []library.Event {
	src, ok := v.src.(eventSource)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(v.ctx, indexTimeout)
	defer cancel()
	evs, err := src.Events(ctx, v.prof.Name, day, day.AddDate(0, 0, 1))
	if err != nil && v.ctx.Err() == nil {
		log.Printf("gui: %s: %s", v.prof.Name, oneLine(err))
	}
	return evs
}

// showEvents shows a day's events in the list and as marks.
func (v *recordingsView) showEvents(evs []library.Event) {
	p := v.events
	p.list.UnselectAll()
	p.picked = -1
	p.events = evs
	marks := make([]timeSpan, len(evs))
	for i, e := range evs {
		marks[i] = timeSpan{e.Start, e.End}
	}
	v.tl.setEvents(marks)
	p.title.SetText(fmt.Sprintf("%d motion events", len(evs)))
	if len(evs) == 1 {
		p.title.SetText("1 motion event")
	}
	p.list.Refresh()
	if shown := len(evs) > 0; shown != p.box.Visible() {
		p.box.Hidden = !shown
		if c := v.win.Content(); c != nil {
			c.Refresh() // lays the window out again, with or without the pane
		}
	}
}
