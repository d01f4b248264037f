package gui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
)

// UI is camdeck's window: the camera list, the grid of tiles, the
// toolbar. Its fields are the UI goroutine's; background work reaches it
// through do.
type UI struct {
	app         fyne.App
	win         fyne.Window
	store       *camdeck.Store
	demo        *demoCamera                       // started when a profile needs it
	open        func(streamConfig) stream         // opens a camera stream
	newRecorder func(recorderConfig) recorderSink // makes a recorder
	do          func(func())                      // runs on the UI goroutine; fyne.Do
	bg          sync.WaitGroup                    // background work in flight
	lib         *recordingsLibrary                // the recordings index; nil without one
	openSound   func() (soundOutput, error)       // opens the sound device
	soundDev    soundOutput                       // nil: none (yet)
	soundWhy    string                            // why there is no sound device

	cams         []*camera
	selected     *camera
	focused      *camera
	showStats    bool
	closing      bool
	modal        int     // dialogs open: shortcuts are off meanwhile
	editing      *editor // open: Enter saves it, Escape cancels it
	allRecording bool    // the record-all button shows stop
	sideWidth    float32 // the camera list's width, kept while it is hidden
	sideShown    float32 // the list's width at the last layout
	sideHidden   bool    // the camera list is hidden

	tips      *tipLayer
	toast     *toast
	grid      *fyne.Container
	empty     fyne.CanvasObject
	list      *widget.List
	toolbar   fyne.CanvasObject
	sidebar   fyne.CanvasObject
	split     *container.Split // the list | the grid
	sideBtn   *iconButton      // hides or shows the list
	recAllBtn *iconButton
	statsBtn  *iconButton
	menu      *widget.PopUpMenu // a camera's, shown last
	tray      *fyne.Menu        // the system tray's menu; nil: no tray
	closeDlg  *closeDialog      // the close button's question, while open
	hidden    bool              // the window is hidden, recording on
	folderDlg *folderDialog     // shown last
	closed    chan struct{}     // closed when the window starts closing

	presenter   *presenter
	stopPresent context.CancelFunc
	tickPending atomic.Bool
	quit        atomic.Bool  // set when the app quits
	quitMu      sync.RWMutex // held to set quit, read-held by do
	stopTick    chan struct{}

	saveMu      sync.Mutex
	pendingSave []camdeck.Profile // the newest profiles not saved yet

	userDirs      sync.Once // defineUserDirs, before the first file dialog
	layoutPath    string    // the layout file; "": none kept
	restoring     bool      // the layout is being restored: nothing to save
	winSize       fyne.Size
	layoutMu      sync.Mutex
	pendingLayout *windowLayout // the newest layout not saved yet
}

// options are what Main and tests choose.
type options struct {
	demoURL     string // a fixed demo camera URL (tests); empty: start one on demand
	open        func(streamConfig) stream
	newRecorder func(recorderConfig) recorderSink
	do          func(func())
	post        func(func())                // what do calls when do is nil; fyne.Do
	lib         *recordingsLibrary          // the recordings index; nil: none (the window then has no Recordings view)
	sound       func() (soundOutput, error) // opens the sound device; nil: speaker.Open
}

func newUI(a fyne.App, w fyne.Window, store *camdeck.Store, o options) *UI {
	ui := &UI{app: a, win: w, store: store, demo: &demoCamera{url: o.demoURL},
		open: o.open, newRecorder: o.newRecorder, do: o.do, lib: o.lib, closed: make(chan struct{}),
		layoutPath: layoutPath(store)}
	if ui.open == nil {
		ui.open = openSession
	}
	if ui.newRecorder == nil {
		ui.newRecorder = newRecorder
	}
	ui.openSound = o.sound
	if ui.openSound == nil {
		ui.openSound = openSound
	}
	if ui.do == nil {
		post := o.post
		if post == nil {
			post = fyne.Do
		}
		ui.do = func(f func()) {
			// Once Fyne has quit, fyne.Do runs f at once on this
			// goroutine ("Error in Fyne call thread"): the check and the
			// call hold quitMu, so quitApp cannot come between them.
			ui.quitMu.RLock()
			defer ui.quitMu.RUnlock()
			if !ui.quit.Load() {
				post(f)
			}
		}
	}
	ui.tips = newTipLayer(ui.do)
	ui.toast = newToast(ui.do)
	ui.presenter = newPresenter(ui.do)
	ctx, cancel := context.WithCancel(context.Background())
	ui.stopPresent = cancel
	go ui.presenter.run(ctx)
	return ui
}

