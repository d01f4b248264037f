package gui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/player"
)

// playbackFields are the editor's rows of a MediaMTX playback server that
// records the camera: its URL and the camera's path name there. The URL
// is shown without a user or password the file may give it (those stay
// as they are unless the URL is changed); typed, it takes none: the
// server is logged in to as the camera is.
type playbackFields struct {
	url, path *formEntry
	orig      string // the profile's URL, user info and all
}

func (e *editor) newPlaybackFields(p camdeck.Profile) playbackFields {
	return playbackFields{
		url: e.newEntry(player.StripUserinfo(p.PlaybackURL), "optional: MediaMTX, http://host:9996",
			playbackValidator, false, false),
		path: e.newEntry(p.PlaybackPath, "the camera's path name there", nil, false, false),
		orig: p.PlaybackURL,
	}
}

func (r playbackFields) items() []*widget.FormItem {
	return []*widget.FormItem{
		withHint(widget.NewFormItem("Playback server", r.url), "Recordings are then the server's, logged in to as the camera"),
		widget.NewFormItem("Playback path", r.path),
	}
}

// read returns the playback URL and path as the profile keeps them.
func (r playbackFields) read() (string, string, error) {
	if err := r.url.Validate(); err != nil {
		return "", "", err
	}
	u := strings.TrimSpace(r.url.Text)
	if u == player.StripUserinfo(r.orig) {
		u = r.orig // unchanged: with what the file gave it
	}
	path := strings.TrimSpace(r.path.Text)
	if u != "" && path == "" {
		return "", "", errors.New("playback path: the camera's path name on the server")
	}
	return u, path, nil
}

func playbackValidator(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if player.StripUserinfo(s) != s {
		return errors.New("no user or password here: the camera's are used")
	}
	p := camdeck.Profile{PlaybackURL: s, PlaybackPath: "p"}
	if _, _, _, err := p.PlaybackServer(); err != nil {
		return errors.New("like http://host:9996")
	}
	return nil
}
