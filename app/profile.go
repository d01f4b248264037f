// Package app holds what camdeck's front ends share: camera profiles and
// the file they are kept in. The window (app/gui) and the commands
// (app/cli) build on it.
package app

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/camdeck/camdeck/player"
)

// DemoURL is the URL of a profile that watches the built-in demo camera;
// the window serves it in-process.
const DemoURL = "demo"

// DemoLabel is how the window shows DemoURL.
const DemoLabel = "Demo camera (built-in)"

// Profile is one camera as the user set it up.
type Profile struct {
	// ID names the profile for good, whatever its name becomes: the
	// password's item in the desktop's keyring is found by it. Load and
	// Save give one (NewProfileID) to a profile without.
	ID string `json:"id,omitempty"`
	// Name is shown on the tile and names recordings and snapshots.
	Name string `json:"name"`
	// URL is the main stream: rtsp://, rtsps://, an .sdp file, or DemoURL.
	// It is used by the focused view, recordings and snapshots. It holds no
	// credentials: they are in User and Password.
	URL string `json:"url"`
	// SubURL is an optional lower-resolution stream for grid tiles.
	SubURL string `json:"sub_url,omitempty"`
	// User and Password log in to the camera.
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	// PasswordRef is, in the profile file only, where the password is
	// kept instead of Password: RefSecretService. Load reads the password
	// into Password and clears it; Save sets it.
	PasswordRef string `json:"password_ref,omitempty"`
	// TLSFingerprint is the SHA-256 fingerprint of the certificate of an
	// rtsps:// camera: empty until the first connection stores it (trust
	// on first use, as ssh does); a camera presenting another is refused
	// until the user trusts the new one.
	TLSFingerprint string `json:"tls_fingerprint,omitempty"`
	// Transport is tcp, udp, multicast or auto: the user's choice.
	// It defaults to "" (player.TransportDefault): TCP, or UDP for a
	// camera that refuses TCP.
	Transport string `json:"transport,omitempty"`
	// RecordDir is the recordings folder.
	// It defaults to DefaultRecordDir.
	RecordDir string `json:"record_dir,omitempty"`
	// Segment is the length of one recording file; zero means one file.
	Segment Duration `json:"segment,omitempty"`
	// Limit stops a recording after this long; zero means no limit.
	Limit Duration `json:"duration_limit,omitempty"`
	// AutoRecord starts recording when camdeck starts.
	AutoRecord bool `json:"auto_record,omitempty"`
	// SnapshotDir is the snapshots folder.
	// It defaults to DefaultSnapshotDir.
	SnapshotDir string `json:"snapshot_dir,omitempty"`
	// KeepDays deletes this camera's recordings older than this many
	// days; zero keeps them (the limits for all cameras still apply).
	KeepDays int `json:"keep_days,omitempty"`
	// PlaybackURL is a MediaMTX playback server that records this camera
	// (e.g. http://host:9996), PlaybackPath its path name there; it logs
	// in with User and Password. Empty: the recordings are local.
	PlaybackURL  string `json:"playback_url,omitempty"`
	PlaybackPath string `json:"playback_path,omitempty"`
	// Motion is how the window looks for motion in this camera and
	// records around it (see RecordMode).
	Motion MotionSettings `json:"motion,omitzero"`
}

// DefaultSegment is the segment length of new profiles: a quarter of an
// hour keeps files easy to copy and to seek in, and a lost file small.
const DefaultSegment = 15 * time.Minute

// DemoProfile is the profile the first run creates.
func DemoProfile() Profile {
	return Profile{
		ID:          NewProfileID(),
		Name:        "Demo camera",
		URL:         DemoURL,
		RecordDir:   DefaultRecordDir(),
		SnapshotDir: DefaultSnapshotDir(),
		Segment:     Duration(DefaultSegment),
	}
}

// DefaultRecordDir is ~/Videos/camdeck.
func DefaultRecordDir() string { return homeDir("Videos") }

// DefaultSnapshotDir is ~/Pictures/camdeck.
func DefaultSnapshotDir() string { return homeDir("Pictures") }

func homeDir(kind string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, kind, "camdeck")
}

// Recordings is the recordings folder, defaults applied.
func (p *Profile) Recordings() string {
	if p.RecordDir == "" {
		return DefaultRecordDir()
	}
	return p.RecordDir
}

// Snapshots is the snapshots folder, defaults applied.
func (p *Profile) Snapshots() string {
	if p.SnapshotDir == "" {
		return DefaultSnapshotDir()
	}
	return p.SnapshotDir
}

