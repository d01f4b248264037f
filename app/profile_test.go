package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/atomicfile"
)

func sample() []Profile {
	demo := DemoProfile()
	demo.ID = "fedcba9876543210fedcba9876543210"
	return []Profile{
		demo,
		{
			ID: "0123456789abcdef0123456789abcdef", Name: "Porch", URL: "rtsp://10.0.0.7:554/main", SubURL: "rtsp://10.0.0.7:554/sub",
			User: "admin", Password: "s3cret", Transport: "udp", RecordDir: "/rec", SnapshotDir: "/snap",
			Segment: Duration(10 * time.Minute), Limit: Duration(time.Hour), AutoRecord: true,
		},
	}
}

func TestStoreRoundTrip(t *testing.T) {
	s := &Store{Path: filepath.Join(t.TempDir(), "camdeck", FileName)}
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample()) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, sample())
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(s.Path)
	if !strings.Contains(string(data), `"segment": "10m0s"`) {
		t.Errorf("durations are not written as text:\n%s", data)
	}
}

func TestStoreFirstRunCreatesDemo(t *testing.T) {
	s := &Store{Path: filepath.Join(t.TempDir(), "sub", FileName)}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].URL != DemoURL {
		t.Fatalf("first run gave %+v, want the demo camera", got)
	}
	if _, err := os.Stat(s.Path); err != nil {
		t.Fatalf("first run did not save: %v", err)
	}
}

func TestStoreSurvivesCrashMidSave(t *testing.T) {
	dir := t.TempDir()
	s := &Store{Path: filepath.Join(dir, FileName)}
	old := sample()[:1]
	if err := s.Save(old); err != nil {
		t.Fatal(err)
	}

	// The process dies after writing the temporary file, before renaming.
	defer func(f func(string) error) { atomicfile.BeforeRename = f }(atomicfile.BeforeRename)
	atomicfile.BeforeRename = func(tmp string) error {
		// What a crash leaves: a temporary file, maybe half written.
		b, _ := os.ReadFile(tmp)
		os.WriteFile(tmp+"-leftover", b[:len(b)/2], 0o600)
		return errors.New("crash")
	}
	if err := s.Save(sample()); err == nil {
		t.Fatal("save did not fail")
	}
	atomicfile.BeforeRename = func(string) error { return nil }

	got, err := s.Load()
	if err != nil {
		t.Fatalf("old file unreadable after the crash: %v", err)
	}
	if !reflect.DeepEqual(got, old) {
		t.Fatalf("after the crash got %+v, want the old %+v", got, old)
	}
	// A later save works despite the leftover.
	if err := s.Save(sample()); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load(); len(got) != 2 {
		t.Fatalf("after a new save got %d profiles", len(got))
	}
}

func TestStoreKeepsBrokenFilesAside(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"garbage", "{not json", "not a camdeck profile file"},
		{"later version", `{"version": 99, "cameras": []}`, "later camdeck"},
		{"no version", `{"cameras": []}`, "no version"},
		{"bad profile", `{"version": 1, "cameras": [{"name": "x", "url": "http://x"}]}`, "main URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := &Store{Path: filepath.Join(dir, FileName)}
			os.WriteFile(s.Path, []byte(tc.content), 0o600)
			ps, err := s.Load()
			var be *BrokenError
			if !errors.As(err, &be) {
				t.Fatalf("got %v, want a BrokenError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q does not say %q on one line", err, tc.want)
			}
			if len(ps) != 1 || ps[0].URL != DemoURL {
				t.Errorf("got %+v, want the demo camera to start with", ps)
			}
			kept, rerr := os.ReadFile(be.Aside)
			if rerr != nil || string(kept) != tc.content {
				t.Fatalf("the broken file was not kept aside: %v", rerr)
			}
			if err := s.Save(ps); err != nil {
				t.Fatal(err)
			}
			if kept, _ := os.ReadFile(be.Aside); string(kept) != tc.content {
				t.Fatal("saving overwrote the broken file")
			}
		})
	}
}

