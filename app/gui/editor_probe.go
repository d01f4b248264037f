package gui

import (
	"errors"
	"fmt"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// probeTimeout bounds "Test connection": connecting, and the wait for the
// first picture (a camera sends a keyframe every 1-4 s).
const probeTimeout = 10 * time.Second

// test connects once to the main URL in the background and shows the
// codec and size of the first picture, or the one-line error.
func (e *editor) test() {
	if err := e.url.Validate(); err != nil {
		e.testResult.SetText("✗ " + err.Error())
		return
	}
	p := e.orig
	p.URL = e.url.Text
	p.User, p.Password, p.Transport = e.user.Text, e.pass.Text, e.transport.Selected
	cfg := (&camera{ui: e.ui, prof: p}).streamConfig(p.URL)
	e.testBtn.Disable()
	e.testResult.SetText("Connecting to " + camdeck.DisplayURL(p.URL) + "…")
	e.ui.goBackground(func() {
		res, err := probe(cfg, probeTimeout)
		e.ui.do(func() {
			e.testBtn.Enable()
			if err != nil {
				e.testResult.SetText("✗ " + errorText(err))
			} else {
				e.testResult.SetText("✓ " + res)
			}
		})
	})
}

// probe opens a stream once, waits for its first picture and describes
// it: "H.264 1280x720, 25 fps, tcp".
func probe(cfg streamConfig, timeout time.Duration) (string, error) {
	slot := decode.NewFrameSlot()
	s := &player.Session{
		URL: cfg.URL, Name: cfg.Name, User: cfg.User, Pass: cfg.Pass, Transport: cfg.Transport,
		TLSFingerprint: cfg.TLSFingerprint, Once: true, Timeout: timeout, Logf: func(string, ...any) {},
	}
	s.AddSink(&decode.Decoder{Slot: slot, Threads: 1}, 0)
	if err := s.Start(); err != nil {
		return "", err
	}
	defer s.Close()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-slot.Ready():
		f := slot.Take()
		st := s.Stats()
		res := fmt.Sprintf("%s %dx%d", st.Codec, f.SourceWidth, f.SourceHeight)
		if st.DeclaredFPS > 0 {
			res += fmt.Sprintf(", %.3g fps", st.DeclaredFPS)
		}
		res += ", " + st.Transport
		if st.BasicInClear {
			res += ". Warning: this camera accepts only Basic authentication over plain RTSP: the password crosses the network in clear"
		}
		return res, nil
	case <-s.Done():
		if err := s.Wait(); err != nil {
			return "", err
		}
		return "", errors.New("the camera ended the stream before a picture")
	case <-timer.C:
		return "", fmt.Errorf("no picture within %s", timeout)
	}
}
