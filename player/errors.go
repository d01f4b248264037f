package player

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// Kinds of failure the UI tells apart. Session errors wrap one of them;
// test with errors.Is.
var (
	ErrAuth        = errors.New("authentication failed")
	ErrNotFound    = errors.New("stream not found")
	ErrUnreachable = errors.New("unreachable")
	ErrTimeout     = errors.New("no data from the camera")
	ErrBadURL      = errors.New("bad URL")
	ErrUnsupported = errors.New("unsupported codec")
	ErrTLS         = errors.New("TLS failure")
)

// Error is a session failure: which camera, what kind, and the cause.
// Its text is one line, never holds a password, and has the control
// characters a camera may send escaped (see Escape).
type Error struct {
	Camera string // name or redacted URL
	Kind   error  // one of the Err* kinds
	Detail string // the cause, redacted; may be empty
	Cause  error  // the underlying error, for errors.As
}

func (e *Error) Error() string {
	s := "player: " + e.Camera + ": " + e.Kind.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return Escape(strings.Join(strings.Fields(s), " "))
}

// Unwrap lets errors.Is match the kind and errors.As the cause.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Cause}
}

// Permanent tells whether retrying cannot help without the user changing
// something: a bad URL, or credentials the camera refuses (retrying those
// gets accounts locked on many cameras).
func (e *Error) Permanent() bool {
	return e.Kind == ErrBadURL || e.Kind == ErrAuth || errors.As(e.Cause, new(*CertificateError))
}

// unsupportedError lists the codecs a stream offered instead of one we read.
type unsupportedError struct{ codecs []string }

func (e unsupportedError) Error() string {
	if len(e.codecs) == 0 {
		return "the stream has no media"
	}
	return strings.Join(e.codecs, ", ")
}

// classify wraps err as an *Error for camera, naming its kind.
func classify(camera string, err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	e := &Error{Camera: camera, Cause: err, Detail: RedactIn(err.Error())}
	var status liberrors.ErrClientBadStatusCode
	var unsup unsupportedError
	var netErr net.Error
	var dnsErr *net.DNSError
	var certErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, ErrTimeout):
		e.Kind = ErrTimeout
	case errors.As(err, &unsup):
		e.Kind, e.Detail = ErrUnsupported, unsup.Error()
	case errors.As(err, &status):
		switch status.Code {
		case 401, 403:
			e.Kind = ErrAuth
		case 404:
			e.Kind = ErrNotFound
		default:
			e.Kind = ErrUnreachable
		}
		e.Detail = fmt.Sprintf("%d %s", status.Code, status.Message)
	case errors.As(err, new(liberrors.ErrClientAuthSetup)):
		e.Kind = ErrAuth
	case errors.As(err, new(*CertificateError)):
		e.Kind = ErrTLS
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, new(*tls.CertificateVerificationError)):
		e.Kind = ErrTLS
	case errors.As(err, new(liberrors.ErrClientTCPTimeout)),
		errors.As(err, new(liberrors.ErrClientUDPTimeout)),
		errors.As(err, new(liberrors.ErrClientRequestTimedOut)):
		e.Kind = ErrTimeout
	case errors.As(err, &dnsErr):
		e.Kind, e.Detail = ErrUnreachable, "cannot resolve "+dnsErr.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind, e.Detail = ErrUnreachable, "connection refused"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		e.Kind, e.Detail = ErrUnreachable, "no route to host"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		e.Kind, e.Detail = ErrUnreachable, "timed out"
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		e.Kind, e.Detail = ErrUnreachable, "connection closed by the camera"
	default:
		e.Kind = ErrUnreachable
	}
	return e
}
