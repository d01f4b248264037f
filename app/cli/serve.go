package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

func init() {
	commands["serve"] = command{
		usage: "[--addr HOST:PORT] [--path P] [--user U --pass P] [FILE]",
		help:  "serve the demo clip, or an H.264 file (MP4 or Annex-B), as an RTSP camera",
		run:   runServe,
	}
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve")
	s := &democam.Server{}
	fs.StringVar(&s.Addr, "addr", "127.0.0.1:8554", "address to listen on")
	fs.StringVar(&s.Path, "path", "demo", "stream path")
	fs.StringVar(&s.User, "user", "", "user readers must give (digest auth)")
	fs.StringVar(&s.Pass, "pass", os.Getenv("CAMDECK_PASS"), "password readers must give (or $CAMDECK_PASS)")
	fs.BoolVar(&s.Shared, "shared", false, "one live feed for all readers: late readers join mid-GOP")
	fs.BoolVar(&s.DisableUDP, "tcp-only", false, "offer TCP only")
	fs.DurationVar(&s.JumpAfter, "jump-after", 0, "misbehave: jump the RTP timestamps after this long")
	fs.DurationVar(&s.JumpBy, "jump-by", 0, "misbehave: by this much (negative: backward)")
	fs.DurationVar(&s.DropAfter, "drop-after", 0, "misbehave: drop each reader after this long")
	fs.DurationVar(&s.StallAfter, "stall-after", 0, "misbehave: stop sending after this long")
	fs.DurationVar(&s.StallFor, "stall-for", 0, "misbehave: for this long")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		fs.Usage()
		return errUsage
	}
	file := "" // the built-in clip
	if len(pos) == 1 {
		file = pos[0]
	}
	if s.Clip, err = democam.OpenClip(file); err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		return err
	}
	defer s.Close()

	url := s.URL()
	if s.User != "" {
		url = player.Redact(s.URLWithCredentials())
	}
	fmt.Fprintln(env.Stdout, url)
	fmt.Fprintf(env.Stderr, "serving %dx%d at %.3g fps; Ctrl-C stops\n", s.Clip.Width, s.Clip.Height, s.Clip.FPS())
	<-ctx.Done()
	return nil
}
