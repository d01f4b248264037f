package xvfb

import (
	"context"
	"image"
	"image/color"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestScreenshot starts a server, puts a red window on it with another X
// client (ImageMagick's display) and finds the window in the grab, at
// the screen's size.
func TestScreenshot(t *testing.T) {
	s := Start(t, 320, 200)
	dir := t.TempDir()
	before := s.Shot(t, dir, "before")
	if got := before.Bounds().Size(); got != image.Pt(320, 200) {
		t.Fatalf("screenshot is %v, want 320x200", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	win := exec.CommandContext(ctx, "display", "-geometry", "+0+0", "-size", "100x80", "xc:red")
	win.Env = append(os.Environ(), s.Env())
	if err := win.Start(); err != nil {
		t.Fatal(err)
	}
	defer win.Wait()
	defer cancel()

	red := image.Rect(10, 10, 90, 70)
	var after image.Image
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		after = s.Shot(t, dir, "after")
		if Changed(before, after, red) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the red window did not show: %.0f%% of its pixels changed", Changed(before, after, red)*100)
		}
	}
	if r, g, b, _ := after.At(50, 40).RGBA(); r>>8 != 255 || g>>8 != 0 || b>>8 != 0 {
		t.Errorf("window pixel is %d,%d,%d, want red", r>>8, g>>8, b>>8)
	}
	if d := Changed(before, after, image.Rect(150, 100, 320, 200)); d != 0 {
		t.Errorf("%.1f%% of the screen beside the window changed", d*100)
	}
}

// TestParallel runs two servers at once: each picks its own display.
func TestParallel(t *testing.T) {
	a, b := Start(t, 64, 64), Start(t, 64, 64)
	if a.Display() == b.Display() || a.Display() == "" {
		t.Fatalf("displays %q and %q", a.Display(), b.Display())
	}
}

// TestClose stops the server by its PID and waits for it; a second Close
// does nothing.
func TestClose(t *testing.T) {
	s := &Server{Width: 64, Height: 64}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	pid := s.Pid()
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("Xvfb %d is not running: %v", pid, err)
	}
	s.Close()
	if done, _ := s.Exited(); !done {
		t.Fatal("Close returned before Xvfb exited")
	}
	// Waited for, so the PID is gone, not a zombie.
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		t.Fatalf("after Close, kill(%d, 0) = %v, want ESRCH", pid, err)
	}
	s.Close()
	if _, err := s.Screenshot(t.TempDir() + "/x.png"); err == nil {
		t.Fatal("a screenshot of a closed server succeeded")
	}
}

// TestNotStarted: what needs a server says so instead of grabbing
// whatever DISPLAY points at.
func TestNotStarted(t *testing.T) {
	var s Server
	if _, err := s.Screenshot(t.TempDir() + "/x.png"); err != errNotStarted {
		t.Fatalf("got %v, want %v", err, errNotStarted)
	}
	s.Close()
}

func TestChanged(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b := image.NewRGBA(image.Rect(0, 0, 10, 10))
	for x := 0; x < 10; x++ {
		b.Set(x, 0, color.RGBA{255, 255, 255, 255}) // one row of ten pixels
		b.Set(x, 1, color.RGBA{10, 10, 10, 255})    // below the threshold
	}
	cases := []struct {
		r    image.Rectangle
		want float64
	}{
		{a.Bounds(), 0.1},
		{image.Rect(0, 0, 10, 1), 1},
		{image.Rect(0, 1, 10, 10), 0},
		{image.Rect(20, 20, 30, 30), 0}, // off both images
		{image.Rect(-5, 0, 5, 1), 1},    // clipped to them
	}
	for _, c := range cases {
		if got := Changed(a, b, c.r); got != c.want {
			t.Errorf("Changed over %v = %v, want %v", c.r, got, c.want)
		}
	}
}
