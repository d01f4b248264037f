// Package democam is an RTSP server that loops an H.264 clip in real time:
// the demo camera of the GUI, `camdeck serve`, and the camera every test
// talks to. It can be told to misbehave like real cameras do: jump its
// timestamps, drop its readers, stall.
package democam

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/auth"
)

// Server serves one clip on one path to any number of readers, over TCP
// and UDP. Each reader gets its own feed that starts at a keyframe when it
// plays, as cameras that send an IDR to a new session do; with Shared, all
// readers see one live feed and a reader that joins mid-GOP waits for the
// next keyframe.
type Server struct {
	// Address to listen on, host:port.
	// It defaults to 127.0.0.1:0 (a free port on loopback).
	Addr string
	// Path of the stream.
	// It defaults to "demo".
	Path string
	// Credentials readers must give (digest). Empty User disables auth.
	User, Pass string
	// BasicAuth asks for the credentials with Basic instead of Digest
	// authentication, as some older cameras do.
	BasicAuth bool
	// TLSConfig, when set, serves RTSPS (TCP only) instead of RTSP.
	TLSConfig *tls.Config
	// Clip to loop.
	// It defaults to the built-in demo clip.
	Clip *Clip
	// Shared makes every reader join one live feed that runs from Start.
	Shared bool
	// DisableUDP serves TCP only. By default UDP is offered too, on a pair
	// of free ports next to each other.
	DisableUDP bool

	// Misbehaviour switches for tests and `camdeck serve`. Each, when set,
	// fires once per feed, this long after the feed starts (a reader's PLAY,
	// or Start when Shared). The methods Jump, DropReaders and Stall do the
	// same on demand.
	JumpAfter  time.Duration // jump the RTP timestamps by JumpBy
	JumpBy     time.Duration // forward when positive, backward when negative
	DropAfter  time.Duration // close every reader this long after it starts playing
	StallAfter time.Duration // send nothing for StallFor
	StallFor   time.Duration
	// Frames, when set, ends each feed after this many frames: the
	// connection stays open but nothing more is sent. Tests compare what
	// was recorded with what was sent.
	Frames int

	rtsp   *gortsplib.Server
	addr   string
	shared *feed

	mu      sync.Mutex
	pending map[*gortsplib.ServerConn]*feed // described, not yet set up
	readers map[*gortsplib.ServerSession]*reader
}

type reader struct {
	feed *feed
	drop *time.Timer // DropAfter, or nil
}

// Start loads the clip if needed, listens and, when Shared, starts the feed.
func (s *Server) Start() error {
	if s.Addr == "" {
		s.Addr = "127.0.0.1:0"
	}
	if s.Path == "" {
		s.Path = "demo"
	}
	s.Path = strings.Trim(s.Path, "/")
	if s.Clip == nil {
		clip, err := DefaultClip()
		if err != nil {
			return err
		}
		s.Clip = clip
	}
	s.pending = make(map[*gortsplib.ServerConn]*feed)
	s.readers = make(map[*gortsplib.ServerSession]*reader)

	var err error
	for range 20 { // free UDP port pairs can be taken between probe and bind
		if err = s.listen(); err == nil || s.DisableUDP {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("democam: %w", err)
	}

	if s.Shared {
		if s.shared, err = newFeed(s); err != nil {
			s.rtsp.Close()
			return fmt.Errorf("democam: %w", err)
		}
		s.shared.start()
	}
	return nil
}

func (s *Server) listen() error {
	s.rtsp = &gortsplib.Server{
		Handler:     (*handler)(s),
		RTSPAddress: s.Addr,
		AuthMethods: []auth.VerifyMethod{auth.VerifyMethodDigestMD5},
		TLSConfig:   s.TLSConfig,
		// A reader that falls behind for a moment (a test process on a
		// loaded machine) must not lose packets in the server: gortsplib's
		// default queue of 256 packets is about 1.5 s of the clip and less
		// than two keyframes, and a keyframe lost costs its whole GOP.
		// 4096 is about 25 s; a real camera's send buffer and TCP window
		// do the same job.
		WriteQueueSize: 4096,
		Listen: func(network, address string) (net.Listener, error) {
			l, err := net.Listen(network, address)
			if err == nil {
				s.addr = l.Addr().String()
			}
			return l, err
		},
	}
	if s.BasicAuth {
		s.rtsp.AuthMethods = []auth.VerifyMethod{auth.VerifyMethodBasic}
	}
	if s.TLSConfig != nil {
		s.DisableUDP = true // RTSPS carries RTP in the TLS connection
	}
	if !s.DisableUDP {
		host, _, err := net.SplitHostPort(s.Addr)
		if err != nil {
			return err
		}
		rtp, err := freeUDPPair(host)
		if err != nil {
			return err
		}
		s.rtsp.UDPRTPAddress = net.JoinHostPort(host, strconv.Itoa(rtp))
		s.rtsp.UDPRTCPAddress = net.JoinHostPort(host, strconv.Itoa(rtp+1))
	}
	return s.rtsp.Start()
}

// freeUDPPair finds an even port whose next port is free too, as RTP over
// UDP needs (RFC 3550 11).
func freeUDPPair(host string) (int, error) {
	for range 50 {
		c, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return 0, err
		}
		port := c.LocalAddr().(*net.UDPAddr).Port
		c.Close()
		port &^= 1
		a, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			continue
		}
		b, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port+1)))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return port, nil
	}
	return 0, errors.New("no free UDP port pair")
}

