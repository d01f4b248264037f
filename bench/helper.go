package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// helpers are camdeck's side where camdeck itself prints no counts to
// judge: the bench runs its own program with one of these words first, in
// a process of its own, so that the process's CPU and memory are the
// engine's alone. Each prints "ready" when its measured phase starts,
// runs until SIGINT, and prints its result as one JSON line.
var helpers = map[string]func(ctx context.Context, fs *flag.FlagSet, args []string) (any, error){
	"live": runLive, "record": runRecord, "arrivals": runArrivals,
}

func runHelper(name string, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.SetOutput(io.Discard) // the sessions' rate-limited reports are not results
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	res, err := helpers[name](ctx, fs, args)
	if err == nil && res != nil {
		var b []byte
		if b, err = json.Marshal(res); err == nil {
			fmt.Printf("%s\n", b)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n", name, err)
		return 1
	}
	return 0
}

// measured tells the harness that the measured phase starts and runs
// until interrupted.
func measured(ctx context.Context) {
	fmt.Println("ready")
	<-ctx.Done()
}

// liveResult is a live run's report, summed over its cameras but the
// latencies, which are the worst camera's.
type liveResult struct {
	Frames      uint64  `json:"frames"`
	Dropped     uint64  `json:"dropped"`
	PacketsLost uint64  `json:"packets_lost"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	FPS         float64 `json:"fps"` // decoded per second after "ready"
}

// runLive watches -n cameras of one URL as the grid does: a session, a
// decoder scaling to -size, and a goroutine taking every frame from the
// slot as the screen would. It is ready once every camera showed a frame.
func runLive(ctx context.Context, fs *flag.FlagSet, args []string) (any, error) {
	url := fs.String("url", "", "RTSP URL")
	n := fs.Int("n", 1, "cameras")
	threads := fs.Int("threads", runtime.NumCPU(), "libavcodec threads per camera")
	size := fs.String("size", tile, "output WxH, or full")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var w, h int
	if *size != "full" {
		fmt.Sscanf(*size, "%dx%d", &w, &h)
	}
	type camera struct {
		sess  *player.Session
		dec   *decode.Decoder
		first chan struct{}
	}
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cams []*camera
	for range *n {
		c := &camera{dec: &decode.Decoder{Slot: decode.NewFrameSlot(), Threads: *threads}, first: make(chan struct{})}
		c.dec.SetOutputSize(w, h)
		c.sess = &player.Session{URL: *url, Logf: log.Printf}
		c.sess.AddSink(c.dec, 0)
		if err := c.sess.Start(); err != nil {
			return nil, err
		}
		defer c.sess.Close()
		cams = append(cams, c)
		go func() {
			for first := c.first; ; {
				select {
				case <-cctx.Done():
					return
				case <-c.dec.Slot.Ready():
				}
				if f := c.dec.Slot.Take(); f != nil {
					if first != nil {
						close(first)
						first = nil
					}
					c.dec.Slot.Release(f.Image)
				}
			}
		}()
	}
	for _, c := range cams {
		select {
		case <-c.first:
		case <-ctx.Done():
			return nil, fmt.Errorf("interrupted before the first frame")
		case <-time.After(30 * time.Second):
			return nil, fmt.Errorf("no frame after 30 s")
		}
	}
	readyAt, frames0 := time.Now(), uint64(0)
	for _, c := range cams {
		frames0 += c.dec.Stats().Frames
	}
	measured(ctx)
	var r liveResult
	for _, c := range cams {
		ds, ss := c.dec.Stats(), c.sess.Stats()
		r.Frames += ds.Frames
		r.Dropped += ss.Dropped
		r.PacketsLost += ss.PacketsLost
		r.P50ms, r.P95ms, r.P99ms = max(r.P50ms, ms(ds.LatencyP50)), max(r.P95ms, ms(ds.LatencyP95)), max(r.P99ms, ms(ds.LatencyP99))
	}
	r.FPS = float64(r.Frames-frames0) / time.Since(readyAt).Seconds()
	return r, nil
}

// recordResult is a record run's report.
type recordResult struct {
	Units       uint64   `json:"units"`        // video units the recorders were given, from their first keyframe
	MinFPS      float64  `json:"min_fps"`      // the slowest camera's units per second
	Dropped     uint64   `json:"dropped"`      // units the sink queues dropped
	PacketsLost uint64   `json:"packets_lost"` // RTP packets the network lost
	Failed      int      `json:"failed"`       // recorders that stopped on an error
	FirstError  string   `json:"first_error"`
	NotStarted  int      `json:"not_started"` // cameras that never began a file
	Files       []string `json:"files"`
}

// counter sits between a session and its recorder and counts the video
// units the recorder is given from the first keyframe on: what ffprobe
// should find in the files.
type counter struct {
	*recorder.Recorder
	keyed       bool
	units       atomic.Uint64
	first, last atomic.Int64 // unix ns of the first and the newest counted unit
}

func (c *counter) OnUnit(u *player.Unit) {
	if u.Track.Codec.IsVideo() {
		if c.keyed = c.keyed || u.Key; c.keyed {
			c.units.Add(1)
			c.first.CompareAndSwap(0, u.Arrival.UnixNano())
			c.last.Store(u.Arrival.UnixNano())
		}
	}
	c.Recorder.OnUnit(u)
}

// runRecord records -n cameras of one URL, each behind a queue of
// recorder.QueueSize units as the window attaches recorders. It is ready
// once every camera has a file open.
func runRecord(ctx context.Context, fs *flag.FlagSet, args []string) (any, error) {
	url := fs.String("url", "", "RTSP URL")
	n := fs.Int("n", 1, "cameras")
	dir := fs.String("dir", "", "recordings folder")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var sessions []*player.Session
	var cams []*counter
	closeAll := func() {
		for _, s := range sessions {
			s.Close() // ends the recorder's stream: the file is finished
		}
		sessions = nil
	}
	defer closeAll()
	for i := range *n {
		c := &counter{Recorder: &recorder.Recorder{Dir: *dir, Camera: fmt.Sprintf("cam%02d", i)}}
		s := &player.Session{URL: *url, Logf: log.Printf}
		s.AddSink(c, recorder.QueueSize)
		if err := s.Start(); err != nil {
			return nil, err
		}
		sessions, cams = append(sessions, s), append(cams, c)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		waiting := 0
		for _, c := range cams {
			if st := c.Status(); !st.Recording && st.Err == nil {
				waiting++
			}
		}
		if waiting == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	measured(ctx)
	r := recordResult{MinFPS: -1}
	for _, s := range sessions {
		st := s.Stats()
		r.Dropped += st.Dropped
		r.PacketsLost += st.PacketsLost
	}
	closeAll()
	for _, c := range cams {
		units := c.units.Load()
		r.Units += units
		if secs := float64(c.last.Load()-c.first.Load()) / 1e9; secs > 0 && (r.MinFPS < 0 || float64(units-1)/secs < r.MinFPS) {
			r.MinFPS = float64(units-1) / secs
		}
		st := c.Status()
		if st.Err != nil {
			r.Failed++
			r.FirstError = st.Err.Error()
		}
		if st.Path == "" {
			r.NotStarted++
		}
		files, _ := filepath.Glob(filepath.Join(*dir, recorder.SafeName(c.Camera), "*.mp4"))
		r.Files = append(r.Files, files...)
	}
	return r, nil
}

// runArrivals prints, for every video unit of -clip that arrives from
// -url, the frame's presentation number (what the barcode burnt into the
// clip counts) and its arrival time: `N UNIXNANO`, the clock figure 3d's
// ffplay delay is measured against. A unit is known by its largest NAL
// unit (the slice data; parameter sets the server prepends do not count).
func runArrivals(ctx context.Context, fs *flag.FlagSet, args []string) (any, error) {
	url := fs.String("url", "", "RTSP URL")
	clipPath := fs.String("clip", "", "the clip the camera serves")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	clip, err := democam.LoadClip(*clipPath)
	if err != nil {
		return nil, err
	}
	step := clip.Duration / int64(len(clip.Frames))
	s := &arrivalSink{frames: map[uint64]int{}, out: bufio.NewWriter(os.Stdout)}
	for _, fr := range clip.Frames {
		s.frames[contentHash(fr.NALUs)] = int((fr.PTS + step/2) / step)
	}
	sess := &player.Session{URL: *url, Logf: log.Printf}
	sess.AddSink(s, 0)
	if err := sess.Start(); err != nil {
		return nil, err
	}
	defer sess.Close()
	<-ctx.Done()
	return nil, nil
}

type arrivalSink struct {
	frames map[uint64]int // content hash → presentation number
	out    *bufio.Writer
}

func (s *arrivalSink) OnStream([]*player.Track) {}
func (s *arrivalSink) OnStreamEnd(error)        {}
func (s *arrivalSink) OnUnit(u *player.Unit) {
	if n, ok := s.frames[contentHash(u.Data)]; ok && u.Track.Codec.IsVideo() {
		fmt.Fprintf(s.out, "%d %d\n", n, u.Arrival.UnixNano())
		s.out.Flush()
	}
}

func contentHash(nalus [][]byte) uint64 {
	var big []byte
	for _, n := range nalus {
		if len(n) > len(big) {
			big = n
		}
	}
	h := fnv.New64a()
	h.Write(big)
	return h.Sum64()
}