// TileURL is the stream grid tiles show: the sub-stream if there is one.
func (p *Profile) TileURL() string {
	if p.SubURL != "" {
		return p.SubURL
	}
	return p.URL
}

// DisplayURL is the main URL as the window shows it: never a password.
func (p *Profile) DisplayURL() string { return DisplayURL(p.URL) }

// DisplayURL shows a stream URL without its password, and DemoURL as
// DemoLabel.
func DisplayURL(u string) string {
	if u == DemoURL {
		return DemoLabel
	}
	return player.Redact(u)
}

// Validate checks a profile before it is saved; the error names the field.
func (p *Profile) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("app: name: a camera needs a name")
	}
	if err := ValidateURL(p.URL); err != nil {
		return fmt.Errorf("app: main URL: %w", err)
	}
	if p.SubURL != "" {
		if err := ValidateURL(p.SubURL); err != nil {
			return fmt.Errorf("app: sub-stream URL: %w", err)
		}
	}
	if _, err := player.ParseTransport(p.Transport); err != nil {
		return fmt.Errorf("app: transport: %w", err)
	}
	if p.Segment < 0 || p.Limit < 0 {
		return errors.New("app: durations cannot be negative")
	}
	if p.Segment != 0 && time.Duration(p.Segment) < 10*time.Second {
		return errors.New("app: segment length: at least 10s (or 0 for one file)")
	}
	if err := p.Motion.Check(); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	// The playback server is not checked here: a file that an earlier
	// camdeck accepted stays readable, and the Recordings view and the
	// commands say what is wrong with it when it is used.
	return nil
}

// ErrURL is the kind of every URL validation error.
var ErrURL = errors.New("not a camera URL")

// ValidateURL accepts rtsp:// and rtsps:// URLs with a host, paths of .sdp
// files, and DemoURL. Its errors are one line and hold no password.
func ValidateURL(raw string) error {
	if strings.TrimSpace(raw) == DemoURL {
		return nil
	}
	if _, err := player.ParseAddress(raw); err != nil {
		return fmt.Errorf("%w: %v", ErrURL, err)
	}
	return nil
}

// SplitCredentials moves user and password out of a URL, so they are
// never shown with it: it returns the URL without them, and them. A
// password may hold any character, / and @ too, typed raw or escaped.
func SplitCredentials(raw string) (clean, user, pass string) {
	addr, err := player.ParseAddress(player.StripUserinfo(raw))
	if err != nil || addr.Kind != player.AddressRTSP {
		return raw, "", ""
	}
	_, user, pass = player.SplitUserinfo(strings.TrimSpace(raw))
	return addr.URL.String(), user, pass
}

// Duration is a time.Duration written in JSON as "15m0s" ("0s" for none).
type Duration time.Duration

// MarshalText writes the duration as Go's time.Duration does.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(time.Duration(d).String()), nil
}

// UnmarshalText reads "90s", "15m", "1h30m"; a bare number is seconds.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a duration as the editor accepts it: "90s", "15m",
// "1h30m", a bare number of seconds, or empty for zero.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if v, err := time.ParseDuration(s); err == nil {
		return v, nil
	}
	if v, err := time.ParseDuration(s + "s"); err == nil {
		return v, nil
	}
	return 0, fmt.Errorf("app: %q is not a duration (like 90s, 15m, 1h30m)", s)
}

// String shows the duration compactly: "15m", "1h30m", "30s", "0".
func (d Duration) String() string {
	if d == 0 {
		return "0"
	}
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// ErrPlaybackURL is the kind of every playback server URL error.
var ErrPlaybackURL = errors.New("not a playback server URL: want http://host:port")

// PlaybackServer is the MediaMTX playback server that records this
// camera: its base URL without user or password, and the user and
// password to log in with, the URL's if it has them, else the
// profile's (as the live view logs in to the same server). An empty
// base means the recordings are local. Its errors hold no password.
func (p *Profile) PlaybackServer() (base, user, pass string, err error) {
	raw := strings.TrimSpace(p.PlaybackURL)
	if raw == "" {
		return "", "", "", nil
	}
	if strings.TrimSpace(p.PlaybackPath) == "" {
		return "", "", "", errors.New("app: playback path: a playback server needs the camera's path name on it")
	}
	rest, user, pass := player.SplitUserinfo(raw)
	u, err := url.Parse(rest)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", "", "", fmt.Errorf("app: playback URL %s: %w", strconv.QuoteToGraphic(player.Redact(raw)), ErrPlaybackURL)
	}
	if user == "" && pass == "" {
		user, pass = p.User, p.Password
	}
	return strings.TrimSuffix(u.String(), "/"), user, pass, nil
}
