package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/camdeck/camdeck/internal/democam"
)

func init() {
	subcommands["serve"] = subcommand{
		help: "serve an H.264 file as the demo RTSP camera (TCP only) and print its URL",
		run:  runServe,
	}
}

// runServe runs the demo camera until interrupted. It is a process of its
// own so that its CPU is never counted for either side.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	s := &democam.Server{DisableUDP: true}
	clipPath := fs.String("clip", "", "H.264 file (MP4 or Annex-B); required")
	fs.StringVar(&s.Addr, "addr", "127.0.0.1:0", "address to listen on")
	fs.BoolVar(&s.Shared, "shared", true, "one live feed for all readers (late readers join mid-GOP)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	clip, err := democam.LoadClip(*clipPath)
	if err != nil {
		return err
	}
	s.Clip = clip
	if err := s.Start(); err != nil {
		return err
	}
	defer s.Close()
	fmt.Println(s.URL())
	<-ctx.Done()
	return nil
}
