package gui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/camdeck/camdeck/player"
)

// certChange is the certificate mismatch that stopped camera i, if its
// last connection failed with one: the fingerprint trusted and the one
// the camera presents now.
func (ui *UI) certChange(i int) *player.CertificateError {
	if i < 0 || i >= len(ui.cams) {
		return nil
	}
	c := ui.cams[i]
	for _, f := range []*feed{c.main, c.live} {
		var ce *player.CertificateError
		if errors.As(f.State().Err, &ce) {
			return ce
		}
	}
	return nil
}

// newCertBox shows, when the camera refused to connect because its
// certificate changed, both fingerprints and "Trust the new certificate";
// nil otherwise.
func (e *editor) newCertBox() fyne.CanvasObject {
	ce := e.ui.certChange(e.index)
	if ce == nil {
		return nil
	}
	e.certNote = widget.NewLabel(fmt.Sprintf("The camera's certificate changed, so camdeck does not connect to it.\n"+
		"Trusted: sha256 %s\nNow: sha256 %s\n"+
		"Trust the new one only if you expect the change (a new camera, or a new certificate on it); "+
		"otherwise someone may be between camdeck and the camera.", ce.Want, ce.Got))
	e.certNote.Wrapping = fyne.TextWrapWord
	e.certNote.Importance = widget.WarningImportance
	e.trustBtn = widget.NewButton("Trust the new certificate", func() { e.trust(ce.Got) })
	return container.NewVBox(e.certNote, container.NewHBox(e.trustBtn))
}

// trust stores the fingerprint in the camera's profile, saves it and
// reconnects. The form's other fields stay as edited, for Save or Cancel.
func (e *editor) trust(fingerprint string) {
	if e.index < 0 || e.index >= len(e.ui.cams) {
		return
	}
	p := e.ui.cams[e.index].prof
	p.TLSFingerprint = fingerprint
	e.orig.TLSFingerprint = fingerprint // Save keeps it
	e.ui.replaceProfile(e.index, p)
	e.trustBtn.Disable()
	e.certNote.Importance = widget.MediumImportance
	e.certNote.SetText("The new certificate is trusted (sha256 " + fingerprint + "); camdeck reconnects to the camera.")
}
