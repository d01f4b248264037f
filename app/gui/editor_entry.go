package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
)

// formEntry is an editor's text field: Enter saves and Escape cancels
// the editor, and a URL field moves credentials out of the URL when they
// are pasted or when the field loses focus, never while they are typed
// (half a URL is not one).
type formEntry struct {
	widget.Entry
	ed     *editor
	isURL  bool
	onBlur func() // runs when the field loses focus, after the split
}

func (e *editor) newEntry(text, placeholder string, v fyne.StringValidator, isURL, password bool) *formEntry {
	f := &formEntry{ed: e, isURL: isURL}
	f.Password = password
	f.ExtendBaseWidget(f)
	f.SetText(text)
	f.SetPlaceHolder(placeholder)
	f.Validator = v
	f.OnSubmitted = func(string) { e.save() }
	return f
}

// FocusLost moves credentials out of a URL.
func (f *formEntry) FocusLost() {
	f.Entry.FocusLost()
	f.splitCredentials()
	if f.onBlur != nil {
		f.onBlur()
	}
}

// TypedShortcut moves credentials out of a pasted URL.
func (f *formEntry) TypedShortcut(s fyne.Shortcut) {
	f.Entry.TypedShortcut(s)
	if _, paste := s.(*fyne.ShortcutPaste); paste {
		f.splitCredentials()
	}
}

// TypedKey: Escape cancels the editor.
func (f *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		f.ed.close()
		return
	}
	f.Entry.TypedKey(k)
}

// splitCredentials moves user and password of a URL field to their own
// fields, so the password is never shown; the rest of the URL stays.
func (f *formEntry) splitCredentials() {
	if !f.isURL {
		return
	}
	clean, user, pass := camdeck.SplitCredentials(f.Text)
	if user == "" {
		return
	}
	f.SetText(clean)
	f.CursorColumn = len([]rune(clean))
	f.ed.user.SetText(user)
	f.ed.pass.SetText(pass)
}
