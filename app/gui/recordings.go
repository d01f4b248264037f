package gui

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// RecordingsSource lists a camera's recorded segments that overlap
// [from, to), oldest first. The library's index satisfies it through a
// small adapter, indexRecordings, which also rescans, exports and sums
// what the view shows (rescanner, exporter, usager).
type RecordingsSource interface {
	Segments(ctx context.Context, camera string, from, to time.Time) ([]decode.Segment, error)
}

// rescanner is a source that can bring itself in step with the files.
type rescanner interface {
	Rescan(ctx context.Context) error
}

// showRecordingsView opens the Recordings view of the current camera (V).
func (ui *UI) showRecordingsView() {
	if c := ui.current(); c != nil {
		ui.showRecordings(c)
	}
}

// showRecordings opens the Recordings view of camera c: from its tile's
// menu, its list entry, or V.
func (ui *UI) showRecordings(c *camera) *recordingsView {
	if c.prof.PlaybackURL != "" { // recorded by a MediaMTX server
		src, err := newMediaMTXRecordings(c.prof)
		if err != nil {
			ui.notify(c.prof.Name + ": " + oneLine(err))
			return nil
		}
		ui.selectCamera(c)
		v := newRecordingsView(ui.app, src, c.prof, ui.do)
		v.win.Show()
		return v
	}
	if ui.lib == nil {
		ui.notify(c.prof.Name + ": no recordings index, so no Recordings view (the log says why)")
		return nil
	}
	ui.selectCamera(c)
	v := newRecordingsView(ui.app, ui.lib.recordingsOf(c.prof), c.prof, ui.do)
	v.win.Show()
	return v
}

// recordingsView is a window that plays one camera's recordings of a day.
type recordingsView struct {
	win  fyne.Window
	src  RecordingsSource
	prof camdeck.Profile
	day  time.Time
	do   func(func()) // runs on the UI goroutine

	usageLbl   *widget.Label
	selLbl     *widget.Label
	exportBtn  *widget.Button
	exp        *exportJob // the export running, or nil
	lastExport *exportJob // the last one finished

	dayLbl  *widget.Label
	timeLbl *widget.Label
	tl      *timeline
	events  *eventsPane
	img     *canvas.Image
	playBtn *widget.Button

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	seeks  chan time.Time // the newest seek asked, for the worker
	mu     sync.Mutex     // guards pb and dec against the workers
	pb     *decode.Playback
	dec    *decode.Decoder
	shown  *decode.Frame
	redraw atomic.Bool // a fyne.Do refresh is pending
	listed int         // days asked to list; a listing shows if none was asked after it
}

