package player

import (
	"fmt"
	"strings"
	"time"
)

// Transport is how RTP travels from an RTSP camera.
type Transport string

// Transports. The default is TCP (RTP interleaved in the RTSP connection:
// it crosses NAT and firewalls and loses nothing), and UDP for cameras that
// refuse TCP with 461 Unsupported Transport (VLC's server does). An explicit
// TCP is TCP only. UDP has less delay on a clean network; auto tries UDP and
// falls back to TCP.
const (
	TransportDefault   Transport = ""
	TransportTCP       Transport = "tcp"
	TransportUDP       Transport = "udp"
	TransportMulticast Transport = "multicast"
	TransportAuto      Transport = "auto"
)

// ParseTransport reads a transport name; empty means TransportDefault.
func ParseTransport(s string) (Transport, error) {
	switch t := Transport(strings.ToLower(s)); t {
	case TransportDefault, TransportTCP, TransportUDP, TransportMulticast, TransportAuto:
		return t, nil
	}
	return "", fmt.Errorf("player: unknown transport %q (tcp, udp, multicast or auto)", s)
}

// State is where a session is in its life.
type State int

// States.
const (
	StateIdle State = iota
	StateConnecting
	StateLive
	StateReconnecting // waiting before the next attempt
	StateFailed       // gave up: the error needs the user (wrong password, bad URL)
	StateClosed
)

func (s State) String() string {
	return [...]string{"idle", "connecting", "live", "reconnecting", "failed", "closed"}[s]
}

// StateChange reports a session's new state.
type StateChange struct {
	State State
	// Err is why the last attempt ended (Reconnecting, Failed); an *Error.
	Err error
	// RetryAt is when the next attempt starts (Reconnecting).
	RetryAt time.Time
	// Transport in use (Live): tcp, udp, multicast or rtp.
	Transport string
	// Tracks of the stream (Live).
	Tracks []*Track
}
