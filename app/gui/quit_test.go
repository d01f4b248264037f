package gui

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
)

// TestNoFyneDoAfterQuit: background goroutines hand work to the UI while
// the window quits; none reaches fyne.Do once quitApp has returned, as
// Fyne would then run it on the background goroutine ("Error in Fyne
// call thread" at close).
func TestNoFyneDoAfterQuit(t *testing.T) {
	a := test.NewTempApp(t)
	store := &camdeck.Store{Path: filepath.Join(t.TempDir(), camdeck.FileName)}
	const rounds, workers = 40, 4
	late := 0
	for range rounds {
		var quitted atomic.Bool
		var lateRound atomic.Int64
		ui := newUI(a, test.NewTempWindow(t, nil), store, options{post: func(func()) {
			if quitted.Load() {
				lateRound.Add(1)
			}
		}})
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var started sync.WaitGroup
		for range workers {
			wg.Add(1)
			started.Add(1)
			go func() {
				defer wg.Done()
				started.Done()
				for {
					select {
					case <-stop:
						return
					default:
						ui.do(func() {})
					}
				}
			}()
		}
		started.Wait()
		ui.quitApp()
		quitted.Store(true)
		close(stop)
		wg.Wait()
		ui.stopPresent()
		late += int(lateRound.Load())
	}
	if late > 0 {
		t.Fatalf("%d fyne.Do calls began after the app quit", late)
	}
}
