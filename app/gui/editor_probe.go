package gui

import (
	"context"
	"fmt"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
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
	p.User, p.Password, p.Transport = e.user.Text, e.pass.Text, e.transportChoice()
	cfg := (&camera{ui: e.ui, prof: p}).streamConfig(p.URL)
	e.testBtn.Disable()
	e.testResult.SetText("Connecting to " + camdeck.DisplayURL(p.URL) + "…")
	e.ui.goBackground(func() {
		res, err := e.ui.probe(cfg, probeTimeout)
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

// probe opens a stream once through the UI's opener (tests' fakes
// included), waits for its first picture with decode.Probe and describes
// it: "H.264 1280x720, 25 fps, tcp".
func (ui *UI) probe(cfg streamConfig, timeout time.Duration) (string, error) {
	cfg.Once, cfg.Timeout = true, timeout
	s := ui.open(cfg)
	res, err := decode.Probe(context.Background(), s, timeout)
	if err != nil {
		return "", err
	}
	st := s.Stats()
	out := fmt.Sprintf("%s %dx%d", st.Codec, res.Frame.SourceWidth, res.Frame.SourceHeight)
	if st.DeclaredFPS > 0 {
		out += fmt.Sprintf(", %.3g fps", st.DeclaredFPS)
	}
	out += ", " + st.Transport
	if st.BasicInClear {
		out += ". Warning: this camera accepts only Basic authentication over plain RTSP: the password crosses the network in clear"
	}
	return out, nil
}
