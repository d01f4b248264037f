package gui

import (
	"fyne.io/fyne/v2/theme"

	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/player/speaker"
)

// soundOutput is the sound device a camera's audio plays on; tests use a
// fake.
type soundOutput interface {
	Play(s *speaker.Stream)
}

// openSound opens the process's sound device.
func openSound() (soundOutput, error) {
	d, err := speaker.Open()
	if err != nil {
		return nil, err
	}
	return d, nil
}

// soundChoice is what was chosen for a camera's sound.
type soundChoice int

const (
	soundDefault soundChoice = iota // heard while focused, silent in the grid
	soundOn
	soundOff
)

// fullVolume is a camera's volume unless it is turned down, in %.
const fullVolume = 100

// volumeWidth is the width of the volume slider: about a pixel for each
// of its steps of 1 %, room enough to set it by hand.
const volumeWidth = 110

// setVolume sets the camera's volume in % (0 to 100): its slider, the
// sound playing, and the layout file that keeps it.
func (c *camera) setVolume(v int) {
	v = min(max(v, 0), fullVolume)
	if t := c.tile; t != nil && int(t.volume.Value) != v {
		t.volume.SetValue(float64(v)) // calls setVolume again, with v
		return
	}
	if v == c.volume {
		return
	}
	c.volume = v
	if l := c.listening; l != nil {
		l.out.SetVolume(float64(v) / fullVolume)
	}
	c.ui.saveLayout()
}

// listening is a camera's audio on its way to the speaker: a decoder on
// the session of the feed shown, and the speaker's stream.
type listening struct {
	sess  stream
	audio *decode.Audio
	out   *speaker.Stream
	held  bool // its start was held back for the picture (syncSound)
}

// findSound opens the sound device in the background (it may wait on a
// sound server) and then lets the cameras be heard.
func (ui *UI) findSound() {
	ui.soundWhy = "looking for a sound device…"
	open := ui.openSound
	ui.goBackground(func() {
		dev, err := open()
		ui.do(func() {
			ui.soundDev, ui.soundWhy = dev, ""
			if err != nil {
				ui.soundWhy = err.Error()
			}
			ui.updateSound()
		})
	})
}

// audible tells whether c is to be heard now.
func (ui *UI) audible(c *camera) bool {
	return c.sound == soundOn || c.sound == soundDefault && ui.focused == c
}

// toggleSound makes c heard if it is not, silent if it is (M, or the
// tile's speaker button). The choice stays with the camera, also in the
// layout file.
func (ui *UI) toggleSound(c *camera) {
	if ui.audible(c) {
		c.sound = soundOff
	} else {
		c.sound = soundOn
	}
	ui.updateSound()
	ui.saveLayout()
}

// updateSound attaches the audio decoder to the cameras to be heard and
// detaches it from the others, and shows each tile's speaker button.
func (ui *UI) updateSound() {
	for _, c := range ui.cams {
		var sess stream
		if ui.soundDev != nil && ui.audible(c) && !ui.closing {
			sess = c.shown().sess
		}
		if l := c.listening; l != nil && l.sess != sess {
			c.stopSound()
		}
		if sess != nil && c.listening == nil {
			out := &speaker.Stream{}
			out.SetVolume(float64(c.volume) / fullVolume)
			ui.soundDev.Play(out)
			l := &listening{sess: sess, out: out, audio: &decode.Audio{Out: func(ch decode.AudioChunk) { out.WriteNTP(ch.PCM, ch.NTP) }}}
			if err := sess.AddSink(l.audio, 0); err != nil {
				out.Close()
			} else {
				c.listening = l
			}
		}
		c.tile.updateSound()
	}
}

// updateSound shows whether the camera is heard, or why it cannot be.
func (t *tile) updateSound() {
	ui := t.cam.ui
	b := t.soundBtn
	on := ui.audible(t.cam)
	switch {
	case ui.soundDev == nil:
		b.tip = "No sound: " + ui.soundWhy
		b.Disable()
	case on:
		b.tip = "Silence this camera (M)"
		b.Enable()
	default:
		b.tip = "Listen to this camera (M)"
		b.Enable()
	}
	icon := theme.VolumeMuteIcon()
	if on && ui.soundDev != nil {
		icon = theme.VolumeUpIcon()
	}
	if b.Icon != icon {
		b.SetIcon(icon)
	}
	// The slider where there is room for it: the focused view.
	if show := on && ui.soundDev != nil && ui.focused == t.cam; show != t.volBox.Visible() {
		setVisible(t.volBox, show)
		t.caption.Refresh()
	}
}

// stopSound silences the camera before its feeds go.
func (c *camera) stopSound() {
	if l := c.listening; l != nil {
		c.listening = nil
		c.ui.goBackground(func() {
			l.sess.RemoveSink(l.audio)
			l.out.Close()
		})
	}
}
