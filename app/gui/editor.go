package gui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
)

// editor is the form of one profile: it validates as the user types,
// tests the connection, and saves into the UI.
type editor struct {
	ui    *UI
	index int // of the camera edited; -1 adds one
	orig  camdeck.Profile

	name, url, sub, user, pass *formEntry
	recDir, snapDir            *formEntry
	segment, limit             *formEntry
	transport                  *widget.Select
	auto                       *widget.Check
	kept                       retentionFields
	playback                   playbackFields
	errLabel, testResult       *widget.Label
	testBtn, saveBtn, cancel   *widget.Button
	limitNote                  *widget.Label    // "no limit" for 0
	passItem                   *widget.FormItem // its hint says where the password is kept
	certNote                   *widget.Label    // set when the camera's certificate changed
	trustBtn                   *widget.Button   // "Trust the new certificate"
	dlg                        dialog.Dialog
	content                    fyne.CanvasObject
	scroll                     *container.Scroll // the form: the buttons stay in view below it
	natural                    fyne.Size         // the content's size unscrolled
}

func newEditor(ui *UI, index int, p camdeck.Profile) *editor {
	e := &editor{ui: ui, index: index, orig: p}
	e.name = e.newEntry(p.Name, "Front door", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a camera needs a name")
		}
		return nil
	}, false, false)
	e.url = e.newEntry(p.URL, "rtsp://camera.local:554/stream1, or demo", urlValidator(false), true, false)
	e.sub = e.newEntry(p.SubURL, "optional: a smaller stream for the grid", urlValidator(true), true, false)
	e.user = e.newEntry(p.User, "", nil, false, false)
	// Credentials pasted into a URL, or left there when it loses focus,
	// move to their own fields (formEntry), so the password is never shown.
	e.pass = e.newEntry(p.Password, "", nil, false, true)
	e.transport = widget.NewSelect([]string{transportDefaultLabel, "tcp", "udp", "multicast", "auto"}, nil)
	e.transport.SetSelected(strings.ToLower(cmpOr(p.Transport, transportDefaultLabel)))
	e.recDir = e.newEntry(p.Recordings(), "", nil, false, false)
	e.snapDir = e.newEntry(p.Snapshots(), "", nil, false, false)
	e.segment = e.newEntry(durationText(p.Segment), "15m; 0 makes one file", durationValidator(10*time.Second), false, false)
	e.limit = e.newEntry(durationText(p.Limit), "0: no limit", durationValidator(0), false, false)
	e.limitNote = widget.NewLabel("")
	e.limit.OnChanged = func(string) { e.showLimitNote() }
	e.showLimitNote()
	e.auto = widget.NewCheck("Record when camdeck starts", nil)
	e.auto.SetChecked(p.AutoRecord)
	e.kept = e.newRetentionFields(p, ui.store.Retention)
	e.playback = e.newPlaybackFields(p)

	e.errLabel = widget.NewLabel("")
	e.errLabel.Importance = widget.DangerImportance
	e.errLabel.Wrapping = fyne.TextWrapWord
	e.errLabel.Hide()
	e.testResult = widget.NewLabel("")
	e.testResult.Wrapping = fyne.TextWrapWord
	e.testBtn = widget.NewButton("Test connection", e.test)
	e.saveBtn = widget.NewButton("Save", e.save)
	e.saveBtn.Importance = widget.HighImportance
	e.cancel = widget.NewButton("Cancel", func() { e.close() })

	e.passItem = withHint(widget.NewFormItem("Password", e.pass), ui.store.PasswordNote(p.ID))
	form := widget.NewForm(
		widget.NewFormItem("Name", e.name),
		withHint(widget.NewFormItem("Main URL", e.url), "Recording, snapshots, focused view. demo = "+camdeck.DemoLabel),
		withHint(widget.NewFormItem("Sub-stream URL", e.sub), "Grid tiles use it when set"),
		widget.NewFormItem("User", e.user),
		e.passItem,
		widget.NewFormItem("Transport", e.transport),
		widget.NewFormItem("Recordings folder", e.recDir),
		withHint(widget.NewFormItem("Segment length", e.segment), "A new file every so often, at a keyframe"),
		withHint(widget.NewFormItem("Duration limit", container.NewBorder(nil, nil, nil, e.limitNote, e.limit)),
			"A recording stops by itself after this"),
		widget.NewFormItem("", e.auto),
	)
	for _, it := range e.kept.items() {
		form.AppendItem(it)
	}
	form.AppendItem(widget.NewFormItem("Snapshots folder", e.snapDir))
	for _, it := range e.playback.items() {
		form.AppendItem(it)
	}
	buttons := container.NewHBox(e.testBtn, layout.NewSpacer(), e.cancel, e.saveBtn)
	body := container.NewVBox(form, e.testResult, e.errLabel)
	if cert := e.newCertBox(); cert != nil {
		body = container.NewVBox(cert, widget.NewSeparator(), form, e.testResult, e.errLabel)
	}
	e.natural = fyne.NewSize(body.MinSize().Width, body.MinSize().Height+buttons.MinSize().Height+theme.Padding())
	e.scroll = container.NewVScroll(body)
	e.content = container.NewBorder(nil, buttons, nil, nil, e.scroll)
	return e
}

