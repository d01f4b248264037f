package gui

import (
	"crypto/tls"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// TestEditorTrustsNewCertificate against a real RTSPS demo camera whose
// certificate changes: the first connection stores the fingerprint; after
// the change the camera is refused, the editor shows both fingerprints
// and "Trust the new certificate", which stores the new one, saves and
// reconnects.
func TestEditorTrustsNewCertificate(t *testing.T) {
	var certs [2]tls.Certificate
	var fps [2]string
	for i := range certs {
		cfg, err := democam.SelfSigned("camera.example")
		if err != nil {
			t.Fatal(err)
		}
		certs[i], fps[i] = cfg.Certificates[0], player.Fingerprint(cfg.Certificates[0].Certificate[0])
	}
	var current atomic.Int32
	cam := &democam.Server{TLSConfig: &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		return &certs[current.Load()], nil
	}}}
	democam.StartForTest(t, cam)

	h := newHarness(t, nil)
	h.ui.open = openSession
	defer func() { // before the camera closes: no session reconnects after the test
		for _, c := range h.ui.cams {
			c.stop()
		}
		h.ui.bg.Wait()
	}()
	h.ui.addProfile(camdeck.Profile{Name: "Porch", URL: cam.URL()})
	h.q.until(t, "the camera live, its certificate trusted on first use", func() bool {
		c := h.ui.cams[0]
		return c.main.State().State == player.StateLive && c.prof.TLSFingerprint == fps[0]
	})
	e := h.ui.showEditor(0, h.ui.cams[0].prof)
	if e.trustBtn != nil {
		t.Fatal("the editor offers to trust a certificate that did not change")
	}
	e.close()

	current.Store(1)
	h.ui.retry(h.ui.cams[0])
	h.q.until(t, "the changed certificate refused", func() bool { return h.ui.certChange(0) != nil })
	if st := h.ui.cams[0].main.State(); st.State != player.StateFailed {
		t.Fatalf("state %v after the certificate changed, want failed for good", st.State)
	}

	e = h.ui.showEditor(0, h.ui.cams[0].prof)
	if e.trustBtn == nil {
		t.Fatal("no Trust the new certificate button")
	}
	if txt := e.certNote.Text; !strings.Contains(txt, "Trusted: sha256 "+fps[0]) || !strings.Contains(txt, "Now: sha256 "+fps[1]) {
		t.Fatalf("the editor says %q, want both fingerprints", txt)
	}
	test.Tap(e.trustBtn)
	h.q.until(t, "the camera live with the new certificate", func() bool {
		c := h.ui.cams[0]
		return c.main.State().State == player.StateLive && c.prof.TLSFingerprint == fps[1]
	})
	// Saving the form afterwards keeps the new fingerprint.
	test.Tap(e.saveBtn)
	h.q.drain()
	h.ui.bg.Wait()
	if got := h.ui.cams[0].prof.TLSFingerprint; got != fps[1] {
		t.Fatalf("after Save the profile trusts %s, want %s", got, fps[1])
	}
	data, err := os.ReadFile(h.store.Path)
	if err != nil || !strings.Contains(string(data), `"tls_fingerprint": "`+fps[1]+`"`) {
		t.Fatalf("the profile file does not trust the new certificate (%v):\n%s", err, data)
	}
	if errors.Is(h.ui.cams[0].main.State().Err, player.ErrTLS) {
		t.Fatal("still a TLS error")
	}
}
