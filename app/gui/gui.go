// Package gui is camdeck's window. It is the only package that calls Fyne.
package gui

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	// internal/locale must set LANGUAGE before Fyne's lang package reads
	// the locale in its init. Nothing in this import list orders that: it
	// holds because Go initializes, of the packages whose imports are
	// ready, the one first by import path: internal/locale imports only
	// os and strings, and github.com/camdeck/... sorts before
	// github.com/jeandeaual/go-locale, which fyne.io/fyne/v2/lang waits
	// for. A rename or a new import there can break it;
	// TestLocaleBeforeFyne checks.
	_ "github.com/camdeck/camdeck/internal/locale"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/assets"
)

// AppID is camdeck's application ID, as in FyneApp.toml.
const AppID = "io.github.camdeck"

// Main opens the window with the cameras of the profile file
// (os.UserConfigDir()/camdeck/profiles.json) and returns the exit code
// once every recording is finished and the window is closed. Closing the
// window while cameras record asks whether to keep recording with the
// window hidden (the system tray shows it again). Ctrl+Q, SIGINT and
// SIGTERM quit at once, finishing the recordings.
func Main(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "camdeck: unknown command %q (camdeck help lists them)\n", args[0])
		return 2
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		// GLFW would panic with a stack trace; say what is wrong instead.
		fmt.Fprintln(os.Stderr, "camdeck: no display to open the window on (DISPLAY is not set); "+
			"run it on a desktop, or use a headless command (camdeck help)")
		return 1
	}
	// Passwords go to the desktop's keyring where it answers.
	store := &camdeck.Store{Keyring: &camdeck.Keyring{}}
	profiles, loadErr := store.Load()
	var broken *camdeck.BrokenError
	if loadErr != nil && !errors.As(loadErr, &broken) {
		fmt.Fprintln(os.Stderr, "camdeck:", loadErr)
		return 1
	}

	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(newAppTheme())
	w := a.NewWindow("camdeck")
	w.SetMaster()
	w.Resize(fyne.NewSize(1280, 760))

	lib, err := openRecordingsLibrary("")
	if err != nil { // the window works without; the Recordings view says so
		fmt.Fprintf(os.Stderr, "camdeck: %s; no recordings index\n", oneLine(err))
	}
	ui := newUI(a, w, store, options{lib: lib})
	defer ui.demo.Close()
	ui.build(profiles)
	if desk, ok := a.(desktop.App); ok && trayAvailable() {
		ui.setupTray(desk)
	}
	ui.startTicker()
	if broken != nil {
		fmt.Fprintln(os.Stderr, "camdeck:", broken)
		ui.showModal(dialog.NewError(broken, w))
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			ui.do(ui.requestClose)
		}
	}()

	w.ShowAndRun()
	return 0
}
