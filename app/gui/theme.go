package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme, which follows the system's dark or
// light preference, with camdeck's accent: a calm blue that reads on both
// variants and stays apart from the recording red.
type appTheme struct{ fyne.Theme }

func newAppTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

// Color overrides the primary colour only.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		if v == theme.VariantLight {
			return color.NRGBA{R: 0x1a, G: 0x5f, B: 0xb4, A: 0xff}
		}
		return color.NRGBA{R: 0x4a, G: 0x9e, B: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, v)
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

// darkVariant is a theme that always draws its dark variant: text and
// icons laid over video must be light whatever the system prefers.
type darkVariant struct{ fyne.Theme }

// Color always asks for the dark variant.
func (t darkVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantDark)
}

// overlayTheme draws o for a place over video.
func overlayTheme(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, darkVariant{newAppTheme()})
}
