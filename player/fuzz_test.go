package player

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// FuzzParseSDP feeds SDP files to the raw-RTP source's parser: any input
// either fails cleanly or yields endpoints a socket can bind.
func FuzzParseSDP(f *testing.F) {
	f.Add([]byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
		"m=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		eps, err := parseSDPFile(data)
		if err != nil {
			return
		}
		if len(eps) == 0 {
			t.Fatal("no endpoints and no error")
		}
		for _, ep := range eps {
			if ep.addr.IP == nil || ep.addr.Port <= 0 || ep.addr.Port > 65535 || ep.track.depack == nil {
				t.Fatalf("bad endpoint %+v", ep)
			}
		}
	})
}

// FuzzDepacketize feeds RTP packets (each prefixed with its 16-bit length;
// the first byte picks the codec) to the depacketizers: no panic, and every
// unit has data.
func FuzzDepacketize(f *testing.F) {
	f.Add([]byte{0, 0, 14, 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x65, 0x88})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		formats := []format.Format{
			&format.H264{PayloadTyp: 96, PacketizationMode: 1},
			&format.H265{PayloadTyp: 96},
			&format.MJPEG{},
			&format.G711{PayloadTyp: 0, MULaw: true, SampleRate: 8000, ChannelCount: 1},
		}
		d, err := newTrack(formats[int(data[0])%len(formats)])
		if err != nil || d == nil {
			t.Fatalf("no depacketizer: %v", err)
		}
		data = data[1:]
		for len(data) >= 2 {
			n := int(binary.BigEndian.Uint16(data))
			data = data[2:]
			if n > len(data) {
				return
			}
			var pkt rtp.Packet
			if pkt.Unmarshal(data[:n]) == nil {
				u, err := d.push(&pkt, int64(pkt.Timestamp))
				if err == nil && u != nil && len(u.Data) == 0 {
					t.Fatal("a unit without data")
				}
			}
			data = data[n:]
		}
	})
}

// FuzzRedact: whatever the password (with @, /, :, %, spaces, unicode),
// typed raw or escaped, it is absent from every output made from the URL:
// Redact, RedactIn, StripUserinfo, a session's name and its errors. And
// for a clean URL, Redact keeps its user, host and path.
func FuzzRedact(f *testing.F) {
	f.Add("admin", "s3cret!", "cam.local:554", "/Streaming/Channels/101")
	f.Add("admin", "Top/Secret9", "127.0.0.1:8570", "/demo")
	f.Add("a@b", "p@ss@word:x", "10.0.0.2", "/x?y=1")
	f.Add("admin", "%41%zz%", "cam", "/")
	f.Add("ädmin", "пароль 密码", "[::1]:554", "/live")
	f.Fuzz(func(t *testing.T, user, pass, host, path string) {
		escaped := (&url.URL{Scheme: "rtsp", User: url.UserPassword(user, pass), Host: host, Path: path}).String()
		const stand = "\u2603\u2603\u2603"    // a password none of the others holds
		forms := func(pass string) []string { // the URL typed raw, and escaped
			return []string{"rtsp://" + user + ":" + pass + "@" + host + path,
				(&url.URL{Scheme: "rtsp", User: url.UserPassword(user, pass), Host: host, Path: path}).String()}
		}
		outputs := func(raw string) map[string]string {
			s := &Session{URL: raw}
			out := map[string]string{
				"Redact":        Redact(raw),
				"RedactIn":      RedactIn(`dial "` + raw + `": refused`),
				"StripUserinfo": StripUserinfo(raw),
				"session error": s.redact(classify(Redact(raw), fmt.Errorf("dial %s: %w", raw, io.EOF)).Error()),
			}
			if userinfo := user + ":" + pass; strings.ContainsAny(userinfo, " \t\n\v\f\r\u0085\u00a0\"'<>") ||
				strings.ContainsFunc(userinfo, unicode.IsSpace) {
				// Free text: where a user name or password with a space
				// or a quote starts or ends cannot be found. Sessions
				// remove the passwords they know (the session error).
				delete(out, "RedactIn")
			}
			if _, err := s.newSource(); err != nil {
				out["bad URL"] = err.Error()
			}
			return out
		}
		if strings.Contains(pass, stand) {
			return
		}
		controls := forms(stand)
		for i, raw := range forms(pass) {
			got, control := outputs(raw), outputs(controls[i])
			for _, secret := range []string{pass, url.PathEscape(pass)} {
				if len(secret) < 3 || strings.Contains(raw[:strings.Index(raw, "://")], secret) {
					continue
				}
				for what, out := range got {
					// The same output for the same URL with another
					// password shows what is not the password: the host,
					// the user, the words around it ("00:" is host "00"
					// and the ": " after it).
					if strings.Contains(out, secret) && !strings.Contains(control[what], secret) {
						t.Fatalf("%s of %q = %q: holds the password %q", what, raw, out, secret)
					}
				}
			}
		}

		in, err := url.Parse(escaped)
		if err != nil || strings.ContainsAny(in.Path, "@") || in.RawQuery != "" || in.Fragment != "" {
			return // not a URL a camera profile could hold, or one Redact may shorten
		}
		out := Redact(escaped)
		r, err := url.Parse(out)
		if err != nil {
			t.Fatalf("Redact(%q) = %q, not a URL: %v", escaped, out, err)
		}
		p, _ := r.User.Password()
		if p != "***" || r.User.Username() != in.User.Username() || r.Host != in.Host || r.Path != in.Path {
			t.Fatalf("Redact(%q) = %q", escaped, out)
		}
	})
}
