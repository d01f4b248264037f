package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/recorder"
)

func init() {
	subcommands["record"] = subcommand{
		help: "record N live cameras to fragmented MP4 until interrupted",
		run:  runRecord,
	}
}

// recordResult is what a record run reports.
type recordResult struct {
	Cameras     int      `json:"cameras"`
	Units       uint64   `json:"units"`        // video units the recorders were given, from their first keyframe
	MinFPS      float64  `json:"min_fps"`      // the slowest camera's units per second of recording
	Dropped     uint64   `json:"dropped"`      // units the sink queues dropped
	PacketsLost uint64   `json:"packets_lost"` // RTP packets the network lost
	Failed      int      `json:"failed"`       // recorders that stopped on an error
	FirstError  string   `json:"first_error"`  // one of their errors
	Bytes       int64    `json:"bytes"`        // written by all recorders
	Files       []string `json:"files"`        // every file written
	NotStarted  int      `json:"not_started"`  // cameras that never began a file
	ReadyMS     float64  `json:"ready_ms"`     // until every camera was recording
	Elapsed     float64  `json:"elapsed_s"`    // the longest recording, seconds
}

// counter sits between the session and a recorder and counts the video
// units the recorder is given from the first keyframe on: what it should
// write, to compare with what ffprobe finds in the files.
type counter struct {
	rec   *recorder.Recorder
	keyed bool
	units atomic.Uint64
	first atomic.Int64 // unix ns of the first counted unit
	last  atomic.Int64 // and of the newest
}

func (c *counter) OnStream(tracks []*player.Track) { c.rec.OnStream(tracks) }
func (c *counter) OnStreamEnd(err error)           { c.rec.OnStreamEnd(err) }

func (c *counter) OnUnit(u *player.Unit) {
	if u.Track.Codec.IsVideo() {
		c.keyed = c.keyed || u.Key
		if c.keyed {
			c.units.Add(1)
			now := u.Arrival.UnixNano()
			c.first.CompareAndSwap(0, now)
			c.last.Store(now)
		}
	}
	c.rec.OnUnit(u)
}

// runRecord records -n cameras of the same URL, each behind a queue of recorder.QueueSize
// units as the GUI attaches recorders, and prints "ready" once every
// camera has a file open.
func runRecord(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	url := fs.String("url", "", "RTSP URL; required")
	n := fs.Int("n", 1, "cameras")
	dir := fs.String("dir", "", "recordings folder; required")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the measured phase here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("bench: record: -dir is required")
	}
	log.SetOutput(io.Discard)
	start := time.Now()
	type cam struct {
		sess *player.Session
		rec  *recorder.Recorder
		cnt  *counter
	}
	cams := make([]*cam, 0, *n)
	closed := false
	closeAll := func() {
		if closed {
			return
		}
		closed = true
		for _, c := range cams {
			c.sess.Close() // ends the recorder's stream: the file is finished
		}
	}
	defer closeAll()
	for i := range *n {
		rec := &recorder.Recorder{Dir: *dir, Camera: fmt.Sprintf("cam%02d", i)}
		c := &cam{rec: rec, cnt: &counter{rec: rec}}
		c.sess = &player.Session{URL: *url, Logf: log.Printf}
		c.sess.AddSink(c.cnt, recorder.QueueSize)
		if err := c.sess.Start(); err != nil {
			return err
		}
		cams = append(cams, c)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, c := range cams {
		for !c.rec.Status().Recording && c.rec.Status().Err == nil && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return fmt.Errorf("bench: record: %w", ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	r := recordResult{Cameras: len(cams), ReadyMS: ms(time.Since(start))}
	stop, err := startProfile(*profile)
	if err != nil {
		return err
	}
	ready()
	<-ctx.Done()
	stop()

	r.MinFPS = -1
	for _, c := range cams {
		st := c.sess.Stats()
		r.Dropped += st.Dropped
		r.PacketsLost += st.PacketsLost
	}
	closeAll()
	for _, c := range cams {
		units := c.cnt.units.Load()
		r.Units += units
		if secs := float64(c.cnt.last.Load()-c.cnt.first.Load()) / 1e9; secs > 0 {
			fps := float64(units-1) / secs
			if r.MinFPS < 0 || fps < r.MinFPS {
				r.MinFPS = fps
			}
			r.Elapsed = max(r.Elapsed, secs)
		}
		st := c.rec.Status()
		r.Bytes += st.Bytes
		if st.Err != nil {
			r.Failed++
			if r.FirstError == "" {
				r.FirstError = st.Err.Error()
			}
		}
		if st.Path == "" {
			r.NotStarted++
		}
		files, _ := filepath.Glob(filepath.Join(*dir, recorder.SafeName(c.rec.Camera), "*.mp4"))
		r.Files = append(r.Files, files...)
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("bench: record: %w", err)
	}
	return emit(r)
}
