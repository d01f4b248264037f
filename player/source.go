package player

import (
	"context"
	"fmt"
)

// source is where a session's packets come from. run connects, calls
// up.connected once streaming, then hands units to up until ctx ends (it
// returns nil) or the stream fails (it returns why).
type source interface {
	run(ctx context.Context, up *uplink) error
}

// newSource picks the source for the session's URL.
func (s *Session) newSource() (source, error) {
	addr, err := ParseAddress(s.URL)
	if err != nil {
		return nil, s.badURL(err.Error())
	}
	if addr.Kind == AddressSDP {
		return &rtpSource{s: s, path: addr.Path}, nil
	}
	s.credentials(addr.URL)
	return &rtspSource{s: s, url: addr.URL}, nil
}

func (s *Session) badURL(why string) error {
	name := s.Name
	if name == "" {
		name = Redact(s.URL)
	}
	return &Error{Camera: name, Kind: ErrBadURL, Detail: why, Cause: fmt.Errorf("%s", why)}
}