func TestImportExport(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cams.json")
	if err := Export(p, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := Import(p)
	if err != nil || !reflect.DeepEqual(got, sample()) {
		t.Fatalf("import: %v %+v", err, got)
	}
	os.WriteFile(p, []byte("[]"), 0o600)
	if _, err := Import(p); err == nil || !strings.Contains(err.Error(), "cams.json") {
		t.Fatalf("import of a bad file: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Profile{Name: "a", URL: "rtsp://h/p"}
	for _, tc := range []struct {
		name string
		edit func(*Profile)
		want string // empty: valid
	}{
		{"ok", func(*Profile) {}, ""},
		{"demo", func(p *Profile) { p.URL = DemoURL }, ""},
		{"sdp", func(p *Profile) { p.URL = "/tmp/cam.sdp" }, ""},
		{"rtsps", func(p *Profile) { p.URL = "rtsps://h:322/x" }, ""},
		{"no name", func(p *Profile) { p.Name = " " }, "name"},
		{"empty url", func(p *Profile) { p.URL = "" }, "empty"},
		{"http", func(p *Profile) { p.URL = "http://h/p" }, "rtsp://"},
		{"no host", func(p *Profile) { p.URL = "rtsp:///p" }, "no host"},
		{"bad sub", func(p *Profile) { p.SubURL = "x" }, "sub-stream"},
		{"transport", func(p *Profile) { p.Transport = "carrier-pigeon" }, "transport"},
		{"short segment", func(p *Profile) { p.Segment = Duration(time.Second) }, "segment"},
		{"password hidden", func(p *Profile) { p.URL = "rtsp://u:hunter2@/p" }, "***"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			err := p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error about %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

func TestSplitCredentials(t *testing.T) {
	clean, u, p := SplitCredentials("rtsp://admin:pa%40ss@cam:554/live")
	if clean != "rtsp://cam:554/live" || u != "admin" || p != "pa@ss" {
		t.Fatalf("got %q %q %q", clean, u, p)
	}
	if clean, u, _ := SplitCredentials(DemoURL); clean != DemoURL || u != "" {
		t.Fatalf("demo: %q %q", clean, u)
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "0": 0, "90": 90 * time.Second, "15m": 15 * time.Minute, "1h30m": 90 * time.Minute} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDuration("soon"); err == nil {
		t.Error("accepted soon")
	}
	for d, want := range map[time.Duration]string{0: "0", 30 * time.Second: "30s", 15 * time.Minute: "15m", time.Hour: "1h", 90 * time.Minute: "1h30m"} {
		if got := Duration(d).String(); got != want {
			t.Errorf("%v shows as %q, want %q", d, got, want)
		}
	}
	var p Profile
	if err := json.Unmarshal([]byte(`{"segment": "5m"}`), &p); err != nil || p.Segment != Duration(5*time.Minute) {
		t.Fatalf("unmarshal: %v %v", err, p.Segment)
	}
}

func TestURLErrorsHoldNoPassword(t *testing.T) {
	for _, pass := range []string{"Top/Secret9", "p@ss@word", "100%sure", "sp ace", "пароль"} {
		raw := "rtsp://admin:" + pass + "@127.0.0.1:8570/demo"
		err := ValidateURL(raw + "\x00")
		if err != nil && strings.Contains(err.Error(), pass) {
			t.Errorf("ValidateURL(%q) = %v", raw, err)
		}
		clean, user, p := SplitCredentials(raw)
		if clean != "rtsp://127.0.0.1:8570/demo" || user != "admin" || p != pass {
			t.Errorf("SplitCredentials(%q) = %q %q %q", raw, clean, user, p)
		}
		if d := DisplayURL(raw); strings.Contains(d, pass) {
			t.Errorf("DisplayURL(%q) = %q", raw, d)
		}
	}
}

// TestPlaybackServer: a profile's MediaMTX playback server logs in with
// the URL's user and password, else the profile's; the base URL keeps
// neither, and an error names the field without the password. Validate
// leaves it alone, so that no such error sets a whole file aside.
func TestPlaybackServer(t *testing.T) {
	for _, c := range []struct {
		url, path              string
		base, user, pass, errs string
	}{
		{url: "", base: ""},
		{url: "http://host:9996/", path: "cam", base: "http://host:9996", user: "cam-user", pass: "cam-pass"},
		{url: "https://rec:p/@ss@host:9996", path: "cam", base: "https://host:9996", user: "rec", pass: "p/@ss"},
		{url: "http://host:9996", errs: "playback path"},
		{url: "ftp://rec:s3cret@host", path: "cam", errs: "not a playback server URL"},
		{url: "host:9996", path: "cam", errs: "not a playback server URL"},
	} {
		p := Profile{Name: "Yard", URL: "rtsp://host/cam", User: "cam-user", Password: "cam-pass",
			PlaybackURL: c.url, PlaybackPath: c.path}
		base, user, pass, err := p.PlaybackServer()
		if c.errs != "" {
			if err == nil || !strings.Contains(err.Error(), c.errs) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%q: error %v, want one about %q without the password", c.url, err, c.errs)
			}
			if p.Validate() != nil {
				t.Errorf("%q: Validate refuses it: a file an earlier camdeck read would be set aside", c.url)
			}
			continue
		}
		if err != nil || base != c.base || user != c.user || pass != c.pass {
			t.Errorf("%q: %q %q %q %v, want %q %q %q", c.url, base, user, pass, err, c.base, c.user, c.pass)
		}
	}
}
