package player

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
)

func evilCert(t *testing.T) (*tls.Config, string) {
	t.Helper()
	cfg, err := democam.SelfSigned("evil.example")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, Fingerprint(cfg.Certificates[0].Certificate[0])
}

// TestRTSPSTrustOnFirstUse: the first connection reports the certificate's
// fingerprint; a session given it connects; another certificate is
// refused at once, naming both fingerprints.
func TestRTSPSTrustOnFirstUse(t *testing.T) {
	cfg1, fp1 := evilCert(t)
	cfg2, fp2 := evilCert(t)
	first := democam.StartForTest(t, &democam.Server{TLSConfig: cfg1})
	changed := democam.StartForTest(t, &democam.Server{TLSConfig: cfg2})

	seen := make(chan string, 4)
	s := &Session{URL: first.URL(), OnCertificate: func(fp string) { seen <- fp }}
	w := watch(t, s)
	w.waitFrames(t, 5, 10*time.Second)
	select {
	case fp := <-seen:
		if fp != fp1 {
			t.Fatalf("first use stored %s, want %s", fp, fp1)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no fingerprint reported")
	}

	pinned := watch(t, &Session{URL: first.URL(), TLSFingerprint: strings.ToUpper(fp1)})
	pinned.waitFrames(t, 5, 10*time.Second)

	err := watch(t, &Session{URL: changed.URL(), TLSFingerprint: fp1, ReconnectMin: 50 * time.Millisecond}).givesUp(t)
	var ce *CertificateError
	if !errors.Is(err, ErrTLS) || !errors.As(err, &ce) || ce.Want != fp1 || ce.Got != fp2 {
		t.Fatalf("got %v, want a CertificateError %s -> %s", err, fp1, fp2)
	}
	if msg := err.Error(); !strings.Contains(msg, fp1) || !strings.Contains(msg, fp2) || !strings.Contains(msg, "trust the new certificate") {
		t.Fatalf("message %q", msg)
	}
}

func TestParseFingerprint(t *testing.T) {
	const fp = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	colons := ""
	for i := 0; i < len(fp); i += 2 {
		colons += strings.ToUpper(fp[i:i+2]) + ":"
	}
	for _, in := range []string{fp, "SHA256:" + fp, strings.TrimSuffix(colons, ":")} {
		if got, err := ParseFingerprint(in); err != nil || got != fp {
			t.Errorf("ParseFingerprint(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFingerprint("abcd"); err == nil {
		t.Error("a short fingerprint was accepted")
	}
}

// TestSilentTLSServer: an rtsps:// camera that accepts the connection but
// never answers the TLS handshake (a hung camera, or another service on
// the port) fails each connection within the timeout, the session goes on
// retrying, and Close ends it at once even mid-handshake. gortsplib bounds
// only writes and its wait for a reply, and its Close waits for the
// handshake: the first connection never ended, nor did Close.
func TestSilentTLSServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go io.Copy(io.Discard, c) // read the ClientHello, never answer
		}
	}()
	url := "rtsps://" + ln.Addr().String() + "/cam"
	hang := &Session{URL: url, Timeout: 30 * time.Second}
	watch(t, hang)
	start := time.Now()
	retrying := watch(t, &Session{URL: url, Timeout: time.Second, ReconnectMin: 50 * time.Millisecond})
	once := watch(t, &Session{URL: url, Timeout: time.Second, Once: true})
	// Cleanups run last first: this one, before the sessions' Close, lets
	// the old code's sessions end when the test fails.
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})

	st := retrying.waitState(t, 8*time.Second, func(c StateChange) bool { return c.State == StateReconnecting && c.Err != nil })
	t.Logf("the first connection failed after %v: %v", time.Since(start), st.Err)
	if err := once.givesUp(t); err == nil {
		t.Fatal("a connect-once session to a silent server ended without an error")
	}

	closed := make(chan struct{})
	begin := time.Now()
	go func() { hang.Close(); close(closed) }()
	select {
	case <-closed:
		t.Logf("Close mid-handshake took %v", time.Since(begin))
	case <-time.After(5 * time.Second): // 170 µs measured; the old code, never
		t.Fatal("Close of a session in a TLS handshake did not end within 5 s")
	}
}
