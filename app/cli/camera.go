package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/camdeck/camdeck/player"
)

// connectFlags are the options every command that reads a camera takes.
type connectFlags struct {
	transport string
	timeout   time.Duration
	user      string
	pass      string
	passFile  string
	tlsFP     string
	tlsVerify bool
}

// passEnv is the environment variable a password may come from, so that
// it is never on a command line where ps shows it.
const passEnv = "CAMDECK_PASS"

func (c *connectFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.transport, "transport", "tcp", "RTSP transport: tcp, udp, multicast or auto")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "give up connecting, or on a silent camera, after this long")
	fs.StringVar(&c.user, "user", "", "user name, instead of the one in the URL")
	fs.StringVar(&c.pass, "pass", "", "password, instead of the one in the URL (or $"+passEnv+", or --pass-file)")
	fs.StringVar(&c.passFile, "pass-file", "", "read the password from the first line of this file")
	fs.StringVar(&c.tlsFP, "tls-fingerprint", "", "rtsps: the SHA-256 fingerprint the camera's certificate must have (probe shows it)")
	fs.BoolVar(&c.tlsVerify, "tls-verify", false, "rtsps: the certificate must chain to a trusted CA and name the host")
}

// password is the password the flags give: --pass, else the first line of
// --pass-file, else $CAMDECK_PASS; empty keeps the URL's.
func (c *connectFlags) password() (string, error) {
	if c.pass != "" {
		return c.pass, nil
	}
	if c.passFile != "" {
		data, err := os.ReadFile(c.passFile)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			return "", fmt.Errorf("password file %s: the first line is empty", c.passFile)
		}
		return line, nil
	}
	return os.Getenv(passEnv), nil
}

// session makes a session for url with the flags' options.
func (c *connectFlags) session(url, name string) (*player.Session, error) {
	if c.timeout < 0 {
		return nil, usageErrorf("--timeout %v: a duration cannot be negative", c.timeout)
	}
	tr, err := player.ParseTransport(c.transport)
	if err != nil {
		return nil, err
	}
	pass, err := c.password()
	if err != nil {
		return nil, err
	}
	return &player.Session{
		URL: url, Name: name, User: c.user, Pass: pass,
		Transport: tr, Timeout: c.timeout,
		TLSFingerprint: c.tlsFP, TLSVerify: c.tlsVerify,
	}, nil
}

// firstFrame connects once and waits for the first decoded frame at the
// stream's full size. The session is closed when it returns.
func firstFrame(ctx context.Context, sess *player.Session, timeout time.Duration) (*player.Frame, *player.StateChange, time.Duration, error) {
	dec := &player.Decoder{Slot: player.NewFrameSlot()}
	sess.Once = true
	var live *player.StateChange
	liveCh := make(chan player.StateChange, 4)
	sess.OnState = func(c player.StateChange) {
		if c.State == player.StateLive {
			select {
			case liveCh <- c:
			default:
			}
		}
	}
	sess.AddSink(dec, 0)
	start := time.Now()
	if err := sess.Start(); err != nil {
		return nil, nil, 0, err
	}
	defer sess.Close()

	// The first connection may take the whole timeout; the first frame may
	// need a GOP more.
	deadline := time.NewTimer(timeout + 5*time.Second)
	defer deadline.Stop()
	for {
		select {
		case c := <-liveCh:
			live = &c
		case <-dec.Slot.Ready():
			if f := dec.Slot.Take(); f != nil {
				return f, live, time.Since(start), nil
			}
		case <-sess.Done():
			err := sess.Wait()
			if err == nil {
				err = errors.New("the camera ended the stream before a frame")
			}
			return nil, live, 0, err
		case <-deadline.C:
			return nil, live, 0, fmt.Errorf("%s: no video frame within %v", sess.Name, timeout+5*time.Second)
		case <-ctx.Done():
			return nil, live, 0, ctx.Err()
		}
	}
}
