package player

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/camdeck/camdeck/assets"
	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/rtptest"
)

// TestRawRTP receives what `ffmpeg -f rtp` sends, described by the SDP
// file ffmpeg writes.
func TestRawRTP(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clip := filepath.Join(dir, "demo.mp4")
	if err := os.WriteFile(clip, assets.DemoClip, 0o600); err != nil {
		t.Fatal(err)
	}
	sdp := filepath.Join(dir, "stream.sdp")
	port := rtptest.FreePort(t)
	cmd := exec.Command("ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-re", "-stream_loop", "-1",
		"-i", clip, "-c", "copy", "-f", "rtp", "-sdp_file", sdp, fmt.Sprintf("rtp://127.0.0.1:%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(sdp); err == nil && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ffmpeg wrote no SDP file")
		}
		time.Sleep(50 * time.Millisecond)
	}
	w := watch(t, &Session{URL: sdp})
	w.waitFrames(t, 50, 10*time.Second)
	if st := w.sess.Stats(); st.Transport != "rtp" || st.Codec != "H.264" {
		t.Fatalf("stats %+v", st)
	}
}

// TestRawRTPLoss sends the demo clip as RTP and loses one packet in the
// middle of a GOP: the sink must wait for the next keyframe rather than
// get a broken picture.
func TestRawRTPLoss(t *testing.T) {
	t.Parallel()
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	cam := rtptest.Start(t, clip, true)
	bound := newEventSink(false)
	s := &Session{URL: cam.SDP}
	s.AddSink(bound, 0)
	w := watch(t, s)
	<-bound.streams // the session has bound the port

	start := time.Now()
	for i, pkts := range rtptest.Packets(t, clip, 150) { // keyframes at 0, 50, 100
		for j, p := range pkts {
			if i == 60 && j == 0 {
				continue // lost in the network
			}
			cam.Send(t, p)
		}
		time.Sleep(time.Until(start.Add(time.Duration(i+1) * 40 * time.Millisecond)))
	}
	// Frames 0-59 and 100-149: 60-99 wait for the keyframe at 100.
	w.waitFrames(t, 60+50, 30*time.Second)
	st, ds := w.sess.Stats(), w.dec.Stats()
	if st.PacketsLost != 1 {
		t.Fatalf("%d packets counted lost, want 1", st.PacketsLost)
	}
	if ds.Frames != 60+50 {
		t.Fatalf("%d frames delivered of 150 sent with a GOP skipped", ds.Frames)
	}
}
