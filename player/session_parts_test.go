package player

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/rtptest"
)

// writeSDP writes an SDP file for H.264 video on vport and, if aport is
// not 0, G.711 µ-law audio on aport, both sent to 127.0.0.1.
func writeSDP(t *testing.T, clip *democam.Clip, vport, aport int) string {
	t.Helper()
	f := &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS}
	desc := fmt.Sprintf("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"+
		"m=video %d RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1; sprop-parameter-sets=%s\r\n",
		vport, f.FMTP()["sprop-parameter-sets"])
	if aport != 0 {
		desc += fmt.Sprintf("m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", aport)
	}
	path := filepath.Join(t.TempDir(), "stream.sdp")
	if err := os.WriteFile(path, []byte(desc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func dialUDP(t *testing.T, port int) net.Conn {
	t.Helper()
	c, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c net.Conn, p *rtp.Packet) {
	t.Helper()
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
}

// TestLossIsPerTrack: a lost audio packet costs video nothing; a lost
// video packet costs the recorder (a LossKeeper) only the frame it
// belonged to, while a sink that is not one (the decoder) waits for the
// next keyframe.
func TestLossIsPerTrack(t *testing.T) {
	t.Parallel()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	const frames, lostAudio, lostVideo = 150, 20, 60 // keyframes at 0, 50, 100
	vport, aport := rtptest.FreePort(t), rtptest.FreePort(t)
	keeper := newEventSink(true)
	s := &Session{URL: writeSDP(t, clip, vport, aport), Timeout: 30 * time.Second}
	s.AddSink(keeper, frames)
	waiter := newEventSink(false)
	s.AddSink(waiter, frames) // a queue for the whole clip: this counts, it does not time
	s.Logf = t.Logf
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	<-keeper.streams // the ports are bound

	vc, ac := dialUDP(t, vport), dialUDP(t, aport)
	pkts := rtptest.Packets(t, clip, frames)
	if len(pkts[lostVideo]) < 2 {
		t.Fatalf("frame %d is one packet; the test loses its first fragment", lostVideo)
	}
	var aseq, vseq uint16
	for i := range frames {
		for j, p := range pkts[i] {
			p.SequenceNumber = vseq
			vseq++
			if i == lostVideo && j == 0 {
				continue // lost in the network
			}
			send(t, vc, p)
		}
		a := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: aseq,
			Timestamp: uint32(i * 320), SSRC: 2, Marker: true}, Payload: make([]byte, 320)}
		aseq++
		if i != lostAudio {
			send(t, ac, a)
		}
		time.Sleep(5 * time.Millisecond) // about the pace of a LAN, well under the socket buffer
	}

	// The recorder gets every whole frame: all but the one that lost a packet.
	units := keeper.waitVideo(t, frames-1, 30*time.Second)
	byPTS := map[int64]bool{}
	for _, u := range units {
		byPTS[u.PTS-units[0].PTS] = true
	}
	for i, fr := range clip.Frames[:frames] {
		if got := byPTS[fr.PTS-clip.Frames[0].PTS]; got != (i != lostVideo) {
			t.Fatalf("frame %d delivered: %v", i, got)
		}
	}
	// The decoder's kind of sink: frames 0-59, then from the keyframe at 100.
	waited := waiter.waitVideo(t, 60+50, 30*time.Second)
	time.Sleep(500 * time.Millisecond) // nothing more may come
	if n, st := len(waiter.video()), s.Stats(); n != 60+50 || st.PacketsLost != 2 {
		t.Fatalf("%d units to the waiting sink, session %+v: want 110, 2 packets lost", n, st)
	}
	if !waited[60].Key || waited[60].PTS-waited[0].PTS != clip.Frames[100].PTS-clip.Frames[0].PTS {
		t.Fatalf("the waiting sink resumed at PTS %d, not at the keyframe of frame 100", waited[60].PTS-waited[0].PTS)
	}
}

// TestRawRTPCloseWhileFlooded: Close returns while packets keep pouring
// in (cancelling by deadline did not stop a reader that sets a new
// deadline for every packet).
func TestRawRTPCloseWhileFlooded(t *testing.T) {
	t.Parallel()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	port := rtptest.FreePort(t)
	sink := newEventSink(true)
	s := &Session{URL: writeSDP(t, clip, port, 0)}
	s.AddSink(sink, 0)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	<-sink.streams

	c := dialUDP(t, port)
	stop := make(chan struct{})
	flooding := make(chan struct{})
	pkts := rtptest.Packets(t, clip, 50)
	go func() {
		defer close(flooding)
		var seq uint16
		for {
			for _, fr := range pkts {
				for _, p := range fr {
					select {
					case <-stop:
						return
					default:
					}
					p.SequenceNumber = seq
					seq++
					b, _ := p.Marshal()
					_, _ = c.Write(b)
				}
			}
		}
	}()
	defer func() { close(stop); <-flooding }()
	sink.waitVideo(t, 10, 10*time.Second)

	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return within 5 s while packets kept arriving")
	}
}

// TestAddSinkAfterEnd: a sink added to an ended session is refused, and
// starts no goroutine that nothing would stop.
func TestAddSinkAfterEnd(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	s := &Session{URL: "rtsp://" + addr + "/x", Once: true, Timeout: 2 * time.Second}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	_ = s.Wait()

	before := runtime.NumGoroutine()
	err = s.AddSink(newEventSink(false), 0)
	if !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("AddSink on an ended session: %v, want ErrSessionEnded", err)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("%d goroutines after AddSink, %d before", after, before)
	}
}