func newRecordingsView(app fyne.App, src RecordingsSource, p camdeck.Profile, do func(func())) *recordingsView {
	v := &recordingsView{src: src, prof: p, do: do, seeks: make(chan time.Time, 1)}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	now := time.Now()
	v.day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	v.win = app.NewWindow("Recordings: " + p.Name)
	v.dayLbl = widget.NewLabel("")
	v.timeLbl = widget.NewLabel("--")
	v.timeLbl.TextStyle.Monospace = true
	v.tl = newTimeline(v.day, v.seek)
	v.events = v.newEventsPane()
	v.img = canvas.NewImageFromImage(nil)
	v.img.FillMode = canvas.ImageFillContain
	v.playBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), v.togglePlay)
	speed := widget.NewSelect([]string{"1x", "2x", "4x", "8x"}, func(s string) {
		n := int(s[0] - '0')
		v.withPlayback(func(pb *decode.Playback) { pb.SetSpeed(n) })
	})
	speed.SetSelected("1x")
	step := widget.NewButtonWithIcon("", theme.MediaSkipNextIcon(), func() {
		v.withPlayback(func(pb *decode.Playback) { _ = pb.Step() })
	})
	snap := widget.NewButtonWithIcon("", theme.FileImageIcon(), v.snapshot)
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { v.tl.zoom(0.5, v.tl.cursorOrMiddle()) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { v.tl.zoom(2, v.tl.cursorOrMiddle()) })
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.setDay(v.day.AddDate(0, 0, -1)) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.setDay(v.day.AddDate(0, 0, 1)) })

	bar := container.NewHBox(prev, v.dayLbl, next, widget.NewSeparator(), v.playBtn, step, speed,
		widget.NewSeparator(), snap, zoomOut, zoomIn, widget.NewSeparator(), v.timeLbl)
	v.win.SetContent(container.NewBorder(nil, container.NewVBox(v.tl, bar, v.exportBar()), nil, v.events.box, v.img))
	v.win.Resize(fyne.NewSize(780, 470)) // fits an 800x500 screen; it can be maximized
	v.win.SetOnClosed(v.close)
	v.wg.Add(1)
	go v.seekWorker()
	v.timeLbl.SetText("reading the recordings…")
	v.wg.Add(1)
	go func() { // files deleted or copied in by hand are noticed first
		defer v.wg.Done()
		if r, ok := src.(rescanner); ok {
			ctx, cancel := context.WithTimeout(v.ctx, time.Minute)
			if err := r.Rescan(ctx); err != nil && v.ctx.Err() == nil {
				log.Printf("gui: %s: %s", p.Name, oneLine(err))
			}
			cancel()
		}
		if v.ctx.Err() == nil {
			v.do(func() { v.setDay(v.day) })
		}
	}()
	return v
}

// cursorOrMiddle is where the zoom buttons zoom around.
func (t *timeline) cursorOrMiddle() time.Time {
	if t.cursor.After(t.from) && t.cursor.Before(t.from.Add(t.span)) {
		return t.cursor
	}
	return t.from.Add(t.span / 2)
}

// setDay lists the day's segments and starts a playback of them at the
// first one. A playback server is asked off the UI goroutine (the index
// answers at once): the day shows when it answers, unless another day
// was asked meanwhile.
func (v *recordingsView) setDay(day time.Time) {
	if v.ctx.Err() != nil {
		return // closed
	}
	v.day = day
	v.showUsage()
	v.dayLbl.SetText(day.Format("Mon 2006-01-02"))
	v.tl.from, v.tl.span = day, maxTimelineSpan
	v.mu.Lock()
	old := v.pb
	v.pb, v.dec = nil, nil
	v.mu.Unlock()
	if old != nil {
		old.Close()
	}
	v.listed++
	if _, remote := v.src.(fetcher); !remote {
		segs, err := v.list(day)
		v.showEvents(v.listEvents(day))
		v.showDay(segs, err)
		return
	}
	v.showEvents(nil)
	v.tl.setSpans(nil)
	v.timeLbl.SetText(askingServer)
	n := v.listed
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		segs, err := v.list(day)
		v.do(func() {
			if n == v.listed && v.ctx.Err() == nil {
				v.showDay(segs, err)
			}
		})
	}()
}

// askingServer is what the view says while a playback server lists a day.
const askingServer = "asking the server…"

// list is the day's segments.
func (v *recordingsView) list(day time.Time) ([]decode.Segment, error) {
	ctx, cancel := context.WithTimeout(v.ctx, indexTimeout) // a playback server's /list, too
	defer cancel()
	return v.src.Segments(ctx, v.prof.Name, day, day.AddDate(0, 0, 1))
}

