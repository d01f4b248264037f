package gui

import (
	"strings"
	"testing"

	camdeck "github.com/camdeck/camdeck/app"
)

// TestDemoCameraOnDemand: no demo camera runs while no profile uses it;
// adding a demo profile later starts it, and that camera's stream reads
// it.
func TestDemoCameraOnDemand(t *testing.T) {
	h := newHarness(t, nil)
	h.ui.demo = &demoCamera{} // a real one, started on demand
	t.Cleanup(h.ui.demo.Close)

	h.ui.addProfile(profile("front"))
	h.q.drain()
	if h.ui.demo.running() {
		t.Fatal("the demo camera started for a real camera")
	}

	demo := profile("demo")
	demo.URL = camdeck.DemoURL
	h.ui.addProfile(demo)
	h.q.drain()
	if !h.ui.demo.running() {
		t.Fatal("a demo profile was added and the demo camera did not start")
	}
	last := h.streams[len(h.streams)-1]
	if url := last.cfg.URL; url != h.ui.demo.URL() || !strings.HasPrefix(url, "rtsp://127.0.0.1:") {
		t.Fatalf("the demo profile's stream reads %q, want the demo camera's %q", url, h.ui.demo.URL())
	}
}
