package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
	"github.com/camdeck/camdeck/internal/reexec"
)

// TestMain runs camdeck's commands instead of the tests when a test
// started this binary as camdeck (reexec.Command): the tests that need a
// process of their own (signals, kill -9) need no build of the program.
func TestMain(m *testing.M) {
	reexec.Main(func(args []string) int {
		return Main(args, &Env{Stdout: os.Stdout, Stderr: os.Stderr})
	})
	// record keeps the default index up to date: the tests', not the
	// user's (the processes they start inherit it).
	data, err := os.MkdirTemp("", "camdeck-data-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_DATA_HOME", data)
	// --camera looks names up in the profile file: the tests', not the
	// user's.
	config, err := os.MkdirTemp("", "camdeck-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", config)
	code := m.Run()
	os.RemoveAll(data)
	os.RemoveAll(config)
	os.Exit(code)
}

// run runs a command in-process and returns its exit code and output.
func run(args ...string) (int, string, string) {
	var o, e bytes.Buffer
	code := Main(args, &Env{Stdout: &o, Stderr: &e})
	return code, o.String(), e.String()
}

// runOK is run for a command that must succeed: it fails the test,
// naming the command and showing its stderr, on any other exit, and
// returns the command's stdout and stderr.
func runOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := run(args...)
	if code != 0 {
		t.Fatalf("camdeck %s: exit %d: %s", args[0], code, stderr)
	}
	return stdout, stderr
}

// runWithin is run, failing the test if the command has not ended within
// the bound.
func runWithin(t *testing.T, within time.Duration, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, o, e := run(args...)
		done <- result{code, o, e}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(within):
		t.Fatalf("%s still running after %v", strings.Join(args, " "), within)
		return 0, "", ""
	}
}

func TestProbe(t *testing.T) {
	srv := democam.StartForTest(t, &democam.Server{})
	for _, tr := range []string{"tcp", "udp"} {
		t.Run(tr, func(t *testing.T) {
			out, _ := runOK(t, "probe", "--transport", tr, srv.URL())
			for _, want := range []string{"H.264 (High", "1280x720", "25 fps", "transport:   " + tr, "first frame:"} {
				if !strings.Contains(out, want) {
					t.Fatalf("output lacks %q:\n%s", want, out)
				}
			}

			rep := probeJSON(t, "--transport", tr, srv.URL())
			if rep.Transport != tr || len(rep.Tracks) != 1 || rep.Tracks[0].Width != 1280 || rep.FirstFrameMS <= 0 {
				t.Fatalf("report %+v", rep)
			}
		})
	}
}

// probeJSON runs `probe --json` with args and reads its report; the
// command must succeed.
func probeJSON(t *testing.T, args ...string) probeReport {
	t.Helper()
	out, _ := runOK(t, append([]string{"probe", "--json"}, args...)...)
	var rep probeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	return rep
}

// TestProbeInterop reads GStreamer's RTSP server, which sends SPS/PPS only
// in the SDP: probe must still find the size and decode from the first
// keyframe.
func TestProbeInterop(t *testing.T) {
	t.Parallel() // waits on real time; tests that set the environment run first
	clip := fftest.Make(t, filepath.Join(t.TempDir(), "clip.mp4"), "-f", "lavfi",
		"-i", "testsrc2=size=800x448:rate=30:duration=20", "-c:v", "libx264", "-preset", "veryfast",
		"-bf", "2", "-g", "60", "-pix_fmt", "yuv420p")
	url := gstserver.Start(t, clip)
	rep := probeJSON(t, url)
	if len(rep.Tracks) == 0 || rep.Tracks[0].Width != 800 || rep.Tracks[0].Height != 448 {
		t.Fatalf("report %+v, want 800x448", rep)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestProbeErrors(t *testing.T) {
	locked := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "right-one"})
	open := democam.StartForTest(t, &democam.Server{})
	mpeg4 := fftest.Make(t, filepath.Join(t.TempDir(), "mpeg4.mp4"), "-f", "lavfi",
		"-i", "testsrc2=size=320x240:rate=25:duration=10", "-c:v", "mpeg4")
	mpeg4URL := gstserver.StartWith(t, mpeg4, "mpeg4", false)

	cases := []struct {
		name, url, want string
		within          time.Duration
	}{
		{"wrong password", strings.Replace(locked.URL(), "rtsp://", "rtsp://admin:Wr0ngPassw0rd@", 1),
			"authentication failed", 10 * time.Second},
		{"nothing listening", "rtsp://" + closedPort(t) + "/x", "unreachable", 5 * time.Second},
		{"no such path", strings.TrimSuffix(open.URL(), "demo") + "nothere", "stream not found", 10 * time.Second},
		{"unsupported codec", mpeg4URL, "unsupported codec: MPEG-4 Part 2", 10 * time.Second},
		{"bad URL", "http://example.invalid/x", "bad URL", time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			code, out, errOut := run("probe", "--timeout", "3s", c.url)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
			}
			if el := time.Since(start); el > c.within {
				t.Fatalf("took %v, want the error within %v", el, c.within)
			}
			line := strings.TrimSuffix(errOut, "\n")
			if strings.Contains(line, "\n") || !strings.Contains(line, c.want) {
				t.Fatalf("stderr %q: want one line with %q", errOut, c.want)
			}
			if strings.Contains(out+errOut, "Wr0ngPassw0rd") {
				t.Fatalf("the password leaked: %s%s", out, errOut)
			}
		})
	}
}

func TestHostilePasswordNeverPrinted(t *testing.T) {
	for _, pass := range []string{"Top/Secret9", "p@ss@word", "100%sure", "пароль"} {
		raw := "rtsp://admin:" + pass + "@127.0.0.1:1/demo"
		if name := cameraName(raw); strings.Contains(name, pass) || strings.Contains(name, "admin") {
			t.Errorf("cameraName(%q) = %q", raw, name)
		}
		if pass == "Top/Secret9" {
			code, out, errOut := run("probe", "--timeout", "2s", raw)
			if code != 1 || strings.Contains(out+errOut, "Secret9") {
				t.Errorf("probe: exit %d, %q %q", code, out, errOut)
			}
		}
	}
}