// showDay shows a day's segments on the timeline and starts a playback
// of them at the first one.
func (v *recordingsView) showDay(segs []decode.Segment, err error) {
	spans := make([]timeSpan, 0, len(segs))
	for _, s := range segs {
		if n := len(spans); n > 0 && !s.Start.After(spans[n-1].End.Add(time.Second)) {
			spans[n-1].End = s.End()
			continue
		}
		spans = append(spans, timeSpan{s.Start, s.End()})
	}
	if len(spans) > 0 { // frame what was recorded, with a margin
		first, last := spans[0].Start, spans[len(spans)-1].End
		v.tl.span = min(max(last.Sub(first)*5/4, minTimelineSpan), maxTimelineSpan)
		v.tl.from = first.Add(-v.tl.span / 10)
	}
	v.tl.setSpans(spans)
	if err != nil || len(segs) == 0 {
		v.timeLbl.SetText("no recordings")
		if err != nil {
			v.timeLbl.SetText(oneLine(err))
		}
		return
	}
	dec := &decode.Decoder{Slot: decode.NewFrameSlot()}
	dec.SetOutputSize(960, 540)
	pb := &decode.Playback{Decoder: dec, Segments: segs}
	if f, ok := v.src.(fetcher); ok {
		pb.Fetch = f.Fetch
	}
	if err := pb.Start(); err != nil {
		v.timeLbl.SetText(oneLine(err))
		return
	}
	v.mu.Lock()
	v.pb, v.dec = pb, dec
	v.mu.Unlock()
	v.wg.Add(1)
	go v.pump(pb, dec.Slot)
	v.seek(segs[0].Start)
}

// seek asks the worker to seek; a newer request replaces one not started.
func (v *recordingsView) seek(t time.Time) {
	select {
	case <-v.seeks:
	default:
	}
	v.seeks <- t
}

func (v *recordingsView) seekWorker() {
	defer v.wg.Done()
	for {
		select {
		case <-v.ctx.Done():
			return
		case t := <-v.seeks:
			v.withPlayback(func(pb *decode.Playback) { _ = pb.Seek(t) })
		}
	}
}

// withPlayback runs f off the UI goroutine on the current playback.
func (v *recordingsView) withPlayback(f func(*decode.Playback)) {
	v.mu.Lock()
	pb := v.pb
	v.mu.Unlock()
	if pb != nil {
		f(pb)
	}
}

func (v *recordingsView) togglePlay() {
	v.withPlayback(func(pb *decode.Playback) {
		if pb.Playing() {
			pb.Pause()
			v.playBtn.SetIcon(theme.MediaPlayIcon())
		} else {
			pb.Play()
			v.playBtn.SetIcon(theme.MediaPauseIcon())
		}
	})
}

// pump shows the playback's frames, with at most one refresh pending.
func (v *recordingsView) pump(pb *decode.Playback, slot *decode.FrameSlot) {
	defer v.wg.Done()
	for {
		select {
		case <-v.ctx.Done():
			return
		case <-slot.Ready():
		}
		if !v.redraw.CompareAndSwap(false, true) {
			continue
		}
		v.do(func() {
			v.redraw.Store(false)
			f := slot.Take()
			if f == nil {
				return
			}
			if v.shown != nil {
				slot.Release(v.shown.Image)
			}
			v.shown = f
			v.img.Image = f.Image
			v.img.Refresh()
			at := pb.Wallclock(f.PTS)
			v.timeLbl.SetText(at.Format("2006-01-02 15:04:05.000"))
			v.tl.setCursor(at)
			if !pb.Playing() {
				v.playBtn.SetIcon(theme.MediaPlayIcon())
			}
		})
	}
}

// snapshot saves the frame shown, at full resolution, as a JPEG.
func (v *recordingsView) snapshot() {
	v.withPlayback(func(pb *decode.Playback) {
		ctx, cancel := context.WithTimeout(v.ctx, snapshotTimeout)
		defer cancel()
		img, err := pb.Snapshot(ctx)
		if err == nil {
			path := recorder.SnapshotPath(v.prof.Snapshots(), v.prof.Name, time.Now())
			if err = recorder.WriteJPEG(path, img, recorder.SnapshotQuality); err == nil {
				v.timeLbl.SetText("saved " + filepath.Base(path))
				return
			}
		}
		v.timeLbl.SetText(fmt.Sprintf("no snapshot: %s", oneLine(err)))
	})
}

func (v *recordingsView) close() {
	v.cancel()
	v.wg.Wait()
	v.mu.Lock()
	pb := v.pb
	v.pb = nil
	v.mu.Unlock()
	if pb != nil {
		pb.Close()
	}
	closeSource(v.src)
}
