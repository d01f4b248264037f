package gui

import (
	"path/filepath"
	"slices"

	camdeck "github.com/camdeck/camdeck/app"
)

// layoutPath is where the layout file goes: next to the profile file.
func layoutPath(store *camdeck.Store) string {
	if store == nil || store.Path == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(store.Path), LayoutFileName)
}

// sidebarMost bounds a remembered list width: wider is a broken file.
const sidebarMost = 1200

// restoreLayout applies what can be applied before the cameras are
// added: the window's size and the camera list. It returns the layout
// for restoreFocus.
func (ui *UI) restoreLayout() windowLayout {
	if ui.layoutPath == "" {
		return windowLayout{}
	}
	l, err := readLayout(ui.layoutPath)
	if err != nil {
		ui.notify(oneLine(err))
	}
	if sz, ok := l.windowSize(); ok {
		ui.win.Resize(sz)
	}
	if l.SidebarWidth >= sidebarLeast && l.SidebarWidth <= sidebarMost {
		ui.sideWidth = l.SidebarWidth
	}
	ui.sideHidden = l.SidebarHidden
	return l
}

// restoreFocus focuses the camera that was focused: the one of that
// name at that place, else the first of that name.
func (ui *UI) restoreFocus(l windowLayout) {
	if l.Focused == "" {
		return
	}
	i := l.FocusedIndex
	if i < 0 || i >= len(ui.cams) || ui.cams[i].prof.Name != l.Focused {
		i = slices.IndexFunc(ui.cams, func(c *camera) bool { return c.prof.Name == l.Focused })
	}
	if i >= 0 {
		ui.toggleFocus(ui.cams[i])
	}
}

// currentLayout is the window's layout now. A full-screen window keeps
// the size it had before.
func (ui *UI) currentLayout() windowLayout {
	if !ui.win.FullScreen() {
		if sz := ui.win.Canvas().Size(); sz.Width > 0 && sz.Height > 0 {
			ui.winSize = sz
		}
	}
	ui.readSidebarWidth()
	l := windowLayout{Width: ui.winSize.Width, Height: ui.winSize.Height,
		SidebarWidth: ui.sideWidth, SidebarHidden: ui.sideHidden}
	if c := ui.focused; c != nil {
		l.Focused, l.FocusedIndex = c.prof.Name, slices.Index(ui.cams, c)
	}
	for _, c := range ui.cams {
		if c.sound != soundDefault && c.prof.ID != "" {
			if l.Sound == nil {
				l.Sound = map[string]string{}
			}
			l.Sound[c.prof.ID] = map[soundChoice]string{soundOn: "on", soundOff: "off"}[c.sound]
		}
		if c.volume != fullVolume && c.prof.ID != "" {
			if l.Volume == nil {
				l.Volume = map[string]int{}
			}
			l.Volume[c.prof.ID] = c.volume
		}
	}
	return l
}

// restoreSound gives each camera the sound choice and the volume the
// layout kept.
func (ui *UI) restoreSound(l windowLayout) {
	for _, c := range ui.cams {
		if v, ok := l.Volume[c.prof.ID]; ok {
			c.setVolume(v)
		}
		switch l.Sound[c.prof.ID] {
		case "on":
			c.sound = soundOn
		case "off":
			c.sound = soundOff
		}
	}
}

// saveLayout writes the layout file in the background; as with the
// profiles, saves run one at a time and each writes the newest layout.
func (ui *UI) saveLayout() {
	if ui.layoutPath == "" || ui.restoring {
		return
	}
	l := ui.currentLayout()
	ui.layoutMu.Lock()
	ui.pendingLayout = &l
	ui.layoutMu.Unlock()
	ui.goBackground(func() {
		ui.layoutMu.Lock()
		defer ui.layoutMu.Unlock()
		l := ui.pendingLayout
		if l == nil {
			return
		}
		ui.pendingLayout = nil
		if err := writeLayout(ui.layoutPath, *l); err != nil {
			ui.do(func() { ui.notify(oneLine(err)) })
		}
	})
}

// moveCamera moves camera from to place to in the grid and the list, and
// saves the profiles in the new order.
func (ui *UI) moveCamera(from, to int) {
	n := len(ui.cams)
	if from < 0 || from >= n || to < 0 || to >= n || from == to {
		return
	}
	c := ui.cams[from]
	ui.cams = slices.Insert(slices.Delete(ui.cams, from, from+1), to, c)
	objs := slices.Clone(ui.grid.Objects)
	o := objs[from]
	ui.grid.Objects = slices.Insert(slices.Delete(objs, from, from+1), to, o)
	ui.grid.Refresh()
	ui.list.Select(to)
	ui.list.Refresh()
	ui.save()
	ui.saveLayout() // the focused camera's place
}

// moveSelected moves the selected camera by d places (-1 up, +1 down).
func (ui *UI) moveSelected(d int) {
	if i := slices.Index(ui.cams, ui.selected); i >= 0 {
		ui.moveCamera(i, i+d)
	}
}
