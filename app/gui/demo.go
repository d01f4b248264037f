package gui

import (
	"log"
	"sync"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/democam"
)

// demoCamera is the in-process demo camera behind profiles whose URL is
// "demo". It starts the first time such a profile is opened (at start-up,
// or when one is added or edited later), so a window with only real
// cameras opens no port of its own.
type demoCamera struct {
	mu  sync.Mutex
	srv *democam.Server
	url string // a fixed URL (tests): nothing is started
}

// URL returns the demo camera's rtsp:// URL, starting the camera if it is
// not running. If it cannot start, that is logged and the URL stays
// "demo", which the tile reports as a bad URL.
func (d *demoCamera) URL() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.url != "" {
		return d.url
	}
	srv := &democam.Server{}
	if err := srv.Start(); err != nil {
		log.Printf("camdeck: the demo camera: %v", err)
		return camdeck.DemoURL
	}
	d.srv, d.url = srv, srv.URL()
	return d.url
}

// running tells whether the demo camera was started.
func (d *demoCamera) running() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.srv != nil
}

// Close stops the demo camera if it was started.
func (d *demoCamera) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.srv != nil {
		d.srv.Close()
		d.srv, d.url = nil, ""
	}
}