// showLimitNote says what a duration limit of 0 means.
func (e *editor) showLimitNote() {
	note := ""
	if d, err := camdeck.ParseDuration(e.limit.Text); err == nil && d == 0 {
		note = "no limit"
	}
	setText(e.limitNote, note)
}

func withHint(it *widget.FormItem, hint string) *widget.FormItem {
	it.HintText = hint
	return it
}

// transportDefaultLabel is the transport choice that leaves it to the
// player: TCP, or UDP for a camera that refuses TCP. An explicit "tcp"
// never falls back.
const transportDefaultLabel = "default (tcp, udp if refused)"

// transportChoice is the profile's transport as selected.
func (e *editor) transportChoice() string {
	if e.transport.Selected == transportDefaultLabel {
		return "" // player.TransportDefault
	}
	return e.transport.Selected
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func durationText(d camdeck.Duration) string { return d.String() }

func urlValidator(optional bool) fyne.StringValidator {
	return func(s string) error {
		if optional && strings.TrimSpace(s) == "" {
			return nil
		}
		if err := camdeck.ValidateURL(s); err != nil {
			return errors.New(strings.TrimPrefix(oneLine(err), camdeck.ErrURL.Error()+": "))
		}
		return nil
	}
}

func durationValidator(least time.Duration) fyne.StringValidator {
	return func(s string) error {
		d, err := camdeck.ParseDuration(s)
		switch {
		case err != nil:
			return errors.New("like 90s, 15m or 1h30m")
		case d < 0:
			return errors.New("cannot be negative")
		case d != 0 && d < least:
			return errors.New("at least " + least.String() + ", or 0")
		}
		return nil
	}
}

// profile reads the form; the error is the first field in error.
func (e *editor) profile() (camdeck.Profile, error) {
	e.url.splitCredentials() // Enter saves before the field loses focus
	e.sub.splitCredentials()
	for _, en := range []*formEntry{e.name, e.url, e.sub, e.segment, e.limit} {
		if err := en.Validate(); err != nil {
			return camdeck.Profile{}, err
		}
	}
	p := e.orig
	p.Name = strings.TrimSpace(e.name.Text)
	p.URL = strings.TrimSpace(e.url.Text)
	p.SubURL = strings.TrimSpace(e.sub.Text)
	p.User, p.Password = e.user.Text, e.pass.Text
	p.Transport = e.transportChoice()
	p.RecordDir, p.SnapshotDir = strings.TrimSpace(e.recDir.Text), strings.TrimSpace(e.snapDir.Text)
	seg, _ := camdeck.ParseDuration(e.segment.Text)
	lim, _ := camdeck.ParseDuration(e.limit.Text)
	p.Segment, p.Limit = camdeck.Duration(seg), camdeck.Duration(lim)
	p.AutoRecord = e.auto.Checked
	days, _, err := e.kept.read()
	if err != nil {
		return camdeck.Profile{}, err
	}
	p.KeepDays = days
	if p.PlaybackURL, p.PlaybackPath, err = e.playback.read(); err != nil {
		return camdeck.Profile{}, err
	}
	if err := p.Validate(); err != nil {
		return p, errors.New(strings.TrimPrefix(oneLine(err), "app: "))
	}
	return p, nil
}

func (e *editor) showError(err error) {
	if err == nil {
		e.errLabel.Hide()
		return
	}
	e.errLabel.SetText(err.Error())
	e.errLabel.Show()
}

// save validates, shows what is wrong or hands the profile to the UI.
func (e *editor) save() {
	p, err := e.profile()
	e.showError(err)
	if err != nil {
		return
	}
	_, lim, _ := e.kept.read() // read by profile
	e.ui.setRetention(lim)
	if e.index < 0 {
		e.ui.addProfile(p)
	} else if e.index < len(e.ui.cams) {
		e.ui.replaceProfile(e.index, p)
	}
	e.close()
}

func (e *editor) close() {
	if e.dlg != nil {
		e.dlg.Hide()
	}
}

// showEditor opens the editor of camera i (-1: a new camera).
func (ui *UI) showEditor(i int, p camdeck.Profile) *editor {
	e := newEditor(ui, i, p)
	title := "Add a camera"
	if i >= 0 {
		title = "Edit " + p.Name
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, e.content, ui.win)
	e.dlg.Resize(editorSize(e.natural, ui.win.Canvas().Size()))
	ui.showModal(e.dlg)
	ui.editing = e
	e.dlg.SetOnClosed(func() { // after showModal's
		if ui.editing == e {
			ui.editing = nil
		}
	})
	ui.win.Canvas().Focus(e.name)
	return e
}

// editorWidth is the editor's width when the window has room: URLs fit.
const editorWidth = 620

// editorMargin is the window's space kept around the editor, and its
// title and padding, in Fyne units.
const editorMargin = 60

// editorSize fits the editor in the window: the form scrolls when the
// window is too small for all of it.
func editorSize(natural, win fyne.Size) fyne.Size {
	w, h := float32(editorWidth), natural.Height+editorMargin
	if win.Width > 0 && win.Height > 0 {
		w = min(w, win.Width-editorMargin/2)
		h = min(h, win.Height-editorMargin/2)
	}
	return fyne.NewSize(w, h)
}
