package gui

import (
	"fmt"
	"time"

	"github.com/camdeck/camdeck/player/speaker"
)

// avOffset is how far the sound heard now is ahead of the picture shown
// now (negative: behind), both on the sender's wallclock (RTCP sender
// reports): the audio sample at the speaker's output less the frame last
// shown. It is false where either has no wallclock.
func avOffset(audio, video time.Time) (time.Duration, bool) {
	if audio.IsZero() || video.IsZero() {
		return 0, false
	}
	return audio.Sub(video), true
}

// heard is the camera's sound playing from the feed its tile shows, or
// nil.
func (t *tile) heard() *listening {
	if l := t.cam.listening; l != nil && t.feed != nil && l.sess == t.feed.sess {
		return l
	}
	return nil
}

// avText is the stats overlay's line on the camera's sound: its offset
// to the picture ("A/V +35 ms"), or why there is none; "" while it is
// not heard.
func (t *tile) avText() string {
	l := t.heard()
	if l == nil {
		return ""
	}
	audio, playing := l.out.Playing()
	if !playing {
		return "A/V: no sound playing"
	}
	d, ok := avOffset(audio, t.shownNTP)
	if !ok {
		return "A/V: no sender reports"
	}
	return fmt.Sprintf("A/V %+d ms", d.Milliseconds())
}

// stalePicture is how long after the last frame the picture no longer
// says where the video is: a camera that stalled is not a reason to hold
// its sound back.
const stalePicture = 500 * time.Millisecond

// syncSound holds the camera's sound back by as much as it runs ahead of
// its picture, when that is more than the jitter buffer (and less than
// speaker.MaxDelay: more is a camera's clocks disagreeing, not a delay
// to follow): the picture cannot be shown sooner. The frame shown has been on screen a while
// (up to a frame's time), so the sound is ahead by that less. Sound behind
// the picture is only reported (avText): dropping it would be a gap every
// time. It holds the sound once, at its start: sender reports are not
// always right (GStreamer's RTSP server's put its tracks from -2.5 to
// +1.6 s apart while it sent them in step), and a hold on a wrong figure
// is a lasting delay.
func (t *tile) syncSound() {
	l := t.heard()
	if l == nil || l.held {
		return
	}
	audio, playing := l.out.Playing()
	d, ok := avOffset(audio, t.shownNTP)
	on := time.Since(t.lastShow)
	if ahead := d - on; playing && ok && on < stalePicture && ahead > speaker.DefaultJitter && ahead < speaker.MaxDelay {
		l.out.Delay(ahead)
		l.held = true
	}
}
