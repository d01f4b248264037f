package main

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// xserver is an Xvfb the GUI figures draw on.
type xserver struct {
	p       *proc
	display string
}

// startXvfb starts Xvfb on a free display (it picks one and reports it on
// a pipe) with a screen of w x h.
func startXvfb(w, h int) (*xserver, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("bench: xvfb: %w", err)
	}
	defer r.Close()
	p := &proc{name: "Xvfb", lines: make(chan string), done: make(chan struct{})}
	p.cmd = exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	p.cmd.ExtraFiles = []*os.File{wr}
	p.cmd.Stderr = lockedWriter{p}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		wr.Close()
		return nil, fmt.Errorf("bench: xvfb: %w", err)
	}
	wr.Close()
	go func() {
		err := p.cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(p.lines)
		close(p.done)
	}()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			p.stop(5 * time.Second)
			return nil, fmt.Errorf("bench: Xvfb did not start: %s", p.tail())
		}
		return &xserver{p: p, display: ":" + n}, nil
	case <-time.After(20 * time.Second):
		p.stop(5 * time.Second)
		return nil, fmt.Errorf("bench: Xvfb did not report its display")
	}
}

func (x *xserver) close() { x.p.stop(5 * time.Second) }

// screenshot grabs the screen with ImageMagick's import.
func (x *xserver) screenshot(path string) (image.Image, error) {
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("bench: import: %w: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", filepath.Base(path), err)
	}
	return img, nil
}

// moving takes two screenshots half a second apart and returns the
// fraction of the screen that changed: video that plays changes.
func (x *xserver) moving(dir, name string) (float64, error) {
	a, err := x.screenshot(filepath.Join(dir, name+"-1.png"))
	if err != nil {
		return 0, err
	}
	time.Sleep(500 * time.Millisecond)
	b, err := x.screenshot(filepath.Join(dir, name+"-2.png"))
	if err != nil {
		return 0, err
	}
	r := a.Bounds().Intersect(b.Bounds())
	diff, n := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			if absDiff(ar, br)+absDiff(ag, bg)+absDiff(ab, bb) > 3*16<<8 {
				diff++
			}
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	return float64(diff) / float64(n), nil
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
