package player

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/headers"
	"github.com/pion/rtp"
)

// rtspSource pulls a stream from an RTSP or RTSPS camera with gortsplib.
type rtspSource struct {
	s   *Session
	url *url.URL
}

func (r *rtspSource) run(ctx context.Context, up *uplink) (err error) {
	s := r.s
	u, err := base.ParseURL(r.url.String())
	if err != nil {
		return s.badURL(err.Error())
	}

	var transport atomic.Value // what the camera accepted in SETUP
	transport.Store(string(s.Transport))
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
	}
	switch s.Transport {
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
	up.connected(tracks, transport.Load().(string))
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
