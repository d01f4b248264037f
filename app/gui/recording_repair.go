package gui

import (
	"log"

	"github.com/camdeck/camdeck/recorder"
)

// repairRecordings finishes, in the background, the recordings that a
// crash left unfinished in the cameras' folders (each folder once), and
// logs what it repaired. A recording started meanwhile is safe: Repair
// leaves alone the files a live recorder holds.
func (ui *UI) repairRecordings() {
	var dirs []string
	seen := map[string]bool{}
	for _, c := range ui.cams {
		if d := c.prof.Recordings(); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	ui.goBackground(func() {
		for _, d := range dirs {
			fixed, err := recorder.Repair(d)
			for _, f := range fixed {
				msg := "gui: repaired %s (unfinished, %.1f s)"
				args := []any{f.Path, f.Duration.Seconds()}
				if f.Cut > 0 {
					msg += ", cut %d bytes of a torn part"
					args = append(args, f.Cut)
				}
				log.Printf(msg, args...)
			}
			if err != nil {
				log.Printf("gui: %s", oneLine(err))
			}
		}
	})
}
