package cli

import (
	"bufio"
	"bytes"
	"context"
	bin "encoding/binary"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/reexec"
)

// hostileSDP is a valid H.264 stream description.
const hostileSDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n" +
	"a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:trackID=0\r\n"

// hostileRSSLimit bounds the peak memory of a probe of a hostile camera:
// the process with FFmpeg loaded takes some tens of MB; a hostile length
// read into memory would take hundreds.
const hostileRSSLimit = 200 << 20

// rtspScript answers one RTSP connection: reply is called for each
// request with its method and CSeq and writes whatever it likes.
type rtspScript func(w *bufio.Writer, method, cseq string) (keepGoing bool)

func ok(w *bufio.Writer, cseq, headers, body string) {
	fmt.Fprintf(w, "RTSP/1.0 200 OK\r\nCSeq: %s\r\n%s", cseq, headers)
	if body != "" {
		fmt.Fprintf(w, "Content-Type: application/sdp\r\nContent-Length: %d\r\n", len(body))
	}
	fmt.Fprintf(w, "\r\n%s", body)
}

// playing answers OPTIONS, DESCRIBE with sdp, SETUP over TCP and PLAY,
// then calls stream until it fails.
func playing(sdp string, stream func(w *bufio.Writer) error) rtspScript {
	return func(w *bufio.Writer, method, cseq string) bool {
		switch method {
		case "OPTIONS":
			ok(w, cseq, "Public: DESCRIBE, SETUP, PLAY, TEARDOWN\r\n", "")
		case "DESCRIBE":
			ok(w, cseq, "Content-Base: rtsp://127.0.0.1/x/\r\n", sdp)
		case "SETUP":
			ok(w, cseq, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nSession: 12345678\r\n", "")
		case "PLAY":
			ok(w, cseq, "Session: 12345678\r\n", "")
			w.Flush()
			for stream(w) == nil {
			}
			return false
		default:
			ok(w, cseq, "", "")
		}
		return true
	}
}

// interleaved frames an RTP packet for channel 0.
func interleaved(pkt []byte) []byte {
	return append([]byte{'$', 0, byte(len(pkt) >> 8), byte(len(pkt))}, pkt...)
}

func rtpPacket(seq uint16, payload []byte) []byte {
	h := make([]byte, 12)
	h[0], h[1] = 0x80, 96
	bin.BigEndian.PutUint16(h[2:], seq)
	bin.BigEndian.PutUint32(h[4:], 90000)
	bin.BigEndian.PutUint32(h[8:], 0xcafe)
	return append(h, payload...)
}

// hostileServer serves script on 127.0.0.1 until the test ends.
func hostileServer(t *testing.T, script rtspScript) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				r, w := bufio.NewReader(c), bufio.NewWriter(c)
				for {
					method, cseq, err := readRequest(r)
					if err != nil {
						return
					}
					keep := script(w, method, cseq)
					if w.Flush() != nil || !keep {
						return
					}
				}
			}()
		}
	}()
	return "rtsp://127.0.0.1:" + fmt.Sprint(l.Addr().(*net.TCPAddr).Port) + "/x"
}

