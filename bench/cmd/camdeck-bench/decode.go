package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

func init() {
	subcommands["decode"] = subcommand{
		help: "decode an H.264 file to RGBA as fast as possible, no network",
		run:  runDecode,
	}
}

// decodeResult is what a decode run reports. Wall time counts from the
// first unit to the last, after the clip is loaded.
type decodeResult struct {
	Frames  uint64  `json:"frames"`
	Errors  uint64  `json:"errors"`
	Seconds float64 `json:"seconds"`
	FPS     float64 `json:"fps"`
}

// runDecode feeds the access units of a clip straight into a Decoder, as a
// session would but without the network: what is measured is libavcodec,
// swscale and the frame slot, the decoder's whole path.
func runDecode(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	clipPath := fs.String("clip", "", "H.264 file (MP4 or Annex-B); required")
	threads := fs.Int("threads", runtime.NumCPU(), "libavcodec threads")
	loops := fs.Int("loops", 1, "times to decode the clip")
	profile := fs.String("cpuprofile", "", "write a CPU profile here")
	var out size
	fs.Var(&out, "size", "output WxH, or full")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clip, err := democam.LoadClip(*clipPath)
	if err != nil {
		return err
	}
	stop, err := startProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()

	slot := decode.NewFrameSlot()
	d := &decode.Decoder{Slot: slot, Threads: *threads}
	d.SetOutputSize(out.W, out.H)
	track := &player.Track{
		Codec: player.CodecH264, ClockRate: 90000,
		SPS: clip.SPS, PPS: clip.PPS, Width: clip.Width, Height: clip.Height, FPS: clip.FPS(),
	}
	start := time.Now()
	for loop := range *loops {
		d.OnStream([]*player.Track{track})
		for _, fr := range clip.Frames {
			if ctx.Err() != nil {
				return fmt.Errorf("bench: decode: %w", ctx.Err())
			}
			d.OnUnit(&player.Unit{
				Track:   track,
				Data:    fr.NALUs,
				PTS:     fr.PTS + int64(loop)*clip.Duration,
				Arrival: time.Now(),
				Key:     fr.Key,
			})
			// Consume as the screen would, so images are recycled.
			if f := slot.Take(); f != nil {
				slot.Release(f.Image)
			}
		}
		d.OnStreamEnd(nil)
	}
	secs := time.Since(start).Seconds()
	st := d.Stats()
	return emit(decodeResult{Frames: st.Frames, Errors: st.Errors, Seconds: secs, FPS: float64(st.Frames) / secs})
}
