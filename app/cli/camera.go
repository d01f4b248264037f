package cli

import (
	"flag"
	"time"

	"github.com/camdeck/camdeck/player"
)

// connectFlags are the options every command that reads a camera takes.
type connectFlags struct {
	transport string
	timeout   time.Duration
	user      string
	pass      string
}

func (c *connectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.transport, "transport", "", "RTSP transport: tcp, udp, multicast or auto (default: tcp, udp if the camera refuses tcp)")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "give up connecting, or on a silent camera, after this long")
	fs.StringVar(&c.user, "user", "", "user name, instead of the one in the URL")
	fs.StringVar(&c.pass, "pass", "", "password, instead of the one in the URL (or $CAMDECK_PASS)")
}

// session makes a session for url with the flags' options.
func (c *connectFlags) session(url, name string) (*player.Session, error) {
	tr, err := player.ParseTransport(c.transport)
	if err != nil {
		return nil, err
	}
	return &player.Session{
		URL: url, Name: name, User: c.user, Pass: c.pass,
		Transport: tr, Timeout: c.timeout,
	}, nil
}
