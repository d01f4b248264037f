package gui

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"

	"github.com/camdeck/camdeck/internal/atomicfile"
)

// LayoutFileName is the file, next to the profile file, that keeps how
// the window was laid out: its size, the camera list's width and whether
// it was hidden, and the focused camera. The grid's order is the order of
// the profile file.
const LayoutFileName = "window.json"

// windowLayout is the layout file's content.
type windowLayout struct {
	Width         float32 `json:"width,omitempty"`
	Height        float32 `json:"height,omitempty"`
	SidebarWidth  float32 `json:"sidebarWidth,omitempty"`
	SidebarHidden bool    `json:"sidebarHidden,omitempty"`
	// Focused names the focused camera ("": the grid); FocusedIndex is
	// its place in the grid, for two cameras of the same name.
	Focused      string `json:"focused,omitempty"`
	FocusedIndex int    `json:"focusedIndex,omitempty"`
	// Sound is each camera's choice to be heard ("on") or not ("off"),
	// by profile id; a camera left out is heard while focused.
	Sound map[string]string `json:"sound,omitempty"`
	// Volume is each camera's volume in % (0 to 100), by profile id; a
	// camera left out plays at 100.
	Volume map[string]int `json:"volume,omitempty"`
}

// maxLayoutFile bounds what is read: the file is a few lines.
const maxLayoutFile = 64 << 10

// Window sizes a layout file may ask for, in Fyne units: smaller is
// unusable, larger is a broken file.
const (
	layoutLeastW, layoutLeastH = 480, 320
	layoutMost                 = 16384
)

// readLayout reads the layout file at path. A missing file is no layout;
// a broken one is said once and ignored, as the window works without it.
func readLayout(path string) (windowLayout, error) {
	var l windowLayout
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("gui: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxLayoutFile+1))
	if err == nil && len(data) > maxLayoutFile {
		err = fmt.Errorf("larger than %d bytes", maxLayoutFile)
	}
	if err == nil {
		err = json.Unmarshal(data, &l)
	}
	if err != nil {
		return windowLayout{}, fmt.Errorf("gui: %s: %w", filepath.Base(path), err)
	}
	return l, nil
}

// writeLayout writes the layout file atomically, mode 0600.
func writeLayout(path string, l windowLayout) error {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return fmt.Errorf("gui: %w", err)
	}
	err = atomicfile.Write(path, 0o600, 0o700, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("gui: saving the window's layout: %w", err)
	}
	return nil
}

// windowSize is the size a layout asks for, if it asks for a sensible one.
func (l windowLayout) windowSize() (fyne.Size, bool) {
	if l.Width < layoutLeastW || l.Height < layoutLeastH || l.Width > layoutMost || l.Height > layoutMost {
		return fyne.Size{}, false
	}
	return fyne.NewSize(l.Width, l.Height), true
}
