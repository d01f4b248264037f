package player

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text, spaces and unicode: ü 密码", "plain text, spaces and unicode: ü 密码"},
		{"\x1b]0;PWNED\x07\x1b[2J", `\x1b]0;PWNED\a\x1b[2J`},
		{"nul\x00 ff\xff tab\t", `nul\x00 ff\xff tab\t`},
		{"bidi \u202e zero-width \u200b", `bidi \u202e zero-width \u200b`},
	}
	for _, c := range cases {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// hostileText is what a hostile camera or file puts in its replies: it
// would retitle and clear a terminal.
const hostileText = "\x1b]0;PWNED\x07\x1b[2J\x00\xff"

func assertEscaped(t *testing.T, text string) {
	t.Helper()
	for _, r := range text {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			t.Fatalf("%q holds control characters", text)
		}
	}
	if !strings.Contains(text, `\x1b`) {
		t.Fatalf("%q does not show the escapes", text)
	}
}

func TestErrorsEscapeControlCharacters(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"sdp-content.sdp":                  "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 " + hostileText + "\r\nt=0 0\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n",
		"name" + hostileText[:10] + ".sdp": "",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if content != "" {
				if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := &Session{URL: path, Once: true, Timeout: 2 * time.Second}
			if err := s.Start(); err != nil {
				assertEscaped(t, err.Error())
				return
			}
			defer s.Close()
			err := s.Wait()
			if err == nil {
				t.Fatal("no error")
			}
			assertEscaped(t, err.Error())
		})
	}
}
