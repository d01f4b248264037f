package gui

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	camdeck "github.com/camdeck/camdeck/app"
)

// near tells whether a and b are the same width give or take a unit.
func near(a, b float32) bool { return math.Abs(float64(a-b)) <= 1 }

// absX is where o starts on the window's canvas.
func absX(h *harness, o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).X
}

// dragDivider drags the split's divider by dx.
func dragDivider(h *harness, dx float32) {
	c := h.win.Canvas()
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.ui.sidebar)
	at := p.Add(fyne.NewPos(h.ui.sidebar.Size().Width+2, h.ui.sidebar.Size().Height/2))
	test.Drag(c, at, dx, 0)
}

// TestSidebarSplit: the camera list is a split of its own width; a drag
// of the divider widens it, and the width stays in units when the window
// changes size; the toolbar button and Ctrl+B hide it, the grid taking
// the whole width, and show it again at its width.
func TestSidebarSplit(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	h.ui.bg.Wait()
	if w := h.ui.sidebar.Size().Width; !near(w, sidebarDefault) {
		t.Fatalf("list %.0f wide, want %d", w, sidebarDefault)
	}
	if x := absX(h, h.ui.grid); x < sidebarDefault {
		t.Fatalf("the grid starts at %.0f, under the list", x)
	}

	dragDivider(h, 90)
	if w := h.ui.sidebar.Size().Width; !near(w, sidebarDefault+90) {
		t.Fatalf("after a 90 drag the list is %.0f wide, want %d", w, sidebarDefault+90)
	}
	h.win.Resize(fyne.NewSize(1000, 600))
	if w := h.ui.sidebar.Size().Width; !near(w, sidebarDefault+90) {
		t.Fatalf("in a 1000 wide window the list is %.0f wide, want %d", w, sidebarDefault+90)
	}
	h.win.Resize(fyne.NewSize(1280, 760))
	if w := h.ui.sidebar.Size().Width; !near(w, sidebarDefault+90) {
		t.Fatalf("back at 1280 the list is %.0f wide, want %d", w, sidebarDefault+90)
	}

	test.Tap(h.ui.sideBtn)
	win := h.win.Canvas().Size()
	pad := 2 * theme.Padding() // the window's own padding
	if h.ui.sidebar.Visible() || absX(h, h.ui.grid) > pad || h.ui.grid.Size().Width < win.Width-2*pad {
		t.Fatalf("hidden list: visible %v, grid at %.0f, %.0f wide in %.0f",
			h.ui.sidebar.Visible(), absX(h, h.ui.grid), h.ui.grid.Size().Width, win.Width)
	}
	if h.ui.sideBtn.tip != "Show the camera list (Ctrl+B)" {
		t.Errorf("button tip %q", h.ui.sideBtn.tip)
	}
	ctrlB := &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(ctrlB)
	if !h.ui.sidebar.Visible() || !near(h.ui.sidebar.Size().Width, sidebarDefault+90) {
		t.Fatalf("Ctrl+B: visible %v, %.0f wide", h.ui.sidebar.Visible(), h.ui.sidebar.Size().Width)
	}
	if x := absX(h, h.ui.grid); x < sidebarDefault+90 {
		t.Fatalf("the grid starts at %.0f, under the list", x)
	}
	h.ui.bg.Wait()
}

// TestTileDragReorders: dragging the first of four tiles onto the last
// place moves its camera there, in the grid, the list and the saved
// profiles; the list's down button moves the selected one back.
func TestTileDragReorders(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("A"), profile("B"), profile("C"), profile("D")})
	first, last := h.ui.cams[0].tile, h.ui.cams[3].tile
	from := fyne.CurrentApp().Driver().AbsolutePositionForObject(first).Add(fyne.NewPos(20, 20))
	to := fyne.CurrentApp().Driver().AbsolutePositionForObject(last).Add(fyne.NewPos(20, 20))
	test.Drag(h.win.Canvas(), from, to.X-from.X, to.Y-from.Y)
	names := func() []string {
		var s []string
		for _, c := range h.ui.cams {
			s = append(s, c.prof.Name)
		}
		return s
	}
	if got := names(); !slices.Equal(got, []string{"B", "C", "D", "A"}) {
		t.Fatalf("order after the drag: %v", got)
	}
	if p := first.Position(); h.ui.grid.Objects[3] != first || p.X <= 0 || p.Y <= 0 { // 2x2: bottom right
		t.Fatalf("the dragged tile is not in the last place: at %v", first.Position())
	}
	h.ui.bg.Wait()
	saved, err := h.store.Load()
	if err != nil || len(saved) != 4 || saved[0].Name != "B" || saved[3].Name != "A" {
		t.Fatalf("saved: %v %+v", err, saved)
	}
	h.ui.selectCamera(h.ui.cams[1]) // C
	h.ui.moveSelected(-1)
	if got := names(); !slices.Equal(got, []string{"C", "B", "D", "A"}) {
		t.Fatalf("order after moving C up: %v", got)
	}
	h.ui.bg.Wait()
}

// TestLayoutMemory: the window's size, the list's width and hiding, the
// grid's order and the focused camera come back after a restart, from a
// file next to profiles.json, mode 0600.
func TestLayoutMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "camdeck", camdeck.FileName)
	h := newHarnessAt(t, []camdeck.Profile{profile("Gate"), profile("Yard"), profile("Porch")}, path)
	h.win.Resize(fyne.NewSize(1000, 640))
	dragDivider(h, 50)
	h.ui.selectCamera(h.ui.cams[2])
	h.ui.moveSelected(-1) // Gate, Porch, Yard
	h.ui.toggleFocus(h.ui.cams[1])
	h.ui.toggleSidebar()
	h.ui.requestClose()
	h.q.until(t, "the window to quit", h.ui.quit.Load)

	file := filepath.Join(filepath.Dir(path), LayoutFileName)
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("layout file: %v %v", err, st)
	}
	b, _ := os.ReadFile(file)
	var l windowLayout
	if err := json.Unmarshal(b, &l); err != nil || l.Width != 1000 || l.Height != 640 ||
		!near(l.SidebarWidth, sidebarDefault+50) || !l.SidebarHidden || l.Focused != "Porch" || l.FocusedIndex != 1 {
		t.Fatalf("layout file %v: %s", err, b)
	}

	ps, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	h2 := newHarnessAt(t, ps, path)
	if s := h2.win.Canvas().Size(); s != fyne.NewSize(1000, 640) {
		t.Errorf("window %v after the restart", s)
	}
	if f := h2.ui.focused; f == nil || f.prof.Name != "Porch" || slices.Index(h2.ui.cams, f) != 1 {
		t.Fatalf("focused after the restart: %v", f)
	}
	for _, c := range h2.ui.cams {
		if c.tile.Visible() != (c == h2.ui.focused) {
			t.Errorf("%s: tile visible %v in the focused view", c.prof.Name, c.tile.Visible())
		}
	}
	if h2.ui.sidebar.Visible() {
		t.Error("the list is shown after the restart")
	}
	h2.ui.toggleSidebar()
	if w := h2.ui.sidebar.Size().Width; !near(w, sidebarDefault+50) {
		t.Errorf("list %.0f wide after the restart, want %d", w, sidebarDefault+50)
	}
	h2.ui.bg.Wait()
}
