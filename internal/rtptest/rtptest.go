// Package rtptest is a raw RTP camera for tests: a free port pair on
// 127.0.0.1, the SDP file that describes the demo clip's H.264 on it, and
// a socket to send the packets from, as a camera without RTSP is read. It
// imports neither the player nor the recorder, so their own tests can
// use it, as can `camdeck record`'s.
package rtptest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
)

// FreePort returns an even UDP port that is free on loopback now, with
// the odd one above it (RTCP) free too.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 20 {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := c.LocalAddr().(*net.UDPAddr).Port &^ 1
		c.Close()
		a, err1 := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p))
		b, err2 := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p+1))
		if a != nil {
			a.Close()
		}
		if b != nil {
			b.Close()
		}
		if err1 == nil && err2 == nil {
			return p
		}
	}
	t.Fatal("no free UDP port pair")
	return 0
}

// Camera is a raw RTP camera's description and the socket it sends from.
type Camera struct {
	SDP  string   // the SDP file to read the camera from
	Port int      // the RTP port the SDP names
	Conn net.Conn // sends to Port; closed when the test ends
}

// Start describes clip on a free port in an SDP file, with its parameter
// sets when params is true (see democam's Clip.SDP), and opens the socket
// to send to it. Nothing is sent before the test writes to Conn.
func Start(t testing.TB, clip *democam.Clip, params bool) *Camera {
	t.Helper()
	port := FreePort(t)
	sdp := filepath.Join(t.TempDir(), "camera.sdp")
	if err := os.WriteFile(sdp, []byte(clip.SDP(port, params)), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Camera{SDP: sdp, Port: port, Conn: c}
}

// Send writes one packet to the camera's port.
func (c *Camera) Send(t testing.TB, p *rtp.Packet) {
	t.Helper()
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Conn.Write(b); err != nil {
		t.Fatal(err)
	}
}

// Packets packetizes the clip's first n frames as Start's SDP describes
// them (H.264, payload type 96, packetization mode 1), keyframes with
// their parameter sets: one slice of packets a frame, stamped with the
// frame's PTS.
func Packets(t testing.TB, clip *democam.Clip, n int) [][]*rtp.Packet {
	t.Helper()
	f := &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS}
	enc, err := f.CreateEncoder()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]*rtp.Packet, n)
	for i := range out {
		fr := &clip.Frames[i]
		if out[i], err = enc.Encode(clip.WithParams(fr)); err != nil {
			t.Fatal(err)
		}
		for _, p := range out[i] {
			p.Timestamp = uint32(fr.PTS)
		}
	}
	return out
}
