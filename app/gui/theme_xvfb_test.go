package gui

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/poll"
	"github.com/camdeck/camdeck/internal/pprofenv"
)

// TestFocusAndMessagesKeepNoMemory: focusing a camera and going back, and
// each message shown, must not keep memory in the real window. Fyne loads
// the fonts anew (about 2 MB a style, the emoji font among them) for each
// theme override it applies and keeps them until the theme changes; with
// an override on each tile's overlay and on each message, every focus
// change kept about 4 MB and every snapshot's message 1.5 MB. The heap is
// read from the window's own pprof endpoint after a collection.
func TestFocusAndMessagesKeepNoMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an X server and the app")
	}
	dir := t.TempDir()
	ps := []camdeck.Profile{camdeck.DemoProfile(), camdeck.DemoProfile()}
	for i := range ps {
		ps[i].Name = fmt.Sprintf("Demo %d", i+1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pprofAddr := ln.Addr().String()
	ln.Close()
	w := startWindowEnv(t, dir, []string{pprofenv.Var + "=" + pprofAddr}, ps...)
	x := w.x
	poll.Until(t, 30*time.Second, "both tiles to show video", func() bool {
		return tilesShowVideo(w.screen.Shot(t, dir, "live")) == nil
	})
	snaps := 0
	cycle := func() {
		x("mousemove", "400", "300", "click", "1", "key", "Return") // left of the messages
		time.Sleep(400 * time.Millisecond)
		x("key", "Escape")
		time.Sleep(400 * time.Millisecond)
		// A snapshot waits for a full-size frame, and S pressed meanwhile
		// is not a second one; a loaded machine may lose a key: press
		// again after a while.
		snaps++
		pressed := time.Time{}
		poll.Until(t, 30*time.Second, fmt.Sprintf("snapshot %d", snaps), func() bool {
			if time.Since(pressed) > 5*time.Second {
				x("mousemove", "400", "300", "click", "1", "key", "s")
				pressed = time.Now()
			}
			return len(globFiles(t, filepath.Join(dir, "snap", "*.jpg"))) >= snaps
		})
	}
	cycle() // the first focus and message make what later ones reuse
	time.Sleep(time.Second)
	before := heapAlloc(t, pprofAddr)
	const cycles = 8
	for range cycles {
		cycle()
	}
	time.Sleep(time.Second)
	after := heapAlloc(t, pprofAddr)
	// Before the fix 8 cycles kept 51 MB (6.4 MB a cycle); after it
	// 6.8 MB (caches of text sizes, renderers and the last full-size
	// frame, which a cycle may keep), less than a font a cycle.
	if grown := int64(after) - int64(before); grown > 2*cycles<<20 {
		t.Fatalf("%d focus changes and snapshot messages kept %.1f MB of heap", cycles, float64(grown)/(1<<20))
	}
}

// heapAlloc is the live heap of the process serving pprof at addr, after a
// garbage collection.
func heapAlloc(t *testing.T, addr string) uint64 {
	t.Helper()
	c := http.Client{Timeout: 20 * time.Second}
	resp, err := c.Get("http://" + addr + "/debug/pprof/heap?debug=1&gc=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# HeapAlloc = "); ok {
			var n uint64
			if _, err := fmt.Sscan(v, &n); err != nil || n == 0 {
				t.Fatalf("heap profile: HeapAlloc %q", v)
			}
			return n
		}
	}
	t.Fatalf("no HeapAlloc in the heap profile (%v)", sc.Err())
	return 0
}

func globFiles(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
