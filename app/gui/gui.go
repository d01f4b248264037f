// Package gui is camdeck's window. It is the only package that calls Fyne.
package gui

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	_ "github.com/camdeck/camdeck/internal/locale" // before Fyne reads the locale

	"github.com/camdeck/camdeck/internal/democam"
)

// Main opens the window and returns the exit code when it is closed.
func Main(args []string) int {
	demo := &democam.Server{}
	if err := demo.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "camdeck:", err)
		return 1
	}
	defer demo.Close()

	a := app.NewWithID("io.github.camdeck")
	w := a.NewWindow("camdeck")
	w.SetContent(widget.NewLabel("Demo camera: " + demo.URL()))
	w.Resize(fyne.NewSize(960, 600))
	w.ShowAndRun()
	return 0
}
