package gui

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2/theme"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/decode"
)

// update shows the camera's name, state, recording and stats. It runs on
// the UI goroutine on every change of state and once a second.
func (t *tile) update() {
	c := t.cam
	now := time.Now()
	f := c.shown()
	st := f.State()

	nameChanged := setText(&t.name.Label, c.prof.Name)
	if setText(&t.state.Label, stateText(st, now)) || nameChanged {
		t.caption.Refresh() // the name and state share the caption by their widths
	}
	t.updateSound()
	live := st.State == player.StateLive
	msg := ""
	switch {
	case !live:
		msg = stateText(st, now)
		if t.hasFrame && !t.lastShow.IsZero() {
			msg += "\nlive " + agoText(now.Sub(t.lastShow)) + " ago"
		}
	case !t.hasFrame:
		msg = "waiting for a picture…"
	}
	setVisible(t.dim, !live && t.hasFrame)
	retry := st.State == player.StateFailed || st.State == player.StateReconnecting
	if setText(&t.message.Label, msg) || retry != t.retryBtn.Visible() {
		setVisible(t.retryBtn, retry)
		t.msgBox.Refresh() // the box is as wide as its text
	}
	setVisible(t.msgBox, msg != "")

	rec := ""
	if c.rec != nil {
		rs := c.rec.sink.Status()
		el := rs.Elapsed
		if el == 0 {
			el = now.Sub(c.rec.start)
		}
		rec = clock(el) + " " + byteSize(rs.Bytes)
	}
	if t.recText.Text != rec {
		t.recText.Text = rec
		t.recText.Refresh()
		setVisible(t.recBox, c.rec != nil)
		t.caption.Refresh() // the time's width changes the name's
	}
	if on := c.rec != nil; on != t.recOn || t.recBtn.Icon == nil {
		t.recOn = on
		t.recBtn.showRecording(on, "Stop recording (R)", "Record (R)")
	}
	setVisible(t.recDot, c.rec != nil)
	t.focusBtn.tip = "Focus this camera (Enter); Escape goes back"
	if c.ui.focused == c {
		t.focusBtn.tip = "Back to the grid (Escape)"
	}

	t.syncSound()
	if c.ui.showStats {
		s := statsText(f)
		if av := t.avText(); av != "" {
			s += "\n" + av
		}
		setText(t.stats, s)
	}
	setVisible(t.statsBox, c.ui.showStats)

	sel := c.ui.selected == c && len(c.ui.cams) > 1
	want := color.Color(color.Transparent)
	if sel {
		want = theme.Color(theme.ColorNamePrimary)
	}
	if t.border.StrokeColor != want {
		t.border.StrokeColor = want
		t.border.Refresh()
	}
}

// stateText is a state in a few words, with the one-line error.
func stateText(st player.StateChange, now time.Time) string {
	switch st.State {
	case player.StateConnecting:
		return "connecting…"
	case player.StateLive:
		if st.Transport != "" {
			return "live · " + st.Transport
		}
		return "live"
	case player.StateReconnecting:
		s := "reconnecting…"
		if !st.RetryAt.IsZero() {
			s = fmt.Sprintf("reconnecting in %d s", max(0, int(math.Ceil(st.RetryAt.Sub(now).Seconds()))))
		}
		if st.Err != nil {
			s += " · " + errorText(st.Err)
		}
		return s
	case player.StateFailed:
		return "error: " + errorText(st.Err)
	}
	return "stopped"
}

// errorText is an error on one line without the camera's name, which the
// tile shows already.
func errorText(err error) string {
	if err == nil {
		return "unknown"
	}
	var pe *player.Error
	if errors.As(err, &pe) {
		s := pe.Kind.Error()
		if pe.Detail != "" {
			s += ": " + pe.Detail
		}
		return oneLine(errors.New(s))
	}
	return oneLine(err)
}

// oneLine keeps an error's text to a single line without passwords or
// control characters.
func oneLine(err error) string {
	return player.Escape(player.RedactIn(strings.Join(strings.Fields(err.Error()), " ")))
}

// statsText is the stats overlay of a feed.
func statsText(f *feed) string {
	if f.sess == nil {
		return "no stream"
	}
	s := f.sess.Stats()
	var d decode.Stats
	if f.dec != nil {
		d = f.dec.Stats()
	}
	w, h := d.Width, d.Height
	if w == 0 {
		w, h = s.Width, s.Height
	}
	lines := []string{
		fmt.Sprintf("%s %dx%d %s", s.Codec, w, h, s.Transport),
		fmt.Sprintf("%.1f fps  %s", s.MeasuredFPS, bitrate(s.Bitrate)),
		fmt.Sprintf("latency %s (p95 %s)", ms(d.LatencyP50), ms(d.LatencyP95)),
		fmt.Sprintf("lost %d  dropped %d  reconnects %d", s.PacketsLost, s.Dropped, s.Reconnects),
	}
	return strings.Join(lines, "\n")
}

func bitrate(bps float64) string {
	if bps >= 1e6 {
		return fmt.Sprintf("%.2f Mb/s", bps/1e6)
	}
	return fmt.Sprintf("%.0f kb/s", bps/1e3)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// agoText shows how long ago: 12 s, 5 min, 3 h, 2 days.
func agoText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// clock shows an elapsed time as 0:07, 12:34 or 1:02:03.
func clock(d time.Duration) string {
	s := int(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// byteSize shows a file size: 512 kB, 3.4 MB, 1.20 GB.
func byteSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%d kB", n/1000)
}
