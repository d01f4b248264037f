package gui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fileManager is the command that opens a folder on this system.
func fileManager() string {
	switch runtime.GOOS {
	case "darwin":
		return "open"
	case "windows":
		return "explorer"
	}
	return "xdg-open"
}

// openFolder opens dir in the file manager, creating it first. The
// opener is waited for, so it leaves no zombie; when it fails, a dialog
// says so and shows the path to copy.
func (ui *UI) openFolder(dir string) {
	ui.goBackground(func() {
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = ui.runOpener(dir)
		}
		if err != nil {
			ui.do(func() { ui.showFolderError(dir, err) })
		}
	})
}

// runOpener runs the file manager's opener on dir and waits for it to
// exit; closing the window stops it.
func (ui *UI) runOpener(dir string) error {
	cmd := exec.Command(fileManager(), dir)
	var out strings.Builder
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New("no file manager (" + fileManager() + " is not installed)")
		}
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-ui.closed:
		cmd.Process.Kill() // the one we started, by its PID
		return <-done
	}
	if err != nil {
		why := strings.TrimSpace(out.String())
		if why == "" {
			why = err.Error()
		}
		return fmt.Errorf("%s failed: %s", fileManager(), why)
	}
	return nil
}

// folderDialog says a folder could not be opened and offers its path.
type folderDialog struct {
	dlg  dialog.Dialog
	path *widget.Entry
	copy *widget.Button
}

func (ui *UI) showFolderError(dir string, err error) {
	if ui.closing {
		return
	}
	msg := widget.NewLabel("The folder could not be opened: " + oneLine(err) + ". It is:")
	msg.Wrapping = fyne.TextWrapWord
	path := widget.NewEntry()
	path.SetText(dir)
	fd := &folderDialog{path: path}
	fd.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		ui.app.Clipboard().SetContent(dir)
		ui.notify("Copied " + dir)
	})
	content := container.NewVBox(msg, container.NewBorder(nil, nil, nil, fd.copy, path))
	fd.dlg = dialog.NewCustom("Cannot open the folder", "Close", content, ui.win)
	fd.dlg.Resize(fyne.NewSize(min(560, ui.win.Canvas().Size().Width-40), content.MinSize().Height+120))
	ui.folderDlg = fd
	ui.showModal(fd.dlg)
}
