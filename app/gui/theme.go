package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme in its dark variant, whatever the
// system prefers, with camdeck's accent: a calm blue that stays apart from
// the recording red. Dark, as video tools are (VLC's player, Frigate,
// Agent DVR, the vendors' clients): the picture is what should stand out,
// and the text and icons laid over video must be light anyway. One theme
// for the whole window also spares Fyne's theme overrides, which load the
// fonts again each time they are applied (about 2 MB a style) and keep
// them: the window grew by megabytes with each focus change and message.
type appTheme struct{ fyne.Theme }

func newAppTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

// Color draws the dark variant, with the accent as primary colour.
func (t appTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0x4a, G: 0x9e, B: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, theme.VariantDark)
}

// recordIcon is the record button's red dot. It is made when needed:
// theme icons need the app.
func recordIcon() fyne.Resource {
	return theme.NewColoredResource(theme.MediaRecordIcon(), theme.ColorNameError)
}

// showRecording makes b a stop button with the tip stop while on (something
// records), else a record button with the tip record.
func (b *iconButton) showRecording(on bool, stop, record string) {
	if on {
		b.tip = stop
		b.SetIcon(theme.MediaStopIcon())
	} else {
		b.tip = record
		b.SetIcon(recordIcon())
	}
}