// build lays out the window and starts every camera.
func (ui *UI) build(ps []camdeck.Profile) {
	ui.restoring = true
	defer func() { ui.restoring = false }()
	lay := ui.restoreLayout()
	ui.grid = container.New(gridLayout{})
	msg := widget.NewLabel("No cameras yet.\nAdd one with the + button under the camera list.")
	msg.Alignment = fyne.TextAlignCenter
	ui.empty = container.NewCenter(msg)
	ui.list = ui.newCameraList()
	ui.toolbar = ui.newToolbar()

	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(sidebarLeast, 0))
	ui.sidebar = container.NewBorder(ui.newListHeader(), ui.newListButtons(), nil, nil, container.NewStack(width, ui.list))
	if ui.sideWidth == 0 {
		ui.sideWidth = sidebarDefault
	}

	main := container.NewBorder(ui.toolbar, nil, nil, nil,
		ui.newSidebarSplit(container.NewStack(ui.empty, ui.grid, ui.toast.layer)))
	ui.win.SetContent(container.NewStack(main, ui.tips.layer))
	ui.win.SetTitle("camdeck")
	ui.setupKeys()
	ui.findSound()
	ui.win.SetCloseIntercept(ui.closeWindow)
	ui.showSidebar()

	for _, p := range ps {
		ui.addCamera(p)
	}
	if len(ui.cams) > 0 {
		ui.selectCamera(ui.cams[0])
	}
	ui.restoreSound(lay)
	ui.restoreFocus(lay)
	ui.repairRecordings()
	for _, c := range ui.cams {
		if c.prof.AutoRecord {
			c.startRecording()
		}
	}
	ui.refreshAll()
}

func (ui *UI) newToolbar() fyne.CanvasObject {
	ui.recAllBtn = newIconButton(ui.tips, recordIcon(), "Record all cameras", ui.toggleRecordAll)
	snap := newIconButton(ui.tips, theme.MediaPhotoIcon(), "Snapshot of the selected camera (S)", func() {
		if c := ui.current(); c != nil {
			c.snapshot()
		}
	})
	folder := newIconButton(ui.tips, theme.FolderOpenIcon(), "Open the recordings folder", ui.openRecordings)
	snaps := newIconButton(ui.tips, theme.FileImageIcon(), "Open the snapshots folder", ui.openSnapshots)
	ui.statsBtn = newIconButton(ui.tips, theme.InfoIcon(), "Show stats on every tile: fps, bitrate, resolution, latency", ui.toggleStats)
	full := newIconButton(ui.tips, theme.ViewFullScreenIcon(), "Full screen (F11)", ui.toggleFullScreen)
	ui.sideBtn = newIconButton(ui.tips, theme.MenuIcon(), "Hide the camera list (Ctrl+B)", ui.toggleSidebar)
	hint := widget.NewLabel("Double-click a camera to focus it · R record · S snapshot · F11 full screen")
	hint.SizeName = theme.SizeNameCaptionText
	hint.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, widget.NewSeparator(), container.NewHBox(ui.sideBtn, ui.recAllBtn, snap, folder, snaps, ui.statsBtn, full), nil, hint)
}

// addCamera starts a camera and gives it a tile.
func (ui *UI) addCamera(p camdeck.Profile) *camera {
	if p.ID == "" { // its password's keyring item is found by it
		p.ID = camdeck.NewProfileID()
	}
	c := newCamera(ui, p)
	ui.cams = append(ui.cams, c)
	ui.grid.Add(c.tile)
	if ui.focused != nil {
		c.tile.Hide()
	}
	c.start()
	return c
}

// current is the camera shortcuts act on: the focused one, else the
// selected one.
func (ui *UI) current() *camera {
	if ui.focused != nil {
		return ui.focused
	}
	return ui.selected
}

// refreshAll shows what changed everywhere: tiles, list, toolbar.
func (ui *UI) refreshAll() {
	setVisible(ui.empty, len(ui.cams) == 0)
	for _, c := range ui.cams {
		c.tile.update()
	}
	ui.list.Refresh()
	all := len(ui.cams) > 0
	for _, c := range ui.cams {
		all = all && c.rec != nil
	}
	if all != ui.allRecording {
		ui.allRecording = all
		ui.recAllBtn.showRecording(all, "Stop all recordings", "Record all cameras")
	}
}

// notify shows a short message at the bottom of the window.
func (ui *UI) notify(msg string) { ui.toast.show(msg) }

// goBackground runs f off the UI goroutine; closing the window waits
// for it.
func (ui *UI) goBackground(f func()) {
	if ui.closing { // the final wait has begun: no new Add
		go f()
		return
	}
	ui.bg.Add(1)
	go func() {
		defer ui.bg.Done()
		f()
	}()
}

// startTicker updates clocks, countdowns and stats once a second.
func (ui *UI) startTicker() {
	ui.stopTick = make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ui.stopTick:
				return
			case <-t.C:
			}
			if ui.tickPending.CompareAndSwap(false, true) {
				ui.do(func() {
					ui.tickPending.Store(false)
					ui.tick()
				})
			}
		}
	}()
}

func (ui *UI) tick() {
	if ui.closing {
		return
	}
	ui.refreshAll()
}

// setText sets a label's text and says whether it changed.
func setText(l *widget.Label, s string) bool {
	if l.Text == s {
		return false
	}
	l.SetText(s)
	return true
}

func setVisible(o fyne.CanvasObject, v bool) {
	if o.Visible() != v {
		if v {
			o.Show()
		} else {
			o.Hide()
		}
	}
}
