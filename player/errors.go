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
	// ErrEnded is a stream the camera ended (RTCP BYE, or the connection
	// closed cleanly): the end of a file, or a camera restarting.
	ErrEnded = errors.New("the camera ended the stream")
	// ErrInvalidReply is a camera that answered with something that is not
	// RTSP, or RTSP that cannot be right (a bad status line, a 2 GB body,
	// an SDP with hundreds of media): reachable, but broken.
	ErrInvalidReply = errors.New("the camera sent an invalid reply")
	// ErrTransport is a camera that refuses the transport asked for.
	ErrTransport = errors.New("the camera refuses the transport")
	// ErrRefused is a camera that answers with a client error (4xx) other
	// than those above: the request cannot succeed as it stands (400 Bad
	// Request for a path the server cannot take, 405, 451), so it is not
	// retried. Server errors (5xx, e.g. 503 for too many viewers) are.
	ErrRefused = errors.New("the camera refused the request")
)

// ErrSessionEnded is AddSink on a session that has ended.
var ErrSessionEnded = errors.New("player: the session has ended")

// errRefusesTCP is a 461 answer to an explicit TCP.
var errRefusesTCP = errors.New("the camera refuses TCP; try --transport udp or auto")

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
// something: a bad URL, a request the camera refuses, or credentials it
// refuses (retrying those gets accounts locked on many cameras).
func (e *Error) Permanent() bool {
	return e.Kind == ErrBadURL || e.Kind == ErrAuth || e.Kind == ErrTransport || e.Kind == ErrRefused ||
		errors.As(e.Cause, new(*CertificateError))
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
		e.Kind, e.Detail = ErrTimeout, strings.TrimSuffix(e.Detail, ": "+ErrTimeout.Error())
	case errors.Is(err, ErrEnded):
		e.Kind, e.Detail = ErrEnded, ""
	case errors.Is(err, errRefusesTCP):
		e.Kind, e.Detail = ErrTransport, errRefusesTCP.Error()
	case errors.As(err, &unsup):
		e.Kind, e.Detail = ErrUnsupported, unsup.Error()
	case errors.As(err, &status):
		switch status.Code {
		case 401, 403:
			e.Kind = ErrAuth
		case 404:
			e.Kind = ErrNotFound
		case 408, 454, 455:
			// A request timed out, a session expired, a request out of
			// turn: the next connection starts afresh.
			e.Kind = ErrUnreachable
		default:
			if status.Code >= 400 && status.Code < 500 {
				e.Kind = ErrRefused
				break
			}
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
	case errors.As(err, new(*net.OpError)), errors.Is(err, net.ErrClosed):
		e.Kind = ErrUnreachable
	case errors.Is(err, ErrInvalidReply):
		e.Kind, e.Detail = ErrInvalidReply, strings.TrimPrefix(e.Detail, ErrInvalidReply.Error()+": ")
	default:
		// Not the network failing: what the camera said could not be
		// read (a bad status line, a body too large, an unreadable SDP
		// or header). gortsplib gives these no types of their own.
		e.Kind = ErrInvalidReply
	}
	return e
}
