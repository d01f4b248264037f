package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"runtime"
	"sync"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

func init() {
	subcommands["live"] = subcommand{
		help: "watch N live cameras as the grid does (decode, scale, take frames) until interrupted",
		run:  runLive,
	}
}

// liveResult is what a live run reports, summed over its cameras except
// the latencies, which are the worst camera's.
type liveResult struct {
	Cameras     int     `json:"cameras"`
	Frames      uint64  `json:"frames"`
	Taken       uint64  `json:"taken"` // frames the consumers took from the slots
	Errors      uint64  `json:"errors"`
	Dropped     uint64  `json:"dropped"`
	PacketsLost uint64  `json:"packets_lost"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	FPS         float64 `json:"fps"` // frames decoded per second after "ready"
	Width       int     `json:"width"`
	Height      int     `json:"height"`
}

// camera is one live session with its decoder and the goroutine that takes
// its frames, standing in for a grid tile.
type camera struct {
	sess  *player.Session
	dec   *decode.Decoder
	slot  *decode.FrameSlot
	taken uint64
	first chan struct{}
	done  chan struct{}
}

func startCamera(ctx context.Context, url string, threads int, out size) (*camera, error) {
	c := &camera{slot: decode.NewFrameSlot(), first: make(chan struct{}), done: make(chan struct{})}
	c.dec = &decode.Decoder{Slot: c.slot, Threads: threads}
	c.dec.SetOutputSize(out.W, out.H)
	c.sess = &player.Session{URL: url, Logf: log.Printf}
	c.sess.AddSink(c.dec, 0)
	if err := c.sess.Start(); err != nil {
		return nil, err
	}
	go c.consume(ctx)
	return c, nil
}

// consume takes every frame as the screen would and gives its image back.
func (c *camera) consume(ctx context.Context) {
	defer close(c.done)
	var once sync.Once
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.slot.Ready():
			if f := c.slot.Take(); f != nil {
				c.taken++
				once.Do(func() { close(c.first) })
				c.slot.Release(f.Image)
			}
		}
	}
}

// runLive watches -n cameras of the same URL until interrupted; it prints
// "ready" once every camera has shown a frame.
func runLive(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("live", flag.ContinueOnError)
	url := fs.String("url", "", "RTSP URL; required")
	n := fs.Int("n", 1, "cameras")
	threads := fs.Int("threads", runtime.NumCPU(), "libavcodec threads per camera")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the measured phase here")
	out := size{W: 640, H: 360}
	fs.Var(&out, "size", "output WxH, or full")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log.SetOutput(io.Discard) // rate-limited packet reports are not results
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cams := make([]*camera, 0, *n)
	defer func() {
		for _, c := range cams {
			c.sess.Close()
		}
	}()
	for range *n {
		c, err := startCamera(cctx, *url, *threads, out)
		if err != nil {
			return err
		}
		cams = append(cams, c)
	}
	for _, c := range cams {
		select {
		case <-c.first:
		case <-ctx.Done():
			return fmt.Errorf("bench: live: interrupted before the first frame: %w", ctx.Err())
		case <-time.After(30 * time.Second):
			return errors.New("bench: live: no frame after 30 s")
		}
	}
	stop, err := startProfile(*profile)
	if err != nil {
		return err
	}
	readyAt, framesAt := time.Now(), uint64(0)
	for _, c := range cams {
		framesAt += c.dec.Stats().Frames
	}
	ready()
	<-ctx.Done()
	stop()

	r := liveResult{Cameras: len(cams)}
	for _, c := range cams {
		ds, ss := c.dec.Stats(), c.sess.Stats()
		r.Frames += ds.Frames
		r.Errors += ds.Errors
		r.Dropped += ss.Dropped
		r.PacketsLost += ss.PacketsLost
		r.P50ms = max(r.P50ms, ms(ds.LatencyP50))
		r.P95ms = max(r.P95ms, ms(ds.LatencyP95))
		r.P99ms = max(r.P99ms, ms(ds.LatencyP99))
		r.Width, r.Height = ds.Width, ds.Height
	}
	r.FPS = float64(r.Frames-framesAt) / time.Since(readyAt).Seconds()
	cancel()
	for _, c := range cams {
		<-c.done
		r.Taken += c.taken
	}
	return emit(r)
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
