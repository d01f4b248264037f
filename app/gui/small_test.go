package gui

import (
	"testing"

	camdeck "github.com/camdeck/camdeck/app"
)

// TestFocusButtonTip: in the focused view the focus button says it goes
// back.
func TestFocusButtonTip(t *testing.T) {
	h := newHarness(t, []camdeck.Profile{profile("Gate"), profile("Yard")})
	b := h.ui.cams[0].tile.focusBtn
	if b.tip != "Focus this camera (Enter); Escape goes back" {
		t.Fatalf("grid: %q", b.tip)
	}
	h.ui.toggleFocus(h.ui.cams[0])
	if b.tip != "Back to the grid (Escape)" {
		t.Fatalf("focused: %q", b.tip)
	}
	h.ui.toggleFocus(h.ui.cams[0])
	if b.tip != "Focus this camera (Enter); Escape goes back" {
		t.Fatalf("back in the grid: %q", b.tip)
	}
	h.ui.bg.Wait()
}
