package player

import (
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/rtptest"
)

// fakeCam is a gortsplib server with one H.264 stream whose packets the
// test writes itself: for misbehaviour the demo camera has no switch for.
type fakeCam struct {
	srv    *gortsplib.Server
	stream *gortsplib.ServerStream
	media  *description.Media
	clip   *democam.Clip
	addr   string
	// refuseTCP answers SETUP over TCP with 461 Unsupported Transport.
	refuseTCP bool
	// describeStatus, when set, is the answer to every DESCRIBE.
	describeStatus base.StatusCode

	played chan struct{} // gets a value at every PLAY

	mu         sync.Mutex
	setups     []string // transports asked for, in order
	setupCount int
	describes  int
}

func startFakeCam(t *testing.T, refuseTCP bool) *fakeCam {
	t.Helper()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeCam{clip: clip, refuseTCP: refuseTCP, played: make(chan struct{}, 16)}
	fc.media = &description.Media{
		Type: description.MediaTypeVideo,
		Formats: []format.Format{&format.H264{
			PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS,
		}},
	}
	rtpPort := rtptest.FreePort(t)
	fc.srv = &gortsplib.Server{
		Handler:        fc,
		RTSPAddress:    "127.0.0.1:0",
		UDPRTPAddress:  "127.0.0.1:" + strconv.Itoa(rtpPort),
		UDPRTCPAddress: "127.0.0.1:" + strconv.Itoa(rtpPort+1),
		Listen: func(network, address string) (net.Listener, error) {
			l, err := net.Listen(network, address)
			if err == nil {
				fc.addr = l.Addr().String()
			}
			return l, err
		},
	}
	if err := fc.srv.Start(); err != nil {
		t.Fatal(err)
	}
	fc.stream = &gortsplib.ServerStream{Server: fc.srv, Desc: &description.Session{Medias: []*description.Media{fc.media}}}
	if err := fc.stream.Initialize(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		fc.stream.Close()
		fc.srv.Close()
	})
	return fc
}

func (fc *fakeCam) URL() string {
	return "rtsp://" + fc.addr + "/cam"
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (fc *fakeCam) OnDescribe(*gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	fc.mu.Lock()
	fc.describes++
	fc.mu.Unlock()
	if fc.describeStatus != 0 {
		return &base.Response{StatusCode: fc.describeStatus}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, fc.stream, nil
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (fc *fakeCam) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	tcp := ctx.Transport == gortsplib.TransportTCP
	fc.mu.Lock()
	fc.setups = append(fc.setups, map[bool]string{true: "tcp", false: "udp"}[tcp])
	fc.mu.Unlock()
	if tcp && fc.refuseTCP {
		return &base.Response{StatusCode: base.StatusUnsupportedTransport}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, fc.stream, nil
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (fc *fakeCam) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	select {
	case fc.played <- struct{}{}:
	default:
	}
	return &base.Response{StatusCode: base.StatusOK}, nil
}

func (fc *fakeCam) describeCount() int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.describes
}

func (fc *fakeCam) transports() []string {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return append([]string(nil), fc.setups...)
}

// waitPlay waits for the next PLAY.
func (fc *fakeCam) waitPlay(t *testing.T) {
	t.Helper()
	select {
	case <-fc.played:
	case <-time.After(15 * time.Second):
		t.Fatal("no PLAY within 15 s")
	}
}

// sendFrames writes the clip's first n frames, one every 10 ms (their
// timing does not matter to these tests), in RTP time order.
func (fc *fakeCam) sendFrames(t *testing.T, n int, ts uint32) uint32 {
	t.Helper()
	fc.writeFrames(t, n, 10*time.Millisecond, func(p *rtp.Packet, i int) { p.Timestamp = ts + uint32(i*3600) })
	return ts + uint32(n*3600)
}

// writeFrames packetizes the clip's first n frames (keyframes with the
// parameter sets in front) and writes them, pause apart; stamp sets each
// packet's header given its frame's index.
func (fc *fakeCam) writeFrames(t *testing.T, n int, pause time.Duration, stamp func(p *rtp.Packet, i int)) {
	t.Helper()
	enc, err := fc.media.Formats[0].(*format.H264).CreateEncoder()
	if err != nil {
		t.Fatal(err)
	}
	for i, fr := range fc.clip.Frames[:n] {
		pkts, err := enc.Encode(fc.clip.WithParams(&fr))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkts {
			stamp(p, i)
			if err := fc.stream.WritePacketRTP(fc.media, p); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(pause)
	}
}

// fuStart is the first fragment of an FU-A (a slice split over packets)
// whose later fragments never come.
func fuStart(seq uint16, ts uint32) *rtp.Packet {
	return &rtp.Packet{
		Header:  rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts, SSRC: 1},
		Payload: []byte{28 | 0x60, 0x80 | 1, 0xaa, 0xbb, 0xcc},
	}
}
