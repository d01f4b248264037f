// Package mediamtx runs a real MediaMTX server in tests: built once from
// the Go module proxy, cached, and started on 127.0.0.1 with a generated
// configuration.
package mediamtx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Version is the MediaMTX release the tests run.
const Version = "v1.15.3"

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// Binary returns the path of the MediaMTX binary, building it on first
// use: go mod download, a writable copy of the module, internal/core/VERSION
// written, the embedded hls.min.js stubbed (the HLS player is not needed),
// CGO_ENABLED=0 go build. The binary is cached under os.UserCacheDir()/camdeck
// and a file lock makes parallel test processes build it once.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() { binary, buildErr = build() })
	if buildErr != nil {
		t.Fatalf("mediamtx: %v", buildErr)
	}
	return binary
}

func build() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "camdeck")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "mediamtx-"+Version)
	lock, err := os.OpenFile(bin+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}

	out, err := exec.Command("go", "mod", "download", "-json", "github.com/bluenviron/mediamtx@"+Version).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download: %w", err)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return "", fmt.Errorf("go mod download: %v %s", err, mod.Error)
	}
	src, err := os.MkdirTemp(dir, "mediamtx-src-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(src)
	// The module cache is read-only: copy it and make the copy writable.
	if o, err := exec.Command("cp", "-r", mod.Dir+"/.", src).CombinedOutput(); err != nil {
		return "", fmt.Errorf("copying the module: %v %s", err, o)
	}
	if o, err := exec.Command("chmod", "-R", "u+w", src).CombinedOutput(); err != nil {
		return "", fmt.Errorf("chmod: %v %s", err, o)
	}
	if err := os.WriteFile(filepath.Join(src, "internal", "core", "VERSION"), []byte(Version), 0o644); err != nil {
		return "", err
	}
	// internal/servers/hls/http_server.go embeds hls.min.js, which the
	// release build downloads; an empty one is enough here.
	if err := os.WriteFile(filepath.Join(src, "internal", "servers", "hls", "hls.min.js"), nil, 0o644); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", bin+".tmp", ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off")
	if o, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, o)
	}
	return bin, os.Rename(bin+".tmp", bin)
}

// Server is a running MediaMTX.
type Server struct {
	// RTSP is the RTSP address, Playback the playback server's base URL.
	RTSP     string
	Playback string
	// RecordDir is where it records.
	RecordDir string

	cmd  *exec.Cmd
	done chan struct{}
	log  *os.File
}

// freePort returns a free TCP port on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts MediaMTX with paths, the YAML of its paths section (each
// line indented under "paths:"); %RECORD% in it stands for the record
// folder. The server is stopped, by its PID, when the test ends.
func Start(t testing.TB, paths string) *Server {
	t.Helper()
	return start(t, paths, "", "")
}

// StartAuth is Start with a playback server that answers only user with
// pass (reading and publishing stay open to anyone).
func StartAuth(t testing.TB, paths, user, pass string) *Server {
	t.Helper()
	return start(t, paths, user, pass)
}

func start(t testing.TB, paths, user, pass string) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	s := &Server{RecordDir: filepath.Join(dir, "recordings"), done: make(chan struct{})}
	rtsp, playback := freePort(t), freePort(t)
	s.RTSP = fmt.Sprintf("127.0.0.1:%d", rtsp)
	s.Playback = fmt.Sprintf("http://127.0.0.1:%d", playback)
	conf := fmt.Sprintf(`logLevel: info
rtspAddress: 127.0.0.1:%d
rtspTransports: [tcp]
rtmp: no
hls: no
webrtc: no
srt: no
api: no
metrics: no
pprof: no
playback: yes
playbackAddress: 127.0.0.1:%d
authInternalUsers:
  - user: any
    ips: []
    permissions:
      - action: publish
      - action: read
%s
paths:
%s
`, rtsp, playback, playbackUsers(user, pass), strings.ReplaceAll(paths, "%RECORD%", s.RecordDir))
	cfg := filepath.Join(dir, "mediamtx.yml")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "mediamtx.log"))
	if err != nil {
		t.Fatal(err)
	}
	s.log = log
	s.cmd = exec.Command(bin, cfg)
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(s.stop)
	if err := s.waitListening(30 * time.Second); err != nil {
		t.Fatalf("mediamtx: %v\n%s", err, s.Log())
	}
	return s
}

// playbackUsers is the authInternalUsers entry of who may use the
// playback server: anyone, or user with pass.
func playbackUsers(user, pass string) string {
	if user == "" {
		return "      - action: playback"
	}
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" } // YAML single-quoted
	return fmt.Sprintf(`  - user: %s
    pass: %s
    ips: []
    permissions:
      - action: playback`, quote(user), quote(pass))
}

func (s *Server) waitListening(within time.Duration) error {
	deadline := time.Now().Add(within)
	for _, addr := range []string{s.RTSP, strings.TrimPrefix(s.Playback, "http://")} {
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-s.done:
				return errors.New("exited at start")
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("not listening on %s within %v", addr, within)
			}
		}
	}
	return nil
}

// Log returns what MediaMTX printed so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log.Name())
	return string(b)
}

// stop ends the process it started, by PID, and waits for it.
func (s *Server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	s.log.Close()
}