func readRequest(r *bufio.Reader) (method, cseq string, err error) {
	for n := 0; ; n++ {
		line, err := r.ReadString('\n')
		if err != nil || n > 100 {
			return "", "", fmt.Errorf("bad request: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "" && method != "":
			return method, cseq, nil
		case line == "":
		case method == "":
			method, _, _ = strings.Cut(line, " ")
		case strings.HasPrefix(strings.ToLower(line), "cseq:"):
			cseq = strings.TrimSpace(line[5:])
		}
	}
}

// TestHostileServers: whatever a camera answers, probe ends within its
// time-out with one escaped line and exit 1, in bounded memory, without a
// panic.
func TestHostileServers(t *testing.T) {
	junk := bytes.Repeat([]byte("a"), 64<<10)
	cases := []struct {
		name   string
		script rtspScript
	}{
		{"silence after accept", func(w *bufio.Writer, _, _ string) bool {
			return true // no answer: wait for the next request, or the end
		}},
		{"reply with control characters", func(w *bufio.Writer, _, cseq string) bool {
			fmt.Fprintf(w, "RTSP/1.0 404 \x1b]0;PWNED\x07\x1b[2J\x00\xff\r\nCSeq: %s\r\n\r\n", cseq)
			return true
		}},
		{"garbage status line", func(w *bufio.Writer, _, _ string) bool {
			w.WriteString("HELLO \x1b]0;PWNED\x07\x1b[2J\x00\xff garbage\r\n\r\n")
			return true
		}},
		{"endless header line", func(w *bufio.Writer, _, cseq string) bool {
			fmt.Fprintf(w, "RTSP/1.0 200 OK\r\nCSeq: %s\r\nX-Endless: ", cseq)
			for w.Flush() == nil {
				w.Write(junk)
			}
			return false
		}},
		{"huge Content-Length", func(w *bufio.Writer, _, cseq string) bool {
			fmt.Fprintf(w, "RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Length: 2000000000\r\n\r\n", cseq)
			for i := 0; i < 64 && w.Flush() == nil; i++ {
				w.Write(junk)
			}
			return false
		}},
		{"huge SDP", playing(hostileSDP+"a=x-junk:"+strings.Repeat("z", 8<<20)+"\r\n", func(*bufio.Writer) error { return fmt.Errorf("end") })},
		{"SDP with control characters", playing(strings.NewReplacer("s=x", "s=\x1b]0;PWNED\x07\x1b[2J",
			"H264/90000", "\x1b]0;PWNED\x07\x1b[2JEVIL\x00\xff/90000").Replace(hostileSDP), func(w *bufio.Writer) error {
			time.Sleep(100 * time.Millisecond)
			return w.Flush()
		})},
		{"RTP over TCP with bogus lengths", playing(hostileSDP, func(w *bufio.Writer) error {
			w.Write([]byte{'$', 0, 0xff, 0xff})
			w.Write(junk[:1000])
			w.Write([]byte{'$', 7, 0, 3, 1, 2, 3, '$', 0, 0, 0})
			return w.Flush()
		})},
		{"FU-A fragments that never end", func() rtspScript {
			var seq uint16
			return playing(hostileSDP, func(w *bufio.Writer) error {
				fu := []byte{0x7c, 0x05} // FU-A, IDR
				if seq == 0 {
					fu[1] |= 0x80 // start
				}
				seq++
				w.Write(interleaved(rtpPacket(seq, append(fu, junk[:1200]...))))
				time.Sleep(time.Millisecond) // about 10 Mbit/s, a camera's rate
				return w.Flush()
			})
		}()},
	}
	const timeout = 3 * time.Second
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := hostileServer(t, c.script)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := reexec.Command(ctx, "probe", "--timeout", timeout.String(), url)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The probe's own peak, read from /proc while it runs: the
			// rusage of a child holds the peak of the test process it was
			// cloned from (Go starts children with CLONE_VM), which is
			// the test's memory, not the probe's.
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			var rss int64
			var err error
		sample:
			for {
				if hwm := vmHWM(cmd.Process.Pid); hwm > rss {
					rss = hwm
				}
				select {
				case err = <-exited:
					break sample
				case <-time.After(5 * time.Millisecond):
				}
			}
			took := time.Since(start)
			code := cmd.ProcessState.ExitCode()
			t.Logf("exit %d in %v, peak RSS %.1f MB, stderr %q", code, took.Round(time.Millisecond), float64(rss)/1e6, stderr.String())
			if code != 1 || err == nil {
				t.Fatalf("exit %d (%v), want 1", code, err)
			}
			// Connecting, a request and the first frame each wait at most
			// the time-out; the rest is margin for a loaded machine.
			if took > 4*timeout+10*time.Second {
				t.Errorf("took %v", took)
			}
			if rss > hostileRSSLimit {
				t.Errorf("peak RSS %d MB, want at most %d", rss>>20, hostileRSSLimit>>20)
			}
			out := stderr.String()
			if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
				t.Fatalf("panic:\n%s", out)
			}
			errLines := 0
			for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if strings.HasPrefix(l, "camdeck probe: ") {
					errLines++
				}
				if strings.ContainsFunc(l, func(r rune) bool { return r < 0x20 || r == 0x7f || r == 0xfffd }) {
					t.Errorf("control characters reach the terminal: %q", l)
				}
			}
			if c.name == "reply with control characters" && !strings.Contains(out, `\x1b`) {
				t.Errorf("stderr %q does not show the escaped control characters", out)
			}
			if errLines != 1 || !strings.HasSuffix(out, "\n") {
				t.Errorf("stderr %q: want one error line", out)
			}
		})
	}
}

// vmHWM is a running process's peak resident memory in bytes (VmHWM in
// /proc/PID/status), or 0 once it has gone.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
