package cli

import (
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
	fs.StringVar(&c.transport, "transport", "", "RTSP transport: tcp, udp, multicast or auto (default: tcp, udp if the camera refuses tcp)")
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
