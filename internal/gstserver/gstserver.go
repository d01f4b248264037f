// Package gstserver starts GStreamer's gst-rtsp-server (through python3-gi)
// as an RTSP server independent of gortsplib, for interop tests.
package gstserver

import (
	"bufio"
	"context"
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

//go:embed rtsp_server.py
var script []byte

// python is Debian's interpreter, which has the gi bindings; a python3
// earlier on PATH (pyenv, a venv) may not.
const python = "/usr/bin/python3"

// Start serves the H.264 track of an MP4 file and returns the stream's URL.
// The server stops when the test ends.
func Start(t testing.TB, mp4 string) string {
	t.Helper()
	return StartWith(t, mp4, "h264", false)
}

// StartWith serves an MP4's video track (video is h264, h265, mpeg4 or mjpeg) and,
// with aac, its AAC track too.
func StartWith(t testing.TB, mp4, video string, aac bool) string {
	t.Helper()
	audio := ""
	if aac {
		audio = "aac"
	}
	return StartAudio(t, mp4, video, audio)
}

// StartAudio serves a file's video track and its audio track as audio
// says: "" for none, "aac", or "pcma" or "pcmu" for G.711 (A-law or
// µ-law, held in a MOV file as alaw or ulaw: MP4 has no G.711).
func StartAudio(t testing.TB, mp4, video, audio string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "rtsp_server.py")
	if err := os.WriteFile(path, script, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	args := []string{path, mp4, "stream", video}
	if audio != "" {
		args = append(args, audio)
	}
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("gst-rtsp-server: %v (make deps installs python3-gi and gir1.2-gst-rtsp-server-1.0)", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- url
				return
			}
		}
		close(ready)
	}()
	select {
	case url, ok := <-ready:
		if !ok {
			t.Fatal("gst-rtsp-server exited before listening")
		}
		return url
	case <-time.After(20 * time.Second):
		t.Fatal("gst-rtsp-server did not start within 20 s")
	}
	return ""
}
