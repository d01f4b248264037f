package gui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
)

// selectCamera makes c the camera shortcuts act on.
func (ui *UI) selectCamera(c *camera) {
	if ui.selected == c {
		return
	}
	old := ui.selected
	ui.selected = c
	if old != nil {
		old.tile.update()
	}
	if c != nil {
		c.tile.update()
		if i := slices.Index(ui.cams, c); i >= 0 {
			ui.list.Select(i)
		}
	} else {
		ui.list.UnselectAll()
	}
}

// toggleFocus shows c alone on its main stream, or goes back to the grid.
func (ui *UI) toggleFocus(c *camera) {
	if ui.focused == c {
		ui.unfocus()
		return
	}
	ui.unfocus()
	ui.selectCamera(c)
	ui.focused = c
	for _, o := range ui.cams {
		setVisible(o.tile, o == c)
	}
	c.setFocused(true)
	ui.grid.Refresh()
	ui.win.SetTitle("camdeck · " + c.prof.Name)
	c.tile.update()
	ui.updateSound()
	ui.saveLayout()
}

// unfocus goes back to the grid.
func (ui *UI) unfocus() {
	c := ui.focused
	if c == nil {
		return
	}
	ui.focused = nil
	c.tile.resetZoom()
	ui.updateSound() // before the main stream goes
	c.setFocused(false)
	for _, o := range ui.cams {
		setVisible(o.tile, true)
	}
	ui.grid.Refresh()
	ui.win.SetTitle("camdeck")
	c.tile.update()
	ui.saveLayout()
}

// back leaves the focused view, else full screen.
func (ui *UI) back() {
	switch {
	case ui.focused != nil:
		ui.unfocus()
	case ui.win.FullScreen():
		ui.toggleFullScreen()
	}
}

// toggleFullScreen fills the screen with the tiles alone.
func (ui *UI) toggleFullScreen() {
	full := !ui.win.FullScreen()
	ui.win.SetFullScreen(full)
	setVisible(ui.toolbar, !full)
	ui.showSidebar()
}

// toggleStats shows or hides the stats on every tile.
func (ui *UI) toggleStats() {
	ui.showStats = !ui.showStats
	if ui.showStats {
		ui.statsBtn.Importance = widget.HighImportance // reads as pressed
	} else {
		ui.statsBtn.Importance = widget.LowImportance
	}
	ui.statsBtn.Refresh()
	ui.refreshAll()
}

// toggleRecordAll records every camera, or stops them all when all are
// recording.
func (ui *UI) toggleRecordAll() {
	all := true
	for _, c := range ui.cams {
		all = all && c.rec != nil
	}
	for _, c := range ui.cams {
		if all {
			c.stopRecording()
		} else {
			c.startRecording()
		}
	}
	ui.refreshAll()
}

// openRecordings opens the current camera's recordings folder in the
// file manager, creating it first.
func (ui *UI) openRecordings() {
	dir := camdeck.DefaultRecordDir()
	if c := ui.current(); c != nil {
		dir = c.prof.Recordings()
	}
	ui.openFolder(dir)
}

// openSnapshots opens the current camera's snapshots folder.
func (ui *UI) openSnapshots() {
	dir := camdeck.DefaultSnapshotDir()
	if c := ui.current(); c != nil {
		dir = c.prof.Snapshots()
	}
	ui.openFolder(dir)
}

// profiles are the cameras' profiles in order.
func (ui *UI) profiles() []camdeck.Profile {
	ps := make([]camdeck.Profile, len(ui.cams))
	for i, c := range ui.cams {
		ps[i] = c.prof
	}
	return ps
}

// save writes the profiles in the background. Saves run one at a time
// and each writes the newest profiles, so a slow disk never reorders
// them.
func (ui *UI) save() {
	ui.saveMu.Lock()
	ui.pendingSave = ui.profiles()
	ui.saveMu.Unlock()
	if ps, lim := ui.profiles(), ui.store.Retention; ui.lib != nil { // a camera's KeepDays may have changed
		ui.goBackground(func() { ui.lib.setPolicy(ps, lim) })
	}
	ui.goBackground(func() {
		ui.saveMu.Lock()
		defer ui.saveMu.Unlock()
		ps := ui.pendingSave
		if ps == nil {
			return
		}
		ui.pendingSave = nil
		if err := ui.store.Save(ps); err != nil {
			ui.do(func() { ui.notify(oneLine(err)) })
		}
	})
}

