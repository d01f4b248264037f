package player

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/rtpreorderer"
	"github.com/bluenviron/gortsplib/v4/pkg/rtptime"
	"github.com/bluenviron/gortsplib/v4/pkg/sdp"
	"github.com/pion/rtp"
)

// rtpSource receives raw RTP on UDP ports described by an SDP file, as
// `ffmpeg -f rtp` (or -sdp_file) writes it: no RTSP, the sender pushes.
type rtpSource struct {
	s    *Session
	path string
}

// rtpEndpoint is where one SDP media arrives.
type rtpEndpoint struct {
	track *mediaTrack
	addr  *net.UDPAddr
}

// parseSDPFile reads an SDP file and tells where each track it selects
// arrives.
func parseSDPFile(buf []byte) ([]rtpEndpoint, error) {
	var sd sdp.SessionDescription
	if err := sd.Unmarshal(buf); err != nil {
		return nil, fmt.Errorf("invalid SDP: %w", err)
	}
	var desc description.Session
	if err := desc.Unmarshal(&sd); err != nil {
		return nil, fmt.Errorf("invalid SDP: %w", err)
	}
	if len(desc.Medias) != len(sd.MediaDescriptions) {
		return nil, errors.New("invalid SDP: unreadable media sections")
	}
	mts, err := selectTracks(&desc)
	if err != nil {
		return nil, err
	}
	var eps []rtpEndpoint
	for _, mt := range mts {
		for i, m := range desc.Medias {
			if m != mt.media {
				continue
			}
			md := sd.MediaDescriptions[i]
			host := "0.0.0.0"
			switch {
			case md.ConnectionInformation != nil && md.ConnectionInformation.Address != nil:
				host = md.ConnectionInformation.Address.Address
			case sd.ConnectionInformation != nil && sd.ConnectionInformation.Address != nil:
				host = sd.ConnectionInformation.Address.Address
			}
			if h, _, ok := cutTTL(host); ok {
				host = h
			}
			ip := net.ParseIP(host)
			if ip == nil {
				return nil, fmt.Errorf("invalid SDP: connection address %q", host)
			}
			port := md.MediaName.Port.Value
			if port <= 0 || port > 65535 {
				return nil, fmt.Errorf("invalid SDP: port %d", port)
			}
			eps = append(eps, rtpEndpoint{track: mt, addr: &net.UDPAddr{IP: ip, Port: port}})
		}
	}
	return eps, nil
}

// cutTTL strips the "/ttl" suffix of multicast connection addresses.
func cutTTL(addr string) (string, string, bool) {
	for i := range len(addr) {
		if addr[i] == '/' {
			return addr[:i], addr[i+1:], true
		}
	}
	return addr, "", false
}

func (r *rtpSource) run(ctx context.Context, up *uplink) error {
	buf, err := os.ReadFile(r.path)
	if err != nil {
		return r.s.badURL(err.Error())
	}
	eps, err := parseSDPFile(buf)
	if err != nil {
		var unsup unsupportedError
		if errors.As(err, &unsup) {
			return err
		}
		return r.s.badURL(err.Error())
	}

	conns := make([]*net.UDPConn, len(eps))
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}() // until all are open; then closeAll
	for i, ep := range eps {
		if ep.addr.IP.IsMulticast() {
			conns[i], err = net.ListenMulticastUDP("udp", nil, ep.addr)
		} else {
			conns[i], err = net.ListenUDP("udp", ep.addr)
		}
		if err != nil {
			return fmt.Errorf("cannot receive RTP on %s: %w", ep.addr, err)
		}
		r.s.stats.setUDPReadBuffer(setReadBuffer(conns[i], udpReadBuffer))
	}
	// Closing the sockets is what stops the readers: a deadline would not,
	// since each read sets a new one while packets keep arriving.
	closeAll := func() {
		for _, c := range conns {
			c.Close()
		}
	}
	stop := context.AfterFunc(ctx, closeAll)
	defer stop()

	tracks := make([]*Track, len(eps))
	for i, ep := range eps {
		tracks[i] = ep.track.depack.track
	}
	up.connected(ctx, tracks, "rtp")

	var timeDec rtptime.GlobalDecoder2
	timeDec.Initialize()
	var mu sync.Mutex // one goroutine per port; the uplink takes one at a time
	errc := make(chan error, len(eps))
	for i, ep := range eps {
		go func() {
			errc <- r.read(conns[i], ep.track, &timeDec, &mu, up)
		}()
	}
	err = <-errc
	closeAll()
	for range len(eps) - 1 {
		<-errc
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// read receives one port's packets until an error or silence.
func (r *rtpSource) read(conn *net.UDPConn, mt *mediaTrack, timeDec *rtptime.GlobalDecoder2,
	mu *sync.Mutex, up *uplink,
) error {
	var reorder rtpreorderer.Reorderer
	reorder.Initialize()
	buf := make([]byte, 65536)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(r.s.Timeout))
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return fmt.Errorf("no RTP packet on port %s for %v: %w", strconv.Itoa(conn.LocalAddr().(*net.UDPAddr).Port), r.s.Timeout, ErrTimeout)
			}
			return err
		}
		pkt := &rtp.Packet{}
		if err := pkt.Unmarshal(append([]byte(nil), buf[:n]...)); err != nil {
			mu.Lock()
			up.badPacket(err)
			mu.Unlock()
			continue
		}
		pkts, lost := reorder.Process(pkt)
		mu.Lock()
		if lost > 0 {
			up.lost(uint64(lost))
		}
		for _, p := range pkts {
			pts, ok := timeDec.Decode(mt.format, p)
			if !ok {
				continue
			}
			un, err := mt.depack.push(p, pts)
			switch {
			case err != nil:
				up.badPacket(err)
			case un != nil:
				un.Arrival = timeNow()
				up.unit(un)
			}
		}
		mu.Unlock()
	}
}
