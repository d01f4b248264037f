package player

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
)

// selfSigned makes a certificate for 127.0.0.1 signed by itself, as IP
// cameras ship.
func selfSigned(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "IP camera"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// TestCredentials: Digest and Basic auth, with credentials in the URL or
// given apart (as a profile keeps them).
func TestCredentials(t *testing.T) {
	digest := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "pa:ss@word"})
	// gortsplib's server splits Basic credentials at every colon, so the
	// Basic camera's password has none.
	basic := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "pa$s@word", BasicAuth: true})
	cases := []struct {
		name string
		s    *Session
	}{
		{"digest, in the URL", &Session{URL: digest.URLWithCredentials()}},
		{"digest, apart", &Session{URL: digest.URL(), User: "admin", Pass: "pa:ss@word"}},
		{"basic, in the URL", &Session{URL: basic.URLWithCredentials()}},
		{"basic, apart", &Session{URL: basic.URL(), User: "admin", Pass: "pa$s@word"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := watch(t, c.s)
			w.waitFrames(t, 10, 10*time.Second)
		})
	}
}

// TestWrongPassword: the session gives up at once (retrying locks accounts
// on many cameras) with an authentication error that hides the password.
func TestWrongPassword(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "right"})
	w := watch(t, &Session{URL: srv.URL(), User: "admin", Pass: "Wr0ngPassw0rd"})
	err := w.givesUp(t)
	if !errors.Is(err, ErrAuth) || w.sess.State().State != StateFailed {
		t.Fatalf("err %v, state %v: want a failed session with ErrAuth", err, w.sess.State().State)
	}
	if strings.Contains(err.Error(), "Wr0ngPassw0rd") {
		t.Fatalf("the password leaked: %v", err)
	}
}

// TestRTSPS reads a camera over TLS with a self-signed certificate, which
// is refused only when asked to verify it.
func TestRTSPS(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{TLSConfig: selfSigned(t)})
	if !strings.HasPrefix(srv.URL(), "rtsps://") {
		t.Fatalf("URL %s", srv.URL())
	}
	w := watch(t, &Session{URL: srv.URL()})
	w.waitFrames(t, 10, 10*time.Second)

	strict := &Session{URL: srv.URL(), TLSVerify: true, Once: true}
	if err := strict.Start(); err != nil {
		t.Fatal(err)
	}
	if err := strict.Wait(); !errors.Is(err, ErrTLS) {
		t.Fatalf("verifying a self-signed certificate: %v, want ErrTLS", err)
	}
}

// TestSilentCamera: a camera that stops sending is noticed within the
// timeout; the session reconnects and frames come back.
func TestSilentCamera(t *testing.T) {
	t.Parallel()
	srv := democam.StartForTest(t, &democam.Server{StallAfter: 2 * time.Second, StallFor: 5 * time.Second})
	w := watch(t, &Session{URL: srv.URL(), Timeout: 2 * time.Second, ReconnectMin: 200 * time.Millisecond})
	deadline := time.Now().Add(10 * time.Second)
	for {
		var timedOut bool
		for _, s := range w.history() {
			timedOut = timedOut || (s.State == StateReconnecting && errors.Is(s.Err, ErrTimeout))
		}
		if timedOut {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("silence not noticed: %+v", w.history())
		}
		time.Sleep(50 * time.Millisecond)
	}
	n := w.dec.Stats().Frames
	w.waitFrames(t, n+25, 10*time.Second)
}

// TestAutoTransport: auto tries UDP; a camera that offers only TCP is
// read over TCP.
func TestAutoTransport(t *testing.T) {
	t.Parallel()
	srv := democam.StartForTest(t, &democam.Server{DisableUDP: true})
	w := watch(t, &Session{URL: srv.URL(), Transport: TransportAuto})
	w.waitFrames(t, 25, 15*time.Second)
	if tr := w.sess.Stats().Transport; tr != "tcp" {
		t.Fatalf("transport %q, want tcp after falling back", tr)
	}
}
