package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log"
	"os"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

func init() {
	subcommands["arrivals"] = subcommand{
		help: "print when each frame of the clip arrives from the camera: `N UNIXNANO` per line",
		run:  runArrivals,
	}
}

// arrivalSink maps each video unit back to its frame of the clip (by the
// content of its largest NAL unit) and prints that frame's presentation
// number with the unit's arrival time: the clock the ffplay latency is
// measured against.
type arrivalSink struct {
	frames map[uint64]int // content hash → presentation number
	out    *bufio.Writer
}

func (s *arrivalSink) OnStream([]*player.Track) {}
func (s *arrivalSink) OnStreamEnd(error)        {}

func (s *arrivalSink) OnUnit(u *player.Unit) {
	if !u.Track.Codec.IsVideo() {
		return
	}
	n, ok := s.frames[contentHash(u.Data)]
	if !ok {
		return
	}
	fmt.Fprintf(s.out, "%d %d\n", n, u.Arrival.UnixNano())
	s.out.Flush()
}

// contentHash identifies an access unit by its largest NAL unit (the
// slice data: parameter sets prepended by the server do not matter).
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

func runArrivals(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("arrivals", flag.ContinueOnError)
	url := fs.String("url", "", "RTSP URL; required")
	clipPath := fs.String("clip", "", "the clip the camera serves; required")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clip, err := democam.LoadClip(*clipPath)
	if err != nil {
		return err
	}
	// Presentation number: the frame's rank in presentation order, which
	// is what the barcode burnt into the clip counts.
	step := clip.Duration / int64(len(clip.Frames))
	sink := &arrivalSink{frames: make(map[uint64]int, len(clip.Frames)), out: bufio.NewWriter(os.Stdout)}
	for _, fr := range clip.Frames {
		sink.frames[contentHash(fr.NALUs)] = int((fr.PTS + step/2) / step)
	}
	log.SetOutput(io.Discard)
	sess := &player.Session{URL: *url, Logf: log.Printf}
	sess.AddSink(sink, 0)
	if err := sess.Start(); err != nil {
		return err
	}
	defer sess.Close()
	<-ctx.Done()
	return nil
}