// setRetention sets the profile file's limits for all cameras, which the
// next save writes (and applies): under saveMu, as saves read them.
func (ui *UI) setRetention(lim camdeck.Retention) {
	ui.saveMu.Lock()
	ui.store.Retention = lim
	ui.saveMu.Unlock()
}

// addProfile adds a camera and saves.
func (ui *UI) addProfile(p camdeck.Profile) {
	c := ui.addCamera(p)
	ui.selectCamera(c)
	ui.save()
	ui.refreshAll()
}

// replaceProfile restarts camera i with an edited profile and saves.
func (ui *UI) replaceProfile(i int, p camdeck.Profile) {
	ui.restart(i, p)
	ui.save()
	ui.refreshAll()
}

// restart stops camera i and starts it again with profile p.
func (ui *UI) restart(i int, p camdeck.Profile) *camera {
	old := ui.cams[i]
	if ui.focused == old {
		ui.unfocus()
	}
	old.stop()
	c := newCamera(ui, p)
	c.sound = old.sound
	c.setVolume(old.volume)
	ui.cams[i] = c
	ui.grid.Objects[i] = c.tile
	if ui.focused != nil {
		c.tile.Hide()
	}
	ui.grid.Refresh()
	c.start()
	ui.updateSound()
	if ui.selected == old {
		ui.selected = nil
		ui.selectCamera(c)
	}
	return c
}

// retry connects camera c again now, instead of after its back-off or
// never (a wrong password fails for good). A recording goes on in a new
// file; the focused view stays.
func (ui *UI) retry(c *camera) {
	i := slices.Index(ui.cams, c)
	if i < 0 || ui.closing {
		return
	}
	focused, recording := ui.focused == c, c.rec != nil
	n := ui.restart(i, c.prof)
	if focused {
		ui.toggleFocus(n)
	}
	if recording {
		n.startRecording()
	}
	ui.refreshAll()
}

// removeProfile stops camera i, removes it and saves.
func (ui *UI) removeProfile(i int) {
	c := ui.cams[i]
	if ui.focused == c {
		ui.unfocus()
	}
	c.stop()
	ui.cams = slices.Delete(ui.cams, i, i+1)
	ui.grid.Remove(c.tile)
	if ui.selected == c {
		ui.selected = nil
		ui.list.UnselectAll()
		if len(ui.cams) > 0 {
			ui.selectCamera(ui.cams[min(i, len(ui.cams)-1)])
		}
	}
	ui.save()
	ui.refreshAll()
}

// finishTimeout bounds closing: recordings are finished and sessions
// closed well within it; past it camdeck quits anyway, and the fragmented
// files lose at most their last part.
const finishTimeout = 20 * time.Second

// requestClose finishes every recording and closes every session in the
// background, then quits. The window stays until then.
func (ui *UI) requestClose() {
	if ui.closing {
		return
	}
	ui.saveLayout() // before closing: the final wait waits for it
	ui.closing = true
	close(ui.closed)
	if ui.stopTick != nil {
		close(ui.stopTick)
	}
	ui.stopPresent()
	var recs []*recording
	var sessions []stream
	for _, c := range ui.cams {
		if c.rec != nil {
			recs = append(recs, c.rec)
			c.rec = nil
		}
		c.tile.attach(nil)
		for _, f := range []*feed{c.live, c.main} {
			if f.sess != nil {
				sessions = append(sessions, f.sess)
				f.sess, f.dec, f.users, f.watchers = nil, nil, 0, 0
			}
		}
	}
	if len(recs) > 0 {
		ui.notify("Finishing recordings…")
	}
	done := make(chan struct{})
	go func() {
		for _, r := range recs {
			r.sess.RemoveSink(r.sink)
			r.sink.Close()
		}
		for _, s := range sessions {
			s.Close()
		}
		ui.bg.Wait()
		if ui.lib != nil {
			ui.lib.Close() // after the last file is finished into it
		}
		close(done)
	}()
	go func() {
		select {
		case <-done:
		case <-time.After(finishTimeout):
		}
		ui.do(ui.quitApp)
	}()
}

// quitApp quits Fyne, on the UI goroutine. No fyne.Do is begun after
// it: Fyne would run that function on the caller's goroutine.
func (ui *UI) quitApp() {
	ui.quitMu.Lock()
	ui.quit.Store(true)
	ui.quitMu.Unlock()
	ui.app.Quit()
}
