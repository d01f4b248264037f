package gui

import (
	"context"
	"log"

	"github.com/camdeck/camdeck/recorder"
)

// repairRecordings finishes, in the background, the recordings that a
// crash left unfinished in the cameras' folders (each folder once), and
// logs what it repaired. A recording started meanwhile is safe: Repair
// leaves alone the files a live recorder holds. Then it brings the
// recordings index in step with the folders and starts retention.
func (ui *UI) repairRecordings() {
	ps, lim := ui.profiles(), ui.store.Retention
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
		if ui.lib != nil {
			ctx, cancel := context.WithCancel(context.Background())
			go func() { // closing the window ends a long rescan
				select {
				case <-ui.closed:
				case <-ctx.Done():
				}
				cancel()
			}()
			if err := ui.lib.rescan(ctx, roots(ps)); err != nil && ctx.Err() == nil {
				log.Printf("gui: %s", oneLine(err))
			}
			cancel()
			ui.lib.setPolicy(ps, lim)
		}
	})
}
