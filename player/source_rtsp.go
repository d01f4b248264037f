package player

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/headers"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/bluenviron/gortsplib/v4/pkg/readbuffer"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// rtspSource pulls a stream from an RTSP or RTSPS camera with gortsplib.
type rtspSource struct {
	s   *Session
	url *url.URL
}

// udpReadBuffer is the receive buffer asked for each UDP socket: a 4096x1800
// keyframe of 170 KB arrives in one burst, which the usual 208 KB default
// (counted with per-packet overhead) overflows; 1 MiB holds several.
const udpReadBuffer = 1 << 20

func (r *rtspSource) run(ctx context.Context, up *uplink) error {
	s := r.s
	tr := s.Transport
	if tr == TransportDefault && s.refusesTCP.Load() {
		tr = TransportUDP
	}
	err := r.play(ctx, up, tr)
	var status liberrors.ErrClientBadStatusCode
	if errors.As(err, &status) && status.Code == base.StatusUnsupportedTransport && !up.live {
		switch tr {
		case TransportDefault:
			// Said once: later connections go straight to UDP.
			s.refusesTCP.Store(true)
			s.Logf("player: %s: the camera refuses TCP; using UDP", s.Name)
			return r.play(ctx, up, TransportUDP)
		case TransportTCP:
			return fmt.Errorf("%w: %w", errRefusesTCP, err)
		}
	}
	return err
}

// play connects once over the transport tr.
func (r *rtspSource) play(ctx context.Context, up *uplink, tr Transport) (err error) {
	s := r.s
	u, err := base.ParseURL(r.url.String())
	if err != nil {
		return s.badURL(err.Error())
	}

	var transport atomic.Value // what the camera accepted in SETUP
	if tr == TransportDefault {
		tr = TransportTCP
	}
	transport.Store(string(tr))
	c := &gortsplib.Client{
		Scheme:       u.Scheme,
		Host:         u.Host,
		ReadTimeout:  s.Timeout,
		WriteTimeout: s.Timeout,
		UserAgent:    "camdeck",
		OnPacketsLost: func(n uint64) {
			up.lost(n)
		},
		OnDecodeError: func(err error) {
			up.badPacket(err)
		},
		OnTransportSwitch: func(error) {
			// Auto mode received nothing over UDP and moved to TCP.
			up.s.stats.setTransport(string(TransportTCP))
		},
		OnResponse: func(res *base.Response) {
			if u.Scheme == "rtsp" && res.StatusCode == base.StatusUnauthorized && basicOnly(res.Header["WWW-Authenticate"]) {
				up.basicInClear()
			}
			if tr, ok := setupTransport(res); ok {
				transport.Store(tr)
			}
		},
		ListenPacket: func(network, address string) (net.PacketConn, error) {
			pc, err := net.ListenPacket(network, address)
			if err == nil {
				s.stats.setUDPReadBuffer(setReadBuffer(pc, udpReadBuffer))
			}
			return pc, err
		},
	}
	switch tr {
	case TransportTCP:
		c.Transport = ptr(gortsplib.TransportTCP)
	case TransportUDP:
		c.Transport = ptr(gortsplib.TransportUDP)
	case TransportMulticast:
		c.Transport = ptr(gortsplib.TransportUDPMulticast)
	}
	certs := &certCheck{want: s.TLSFingerprint}
	if u.Scheme == "rtsps" {
		c.TLSConfig = certs.config(s.TLSVerify)
		hb := &handshakeBound{ctx: ctx, timeout: s.Timeout}
		c.DialContext = hb.dial
		onResponse := c.OnResponse
		c.OnResponse = func(res *base.Response) {
			hb.answered()
			onResponse(res)
		}
		defer func() {
			// The handshake's error reaches us in gortsplib's words: say
			// why in ours.
			if _, mismatch := certs.seen(); mismatch != nil && ctx.Err() == nil {
				err = mismatch
			}
		}()
	}

	if err := c.Start2(); err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, c.Close) // unblocks a pending request
	defer stop()

	desc, _, err := c.Describe(u)
	if err != nil {
		return err
	}
	mts, err := selectTracks(desc)
	if err != nil {
		return err
	}
	for _, mt := range mts {
		if _, err := c.Setup(desc.BaseURL, mt.media, 0, 0); err != nil {
			return err
		}
	}

	tracks := make([]*Track, len(mts))
	for i, mt := range mts {
		tracks[i] = mt.depack.track
		c.OnPacketRTCP(mt.media, func(pkt rtcp.Packet) {
			if _, ok := pkt.(*rtcp.Goodbye); ok {
				up.ended() // the end of a file, or a camera shutting down
			}
		})
		c.OnPacketRTP(mt.media, mt.format, func(pkt *rtp.Packet) {
			pts, ok := c.PacketPTS2(mt.media, pkt)
			if !ok {
				return // no timing yet (the first packets of a B-frame)
			}
			un, err := mt.depack.push(pkt, pts)
			switch {
			case err != nil:
				up.badPacket(err)
			case un != nil:
				un.Arrival = timeNow()
				un.NTP, _ = c.PacketNTP(mt.media, pkt)
				up.unit(un)
			}
		})
	}

	// Mark the stream live before PLAY: packets may arrive before Play
	// returns, and the sinks must have their tracks first.
	up.connected(ctx, tracks, transport.Load().(string))
	if fp, _ := certs.seen(); fp != "" {
		if s.TLSFingerprint == "" {
			s.TLSFingerprint = fp // reconnections must meet the same certificate
		}
		if s.OnCertificate != nil {
			s.OnCertificate(fp)
		}
	}
	if _, err := c.Play(nil); err != nil {
		return err
	}

	err = c.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// setupTransport reads the transport a camera accepted from its answer to
