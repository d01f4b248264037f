package player

import (
	"errors"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"rtsp://cam.local/stream", "rtsp://cam.local/stream"},
		{"rtsp://admin@cam.local/stream", "rtsp://admin@cam.local/stream"},
		{"rtsp://admin:hunter2@cam.local:554/Streaming/101", "rtsp://admin:***@cam.local:554/Streaming/101"},
		{"rtsps://a%40b:p%2Fw@10.0.0.2/x?y=1", "rtsps://a%40b:***@10.0.0.2/x?y=1"},
		{"rtsp://u:p w@bad host/", "rtsp://u:***@bad host/"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := Redact(c.in); got != c.want {
				t.Fatalf("Redact(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	if got := RedactIn(`dial "rtsp://admin:hunter2@cam/x": refused`); got != `dial "rtsp://admin:***@cam/x": refused` {
		t.Fatalf("RedactIn: %q", got)
	}
}

// hostilePasswords are passwords a URL parser takes for the end of the
// host, or that look like escapes: each must vanish from every output.
var hostilePasswords = []string{"Top/Secret9", "p@ss@word", "a:b:c", "100%sure", "%2Fenc", "пароль密码", "sp ace", "q?x#y"}

func TestRedactHostilePasswords(t *testing.T) {
	for _, pass := range hostilePasswords {
		for _, raw := range []string{
			"rtsp://admin:" + pass + "@127.0.0.1:8570/demo",
			"rtsps://us@er:" + pass + "@cam.local/x",
			"  RTSP://admin:" + pass + "@cam:554  ",
		} {
			t.Run(raw, func(t *testing.T) {
				s := &Session{URL: raw}
				outs := []string{Redact(raw), StripUserinfo(raw),
					s.redact(classify(Redact(raw), errors.New("dial "+raw+": refused")).Error())}
				if _, err := s.newSource(); err != nil {
					outs = append(outs, err.Error())
				}
				for _, out := range outs {
					if strings.Contains(out, pass) {
						t.Fatalf("%q holds the password", out)
					}
				}
				if !strings.Contains(Redact(raw), "admin:***@") && !strings.Contains(Redact(raw), "us@er:***@") {
					t.Fatalf("Redact(%q) = %q: lost the user", raw, Redact(raw))
				}
			})
		}
	}
}

func TestSplitUserinfo(t *testing.T) {
	rest, user, pass := SplitUserinfo("rtsp://admin:Top/Secret9@127.0.0.1:8570/demo")
	if rest != "rtsp://127.0.0.1:8570/demo" || user != "admin" || pass != "Top/Secret9" {
		t.Fatalf("got %q %q %q", rest, user, pass)
	}
	rest, user, pass = SplitUserinfo("rtsp://a%40b:p%2Fw@cam/x")
	if rest != "rtsp://cam/x" || user != "a@b" || pass != "p/w" {
		t.Fatalf("got %q %q %q", rest, user, pass)
	}
}

func TestParseAddress(t *testing.T) {
	cases := []struct {
		in   string
		kind AddressKind
		err  string
	}{
		{"rtsp://cam/x", AddressRTSP, ""},
		{" RTSPS://cam:322/x ", AddressRTSP, ""},
		{"/tmp/cam.sdp", AddressSDP, ""},
		{"file:///tmp/cam.SDP", AddressSDP, ""},
		{"", 0, "empty"},
		{"http://cam/x", 0, "use rtsp://"},
		{"rtsp:///x", 0, "no host"},
		{"rtsp://admin:Top/Secret9@cam/x", 0, "cannot parse rtsp://admin:***@cam/x"},
	}
	for _, c := range cases {
		a, err := ParseAddress(c.in)
		if a.Kind != c.kind || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseAddress(%q) = %v, %v; want %v, %q", c.in, a.Kind, err, c.kind, c.err)
		}
	}
}
