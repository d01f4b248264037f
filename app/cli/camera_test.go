package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

// TestPasswordSources: the password may come from --pass (with the user in
// the URL), --pass-file or $CAMDECK_PASS, for probe, snapshot and record,
// so it never has to be on a command line.
func TestPasswordSources(t *testing.T) {
	const pass = "Top/Secret9@x"
	srv := democam.StartForTest(t, &democam.Server{User: "admin", Pass: pass})
	userURL := strings.Replace(srv.URL(), "rtsp://", "rtsp://admin@", 1)
	passFile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passFile, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		name string
		env  string
		args []string
	}{
		{"probe $CAMDECK_PASS", pass, []string{"probe", "--timeout", "5s", userURL}},
		{"probe --pass, user in URL", "", []string{"probe", "--timeout", "5s", "--pass", pass, userURL}},
		{"probe --pass-file", "", []string{"probe", "--timeout", "5s", "--user", "admin", "--pass-file", passFile, srv.URL()}},
		{"snapshot $CAMDECK_PASS", pass, []string{"snapshot", "--timeout", "5s", "-o", filepath.Join(dir, "a.jpg"), userURL}},
		{"record $CAMDECK_PASS", pass, []string{"record", "--timeout", "5s", "--out", dir, "--duration", "1s", "cam=" + userURL}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(passEnv, c.env)
			out, errOut := runOK(t, c.args...)
			if strings.Contains(out+errOut, pass) {
				t.Fatalf("the password leaked: %s%s", out, errOut)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		t.Setenv(passEnv, "")
		if code, _, errOut := run("probe", "--timeout", "5s", userURL); code != 1 || !strings.Contains(errOut, "authentication failed") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}

// TestNegativeDurations: a negative duration is bad usage (exit 2, one
// line), not "no limit" or "no time at all".
func TestNegativeDurations(t *testing.T) {
	for _, args := range [][]string{
		{"record", "--duration", "-1s", "rtsp://127.0.0.1:1/x"},
		{"record", "--segment", "-1m", "rtsp://127.0.0.1:1/x"},
		{"probe", "--timeout", "-5s", "rtsp://127.0.0.1:1/x"},
		{"snapshot", "--timeout", "-5s", "rtsp://127.0.0.1:1/x"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errOut := run(args...)
			if code != 2 || !strings.Contains(errOut, "negative") || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("exit %d, %q: want 2 and one line", code, errOut)
			}
		})
	}
}

// TestTLSModes: probe shows an rtsps camera's fingerprint; pinning it
// connects, pinning another refuses naming both; --tls-verify refuses a
// self-signed certificate. The timeouts are long because each outcome is
// an answer of the camera: CI once saw the last probe's handshake stall
// past 10 s on a loaded machine (and the session then never ended, which
// TestSilentTLSServer in player covers).
func TestTLSModes(t *testing.T) {
	cfg, err := democam.SelfSigned("evil.example")
	if err != nil {
		t.Fatal(err)
	}
	srv := democam.StartForTest(t, &democam.Server{TLSConfig: cfg})
	fp := player.Fingerprint(cfg.Certificates[0].Certificate[0])
	other := strings.Repeat("ab", 32)

	code, out, errOut := run("probe", "--timeout", "20s", srv.URL())
	if code != 0 || !strings.Contains(out, "certificate: sha256 "+fp) {
		t.Fatalf("first use: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := run("probe", "--timeout", "20s", "--tls-fingerprint", fp, srv.URL()); code != 0 {
		t.Fatalf("pinned: exit %d, %q", code, errOut)
	}
	code, _, errOut = run("probe", "--timeout", "20s", "--tls-fingerprint", other, srv.URL())
	if code != 1 || !strings.Contains(errOut, "certificate changed") || !strings.Contains(errOut, fp) || !strings.Contains(errOut, other) {
		t.Fatalf("changed: exit %d, %q", code, errOut)
	}
	code, _, errOut = run("probe", "--timeout", "20s", "--tls-verify", srv.URL())
	if code != 1 || !strings.Contains(errOut, "TLS failure") {
		t.Fatalf("verify: exit %d, %q", code, errOut)
	}
}
