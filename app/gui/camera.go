package gui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// camera is one profile at work: its feeds, its tile, its recording. It
// is the UI goroutine's.
type camera struct {
	ui   *UI
	prof camdeck.Profile
	live *feed // what the grid tile shows: the sub-stream if there is one
	main *feed // the main stream: focus, recording, snapshots; may be live
	tile *tile
	rec  *recording // nil when not recording
	snap bool       // a snapshot is being taken

	sound     soundChoice // whether it is heard (sound.go)
	volume    int         // its sound's volume in %, 0 to 100
	listening *listening  // its audio playing; nil when silent
}

func newCamera(ui *UI, p camdeck.Profile) *camera {
	c := &camera{ui: ui, prof: p, volume: fullVolume}
	c.main = newFeed(c, c.streamConfig(p.URL))
	c.live = c.main
	if p.SubURL != "" {
		c.live = newFeed(c, c.streamConfig(p.SubURL))
	}
	c.tile = newTile(c)
	return c
}

func (c *camera) streamConfig(url string) streamConfig {
	if url == camdeck.DemoURL {
		url = c.ui.demo.URL()
	}
	tr, _ := player.ParseTransport(c.prof.Transport) // validated with the profile
	return streamConfig{URL: url, Name: c.prof.Name, User: c.prof.User, Pass: c.prof.Password, Transport: tr,
		TLSFingerprint: c.prof.TLSFingerprint, OnCertificate: c.trustOnFirstUse}
}

// trustOnFirstUse stores the fingerprint of the camera's first RTSPS
// certificate in its profile; later connections must present the same.
func (c *camera) trustOnFirstUse(fingerprint string) {
	c.ui.do(func() {
		if c.prof.TLSFingerprint == "" {
			c.prof.TLSFingerprint = fingerprint
			c.ui.save()
		}
	})
}

// start shows the camera live in its tile.
func (c *camera) start() {
	c.live.use(true)
	c.tile.attach(c.live)
	c.tile.update()
}

// stop ends everything the camera runs; finishing happens in the
// background.
func (c *camera) stop() {
	c.stopRecording()
	c.stopSound()
	c.tile.attach(nil)
	if c.ui.focused == c && c.main != c.live {
		c.main.release(true)
	}
	c.live.release(true)
}

// setFocused shows the main stream in the tile while the camera is
// focused, and the grid's (sub-)stream again after.
func (c *camera) setFocused(on bool) {
	if c.main == c.live {
		return
	}
	if on {
		c.main.use(true)
		c.tile.attach(c.main)
	} else {
		c.tile.attach(c.live)
		c.main.release(true)
	}
}

// shown is the feed on screen now.
func (c *camera) shown() *feed {
	if c.tile.feed != nil {
		return c.tile.feed
	}
	return c.live
}

// stateChanged shows a new state of one of the feeds.
func (c *camera) stateChanged() {
	c.tile.update()
	c.ui.list.Refresh()
}

// recording is a recorder attached to the main stream.
type recording struct {
	sink  recorderSink
	sess  stream
	start time.Time
}

// toggleRecording starts or stops recording the main stream.
func (c *camera) toggleRecording() {
	if c.rec != nil {
		c.stopRecording()
	} else {
		c.startRecording()
	}
}

func (c *camera) startRecording() {
	if c.rec != nil || c.ui.closing {
		return
	}
	c.main.use(false)
	if c.main.sess == nil {
		c.main.release(false)
		c.ui.notify(fmt.Sprintf("%s: cannot record: %s", c.prof.Name, stateText(c.main.State(), time.Now())))
		return
	}
	rec := &recording{sess: c.main.sess, start: time.Now()}
	cfg := recorderConfig{
		Dir:      c.prof.Recordings(),
		Camera:   c.prof.Name,
		Segment:  time.Duration(c.prof.Segment),
		Duration: time.Duration(c.prof.Limit),
		OnLimit: func() {
			c.ui.do(func() {
				if c.rec == rec {
					c.stopRecording()
				}
			})
		},
		OnError: func(err error) {
			if c.ui.lib != nil && c.ui.lib.frees(err) { // retention makes room; the recorder retries
				c.ui.do(func() {
					c.ui.notify(fmt.Sprintf("%s: disk full: deleting the oldest recordings; recording retries", c.prof.Name))
				})
				return
			}
			c.ui.do(func() {
				c.ui.notify(fmt.Sprintf("%s: recording stopped: %s", c.prof.Name, oneLine(err)))
				if c.rec == rec {
					c.stopRecording()
				}
			})
		},
	}
	if c.ui.lib != nil {
		c.ui.lib.hook(&cfg)
	}
	rec.sink = c.ui.newRecorder(cfg)
	c.rec = rec
	rec.sess.AddSink(rec.sink, recorder.QueueSize)
	c.tile.update()
	c.ui.list.Refresh()
}

// stopRecording detaches the recorder, which finishes its file, in the
// background, then names the file.
func (c *camera) stopRecording() {
	rec := c.rec
	if rec == nil {
		return
	}
	c.rec = nil
	c.tile.update()
	c.ui.list.Refresh()
	name := c.prof.Name
	c.ui.goBackground(func() {
		rec.sess.RemoveSink(rec.sink)
		rec.sink.Close()
		st := rec.sink.Status()
		c.ui.do(func() {
			c.main.release(false)
			if st.Path != "" && st.Err == nil {
				c.ui.notify(fmt.Sprintf("%s: recorded %s in %s", name, filepath.Base(st.Path), filepath.Dir(st.Path)))
			}
		})
	})
}

// snapshotTimeout bounds the wait for a frame: long enough for a main
// stream opened just for the snapshot to connect and reach a keyframe.
const snapshotTimeout = 15 * time.Second

// snapshot saves a full-resolution JPEG of the main stream in the
// background and names the file in a notification.
func (c *camera) snapshot() {
	if c.snap || c.ui.closing {
		return
	}
	c.snap = true
	f := c.main
	f.use(true)
	dec := f.dec
	p := c.prof
	c.ui.goBackground(func() {
		path, err := takeSnapshot(dec, p)
		c.ui.do(func() {
			c.snap = false
			f.release(true)
			if err != nil {
				c.ui.notify(fmt.Sprintf("%s: no snapshot: %s", p.Name, oneLine(err)))
				return
			}
			c.ui.notify(fmt.Sprintf("%s: snapshot %s in %s", p.Name, filepath.Base(path), filepath.Dir(path)))
		})
	})
}

func takeSnapshot(dec *decode.Decoder, p camdeck.Profile) (string, error) {
	if dec == nil {
		return "", errors.New("the camera is not connected")
	}
	ctx, cancel := context.WithTimeout(context.Background(), snapshotTimeout)
	defer cancel()
	img, err := dec.Snapshot(ctx)
	if err != nil {
		return "", err
	}
	path := recorder.SnapshotPath(p.Snapshots(), p.Name, time.Now())
	if err := recorder.WriteJPEG(path, img, recorder.SnapshotQuality); err != nil {
		return "", err
	}
	return path, nil
}
