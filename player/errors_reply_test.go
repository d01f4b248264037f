package player

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// badServer answers every RTSP request on 127.0.0.1 with reply(cseq).
func badServer(t *testing.T, reply func(cseq string) string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				r := bufio.NewReader(c)
				cseq := ""
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimSpace(line)
					if v, ok := strings.CutPrefix(line, "CSeq:"); ok {
						cseq = strings.TrimSpace(v)
					}
					if line == "" {
						if _, err := c.Write([]byte(reply(cseq))); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return "rtsp://" + l.Addr().String() + "/cam"
}

// TestInvalidReply: a camera that answers with nonsense is reachable but
// broken, and said so.
func TestInvalidReply(t *testing.T) {
	var sdp strings.Builder
	sdp.WriteString("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\n")
	for i := range 500 {
		fmt.Fprintf(&sdp, "m=video %d RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:t%d\r\n", 0, i)
	}
	cases := []struct {
		name  string
		reply func(cseq string) string
	}{
		{"bad status line", func(string) string { return "RTSP/1.0 2x0 OK\r\n\r\n" }},
		{"2 GB Content-Length", func(cseq string) string {
			return "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nContent-Type: application/sdp\r\nContent-Length: 2000000000\r\n\r\nv=0\r\n"
		}},
		{"500-section SDP", func(cseq string) string {
			return fmt.Sprintf("RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Base: rtsp://127.0.0.1/cam/\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
				cseq, sdp.Len(), sdp.String())
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := &Session{URL: badServer(t, c.reply), Once: true, Timeout: 5 * time.Second, Logf: t.Logf}
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			err := s.Wait()
			if !errors.Is(err, ErrInvalidReply) || !strings.Contains(err.Error(), "the camera sent an invalid reply") {
				t.Fatalf("err %v, want the camera sent an invalid reply", err)
			}
		})
	}
}
