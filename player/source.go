package player

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// source is where a session's packets come from. run connects, calls
// up.connected once streaming, then hands units to up until ctx ends (it
// returns nil) or the stream fails (it returns why).
type source interface {
	run(ctx context.Context, up *uplink) error
}

// newSource picks the source for the session's URL.
func (s *Session) newSource() (source, error) {
	raw := strings.TrimSpace(s.URL)
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "rtsp://"), strings.HasPrefix(lower, "rtsps://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return nil, s.badURL("not a valid RTSP URL")
		}
		s.credentials(u)
		return &rtspSource{s: s, url: u}, nil
	case strings.HasPrefix(lower, "file://") && strings.HasSuffix(lower, ".sdp"):
		return &rtpSource{s: s, path: raw[len("file://"):]}, nil
	case strings.HasSuffix(lower, ".sdp") && !strings.Contains(lower, "://"):
		return &rtpSource{s: s, path: raw}, nil
	}
	return nil, s.badURL("use rtsp://, rtsps:// or the path of an .sdp file")
}

func (s *Session) badURL(why string) error {
	name := s.Name
	if name == "" {
		name = Redact(s.URL)
	}
	return &Error{Camera: name, Kind: ErrBadURL, Detail: why, Cause: fmt.Errorf("%s", why)}
}
