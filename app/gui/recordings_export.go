package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/recorder"
)

// exporter is a source that cuts a camera's range into one MP4.
type exporter interface {
	Export(ctx context.Context, camera string, from, to time.Time, out string,
		progress func(library.Progress)) (library.ExportResult, error)
}

// usager is a source that tells what a camera's recordings take: the
// bytes, the span kept, and the bytes free on their file system (-1
// when unknown).
type usager interface {
	Usage(ctx context.Context, camera string) (library.Usage, int64, error)
}

// keeper is a source that says who keeps the recordings, when it cannot
// say what they take.
type keeper interface {
	Where() string
}

// exportJob is an export the view runs.
type exportJob struct {
	cancel context.CancelFunc
	path   string
	msg    string // when finished: what the message said
}

// exportBar is the row under the controls: the range to export, the
// Export button, and the space the camera's recordings take.
func (v *recordingsView) exportBar() fyne.CanvasObject {
	v.selLbl = widget.NewLabel("")
	from := widget.NewButton("From", func() { v.mark(true) })
	to := widget.NewButton("To", func() { v.mark(false) })
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { v.setSelection(timeSpan{}) })
	v.exportBtn = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), v.askExport)
	v.usageLbl = widget.NewLabel("")
	v.usageLbl.Truncation = fyne.TextTruncateEllipsis
	v.setSelection(timeSpan{})
	return container.NewBorder(nil, nil, container.NewHBox(from, to, clear, v.exportBtn, v.selLbl), nil, v.usageLbl)
}

// mark sets the start (or the end) of the range to export at the frame
// shown; a start after the end (or an end before the start) moves the
// other end along, so the range is never empty.
func (v *recordingsView) mark(start bool) {
	at, s := v.tl.cursor, v.tl.sel
	if at.IsZero() {
		return
	}
	if start {
		s.Start = at
		if !s.End.After(at) {
			s.End = at.Add(time.Minute)
		}
	} else {
		s.End = at
		if s.Start.IsZero() || !s.Start.Before(at) {
			s.Start = at.Add(-time.Minute)
		}
	}
	v.setSelection(s)
}

func (v *recordingsView) setSelection(s timeSpan) {
	v.tl.setSelection(s)
	if s.Start.IsZero() { // Export takes what is shown
		v.selLbl.SetText("")
		return
	}
	v.selLbl.SetText(s.Start.Format("15:04:05") + "–" + s.End.Format("15:04:05"))
}

// exportRange is the selection, or else the part of the timeline shown.
func (v *recordingsView) exportRange() (time.Time, time.Time) {
	if s := v.tl.sel; s.End.After(s.Start) {
		return s.Start, s.End
	}
	return v.tl.from, v.tl.from.Add(v.tl.span)
}

// exportName is the file name the save dialog proposes.
func (v *recordingsView) exportName(from time.Time) string {
	return recorder.SafeName(v.prof.Name) + "_" + from.Format("2006-01-02_15-04-05") + "_export.mp4"
}

// askExport asks where to save the range, then exports it.
func (v *recordingsView) askExport() {
	if v.exp != nil {
		return
	}
	if _, ok := v.src.(exporter); !ok {
		return
	}
	from, to := v.exportRange()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		v.export(from, to, path)
	}, v.win)
	d.SetFileName(v.exportName(from))
	if dir, err := storage.ListerForURI(storage.NewFileURI(v.prof.Recordings())); err == nil {
		d.SetLocation(dir)
	}
	d.Resize(fyne.NewSize(min(v.win.Canvas().Size().Width, 700), min(v.win.Canvas().Size().Height, 460)))
	d.Show()
}

// export writes [from, to) to path in the background, with a progress
// dialog, and names the file in a message when done.
func (v *recordingsView) export(from, to time.Time, path string) {
	ex, ok := v.src.(exporter)
	if !ok || v.exp != nil {
		return
	}
	ctx, cancel := context.WithCancel(v.ctx)
	job := &exportJob{cancel: cancel, path: path}
	v.exp = job
	v.exportBtn.Disable()
	bar := widget.NewProgressBar()
	prog := dialog.NewCustom("Exporting "+filepath.Base(path), "Cancel", bar, v.win)
	prog.SetOnClosed(cancel)
	prog.Show()
	var pending atomic.Bool
	var latest atomic.Value
	progress := func(p library.Progress) {
		latest.Store(p)
		if pending.CompareAndSwap(false, true) { // at most one refresh pending
			v.do(func() {
				pending.Store(false)
				if p := latest.Load().(library.Progress); p.Total > 0 {
					bar.SetValue(float64(p.Done) / float64(p.Total))
				}
			})
		}
	}
	camera := v.prof.Name
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		res, err := ex.Export(ctx, camera, from, to, path, progress)
		if err != nil {
			os.Remove(path) // the empty file the save dialog made; Export never leaves a partial one
		}
		cancel()
		v.do(func() {
			prog.SetOnClosed(func() {}) // done: hiding it cancels nothing
			prog.Hide()
			v.exportBtn.Enable()
			v.exp = nil
			if err != nil {
				job.msg = fmt.Sprintf("%s: export failed: %s", camera, oneLine(err))
				if v.ctx.Err() == nil {
					dialog.ShowError(fmt.Errorf("%s", job.msg), v.win)
				}
			} else {
				job.msg = fmt.Sprintf("%s: exported %s to %s (%s, %s) as%s", camera,
					res.From.Format("15:04:05"), res.To.Format("15:04:05"), res.To.Sub(res.From).Round(time.Second),
					byteSize(res.Bytes), "\n"+path)
				if v.ctx.Err() == nil {
					dialog.ShowInformation("Export finished", job.msg, v.win)
				}
			}
			if err == nil {
				v.timeLbl.SetText("saved " + filepath.Base(path))
			}
			v.lastExport = job
			v.showUsage()
		})
	}()
}

// showUsage shows, in the background, the space the camera's recordings
// take, the span kept and the free space.
func (v *recordingsView) showUsage() {
	us, ok := v.src.(usager)
	if w, kept := v.src.(keeper); !ok && kept {
		v.usageLbl.SetText(w.Where())
	}
	if !ok {
		return
	}
	camera := v.prof.Name
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		ctx, cancel := context.WithTimeout(v.ctx, indexTimeout)
		defer cancel()
		u, free, err := us.Usage(ctx, camera)
		text := usageText(u, free, v.prof.KeepDays)
		if err != nil {
			text = oneLine(err)
		}
		v.do(func() { v.usageLbl.SetText(text) })
	}()
}

// usageText is a camera's recordings in one short line: the space they
// take, the span kept, the camera's limit and the free space: "94.0 MB:
// 03-01 09:00 – 03-14 10:05, keep 14 d · 120 GB free".
func usageText(u library.Usage, free int64, keepDays int) string {
	s := "nothing kept"
	if u.Segments > 0 {
		last := u.Last.Format("01-02 15:04")
		if sameDay(u.First, u.Last) {
			last = u.Last.Format("15:04")
		}
		s = fmt.Sprintf("%s: %s – %s", byteSize(u.Bytes), u.First.Format("01-02 15:04"), last)
	}
	if keepDays > 0 {
		s += fmt.Sprintf(", keep %d d", keepDays)
	}
	if free >= 10e9 {
		s += fmt.Sprintf(" · %.0f GB free", float64(free)/1e9)
	} else if free >= 0 {
		s += " · " + byteSize(free) + " free"
	}
	return s
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