// SETUP: in auto mode gortsplib retries with TCP when UDP is refused.
func setupTransport(res *base.Response) (string, bool) {
	hv, ok := res.Header["Transport"]
	if !ok {
		return "", false
	}
	var th headers.Transport
	if th.Unmarshal(hv) != nil {
		return "", false
	}
	switch {
	case th.Protocol == headers.TransportProtocolTCP:
		return string(TransportTCP), true
	case th.Delivery != nil && *th.Delivery == headers.TransportDeliveryMulticast:
		return string(TransportMulticast), true
	}
	return string(TransportUDP), true
}

// basicOnly tells whether a camera's challenges offer Basic
// authentication and nothing stronger.
func basicOnly(challenges base.HeaderValue) bool {
	basic := false
	for _, ch := range challenges {
		scheme, _, _ := strings.Cut(strings.TrimSpace(ch), " ")
		if !strings.EqualFold(scheme, "Basic") {
			return false
		}
		basic = true
	}
	return basic
}

func ptr[T any](v T) *T { return &v }

// setReadBuffer asks for an n-byte receive buffer on a UDP socket and
// returns what the system granted (it caps the request at
// net.core.rmem_max without an error).
func setReadBuffer(pc net.PacketConn, n int) int {
	conn, ok := pc.(*net.UDPConn)
	if !ok {
		return 0
	}
	_ = conn.SetReadBuffer(n)
	got, err := readbuffer.ReadBuffer(conn)
	if err != nil {
		return 0
	}
	return got
}

// handshakeBound bounds an rtsps:// connection's TLS handshake, which
// gortsplib leaves unbounded: it sets deadlines on writes only and times
// its wait for a reply, so a camera that accepts the connection and never
// answers the handshake held the connection, and gortsplib's Close, for
// ever. Each connection's reads get the timeout until the camera's first
// reply (then gortsplib's own timing takes over), and a connection is
// closed as soon as ctx ends, handshake or not.
type handshakeBound struct {
	ctx     context.Context
	timeout time.Duration

	mu   sync.Mutex
	conn net.Conn // the newest connection, until it answered
}

func (h *handshakeBound) dial(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	context.AfterFunc(h.ctx, func() { conn.Close() })
	conn.SetReadDeadline(time.Now().Add(h.timeout))
	h.mu.Lock()
	h.conn = conn
	h.mu.Unlock()
	return conn, nil
}

func (h *handshakeBound) answered() {
	h.mu.Lock()
	conn := h.conn
	h.conn = nil
	h.mu.Unlock()
	if conn != nil {
		conn.SetReadDeadline(time.Time{})
	}
}