// Close disconnects every reader, stops every feed and stops listening.
func (s *Server) Close() {
	s.rtsp.Close() // closes sessions and conns, whose callbacks close their feeds
	if s.shared != nil {
		s.shared.close()
	}
}

// URL is the address readers open, without credentials.
func (s *Server) URL() string {
	return s.scheme() + "://" + s.addr + "/" + s.Path
}

func (s *Server) scheme() string {
	if s.TLSConfig != nil {
		return "rtsps"
	}
	return "rtsp"
}

// URLWithCredentials is URL with the server's user and password in it.
func (s *Server) URLWithCredentials() string {
	if s.User == "" {
		return s.URL()
	}
	u := &url.URL{Scheme: s.scheme(), User: url.UserPassword(s.User, s.Pass), Host: s.addr, Path: "/" + s.Path}
	return u.String()
}

// feeds lists the feeds that are playing.
func (s *Server) feeds() []*feed {
	if s.shared != nil {
		return []*feed{s.shared}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var fs []*feed
	for _, r := range s.readers {
		fs = append(fs, r.feed)
	}
	return fs
}

// Jump moves the RTP timestamps by d from the next keyframe on, as a camera
// does when its encoder restarts or its clock is reset.
func (s *Server) Jump(d time.Duration) {
	for _, f := range s.feeds() {
		f.jump(int64(d / (time.Second / clockRate)))
	}
}

// Stall stops sending for d; the stream resumes live, skipping what would
// have been sent meanwhile, as a camera that froze.
func (s *Server) Stall(d time.Duration) {
	for _, f := range s.feeds() {
		f.stall(d)
	}
}

// DropReaders closes the connection of every current reader.
func (s *Server) DropReaders() {
	s.mu.Lock()
	var sessions []*gortsplib.ServerSession
	for ss := range s.readers {
		sessions = append(sessions, ss)
	}
	s.mu.Unlock()
	for _, ss := range sessions {
		ss.Close()
	}
}

// Readers is the number of sessions set up on the server.
func (s *Server) Readers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.readers)
}

// Started is when a Shared server's feed began: the wallclock at which it
// sends the clip's time 0 (and every loop's, a clip's duration later), as
// the NTP times of its packets say. It is zero before the feed runs, and
// when the server is not Shared.
func (s *Server) Started() time.Time {
	if s.shared == nil {
		return time.Time{}
	}
	s.shared.mu.Lock()
	defer s.shared.mu.Unlock()
	return s.shared.started
}
