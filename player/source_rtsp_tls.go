package player

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// CertificateError is an rtsps:// camera presenting another certificate
// than the one trusted for it: a new camera, a new certificate, or
// someone in between. Retrying cannot help; the user must accept the new
// fingerprint (or not).
type CertificateError struct {
	Want, Got string // SHA-256 fingerprints, as Fingerprint writes them
}

func (e *CertificateError) Error() string {
	return fmt.Sprintf("the camera's certificate changed: it was sha256 %s, it is now sha256 %s; "+
		"if you expect the change, trust the new certificate (in the camera's editor, or --tls-fingerprint %s)", e.Want, e.Got, e.Got)
}

// Fingerprint is the SHA-256 fingerprint of a DER certificate, as camdeck
// shows and stores it: 64 lowercase hex digits.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ParseFingerprint reads a SHA-256 fingerprint as people copy them: hex,
// either case, with or without colons or a "sha256:" prefix.
func ParseFingerprint(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "sha256:"), "sha256 ")
	s = strings.ReplaceAll(s, ":", "")
	if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
		return "", errors.New("player: a SHA-256 fingerprint is 64 hex digits")
	}
	return s, nil
}

// certCheck is the trust of one RTSPS connection: with a fingerprint, the
// certificate must have it (trust on first use, as ssh does, or pinned);
// with verify, it must also chain to a trusted CA and name the host.
type certCheck struct {
	want string

	mu       sync.Mutex
	got      string
	mismatch *CertificateError
}

func (c *certCheck) config(verify bool) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: !verify, //nolint:gosec // the fingerprint is checked instead, in VerifyConnection
		VerifyConnection:   c.verify,
	}
}

func (c *certCheck) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("player: the camera sent no certificate")
	}
	got := Fingerprint(cs.PeerCertificates[0].Raw)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = got
	if c.want != "" && got != c.want {
		c.mismatch = &CertificateError{Want: c.want, Got: got}
		return c.mismatch
	}
	return nil
}

// seen returns the fingerprint of the certificate the camera presented,
// and the mismatch, if there was one.
func (c *certCheck) seen() (string, *CertificateError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got, c.mismatch
}
