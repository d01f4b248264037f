package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/recorder"
)

func init() {
	commands["recordings"] = command{
		usage: "[--dir DIR | --playback URL --path P] [--camera NAME] [--profiles FILE] [--from TIME] [--to TIME] [--json]",
		help:  "list what was recorded: spans and gaps per camera, from the recordings index or a MediaMTX playback server",
		run:   runRecordings,
	}
}

// timeLayouts are the times commands accept, in local time unless they
// carry a zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05",
	"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"}

// parseTime reads a --from or --to value.
func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use 2006-01-02 15:04:05 or RFC 3339", s)
}

// libraryFlags are the options of the commands that read the index, or
// a MediaMTX playback server instead.
type libraryFlags struct {
	dir, index     string
	playback, path string
	profiles       string
}

// defaultDir is the recordings folder without --dir or a profile.
const defaultDir = "recordings"

func (l *libraryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.dir, "dir", "", "recordings folder (as record --out): files are DIR/NAME/*.mp4 "+
		"(default: the folder of the --camera profile, else ./"+defaultDir+")")
	fs.StringVar(&l.profiles, "profiles", "", "the camera profiles --camera looks its name up in "+
		"(default $XDG_CONFIG_HOME/camdeck/"+camdeck.FileName+")")
	fs.StringVar(&l.index, "index", "", "the index database (default $XDG_DATA_HOME/camdeck/index.db)")
	fs.StringVar(&l.playback, "playback", "", "read the recordings of a MediaMTX playback server instead, e.g. http://host:9996 "+
		"(user:password@ in it, or the password in $"+playbackPasswordEnv+")")
	fs.StringVar(&l.path, "path", "", "with --playback: the camera's MediaMTX path name")
}

// playbackPasswordEnv holds the playback server's password, so that it
// need not be on the command line.
const playbackPasswordEnv = "CAMDECK_PLAYBACK_PASSWORD"

// remote is the MediaMTX playback server --playback and --path name, or
// nil without --playback.
func (l *libraryFlags) remote() (*library.MediaMTX, error) {
	if l.playback == "" {
		if l.path != "" {
			return nil, usageErrorf("--path needs --playback")
		}
		return nil, nil
	}
	if l.path == "" {
		return nil, usageErrorf("--playback needs --path, the camera's path name on the server")
	}
	u, err := url.Parse(l.playback)
	if err != nil {
		return nil, usageErrorf("--playback is not a URL: want http://host:port")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageErrorf("--playback %s: want http://host:port", strconv.QuoteToGraphic(u.Redacted()))
	}
	m := &library.MediaMTX{Path: l.path}
	if u.User != nil {
		m.User = u.User.Username()
		m.Pass, _ = u.User.Password()
		u.User = nil
	}
	if p := os.Getenv(playbackPasswordEnv); p != "" {
		m.Pass = p
	}
	m.BaseURL = strings.TrimSuffix(u.String(), "/")
	return m, nil
}

// lookup finds the camera's profile, without --playback: its MediaMTX
// playback server, logging in with the profile's user and password (from
// the desktop's keyring when the file keeps it there, as the window
// reads it), if it names one; else its recordings folder, unless --dir
// names another. It returns the camera's name as the profile spells it.
// A camera without a profile is looked for in the index by name.
func (l *libraryFlags) lookup(env *Env, camera string) (*library.MediaMTX, string, error) {
	store := &camdeck.Store{Path: l.profiles, Keyring: &camdeck.Keyring{},
		Logf: func(f string, a ...any) { fmt.Fprintf(env.Stderr, "camdeck: "+f+"\n", a...) }}
	p, err := store.Find(camera)
	if errors.Is(err, camdeck.ErrNoProfile) {
		return nil, camera, nil
	}
	if err != nil {
		// The recordings are still in the index: a profile file that
		// cannot be read only loses the lookup.
		fmt.Fprintf(env.Stderr, "camdeck: %v; looking %s up in the index\n", err, strconv.QuoteToGraphic(camera))
		return nil, camera, nil
	}
	base, user, pass, err := p.PlaybackServer()
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", strconv.QuoteToGraphic(p.Name), err)
	}
	if base == "" {
		if l.dir == "" {
			l.dir = p.Recordings()
		}
		return nil, p.Name, nil
	}
	return &library.MediaMTX{BaseURL: base, Path: p.PlaybackPath, User: user, Pass: pass}, p.Name, nil
}

// open opens the index and brings it in step with the files.
func (l *libraryFlags) open(ctx context.Context) (*library.Index, error) {
	if l.dir == "" {
		l.dir = defaultDir
	}
	p := l.index
	if p == "" {
		var err error
		if p, err = library.DefaultPath(); err != nil {
			return nil, err
		}
	}
	root, err := filepath.Abs(l.dir) // as record names the files in the index
	if err != nil {
		return nil, fmt.Errorf("--dir %s: %w", l.dir, err)
	}
	ix, err := library.Open(ctx, p, root)
	if err != nil {
		return nil, err
	}
	if _, err := ix.Rescan(ctx); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// source is where the recordings of camera are read: the MediaMTX
// playback server of --playback or of the camera's profile (ix is then nil,
// and the camera is the server's path), or else the index, opened and
// brought in step with the files, as seen from --dir (another folder's
// camera of the same name is not this one); the caller closes ix. camera
// becomes the name as the profile spells it.
func (l *libraryFlags) source(ctx context.Context, env *Env, camera *string) (src library.Source, ix *library.Index, err error) {
	remote, err := l.remote()
	if err != nil {
		return nil, nil, err
	}
	if remote == nil && *camera != "" && l.dir == "" { // --dir names the folder: no profile's server
		if remote, *camera, err = l.lookup(env, *camera); err != nil {
			return nil, nil, err
		}
	}
	if remote != nil {
		l.path = remote.Path
		return remote, nil, nil
	}
	if ix, err = l.open(ctx); err != nil {
		return nil, nil, err
	}
	return ix.Folder(ix.Root), ix, nil
}

// timeRange reads --from and --to; an empty one is open.
func timeRange(from, to string) (time.Time, time.Time, error) {
	f, t := time.Unix(0, 0), time.Now().Add(time.Minute)
	var err error
	if from != "" {
		if f, err = parseTime(from); err != nil {
			return f, t, err
		}
	}
	if to != "" {
		if t, err = parseTime(to); err != nil {
			return f, t, err
		}
	}
	if !t.After(f) {
		return f, t, errors.New("--to must be after --from")
	}
	return f, t, nil
}

// cameraTimeline is one camera's listing, as --json prints it.
type cameraTimeline struct {
	Camera string         `json:"camera"`
	Spans  []library.Span `json:"spans"`
	Gaps   []library.Span `json:"gaps"`
}

func runRecordings(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "recordings")
	var lf libraryFlags
	lf.register(fs)
	camera := fs.String("camera", "", "only this camera: its profile's playback server or folder, else its name in the index")
	fromS := fs.String("from", "", "from this time (default: the first recording)")
	toS := fs.String("to", "", "up to this time (default: now)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	from, to, err := timeRange(*fromS, *toS)
	if err != nil {
		return err
	}
	src, ix, err := lf.source(ctx, env, camera)
	if err != nil {
		return err
	}
	var cams []string
	if ix == nil {
		// One path of the server: it is the camera.
		cams = []string{cmp.Or(*camera, lf.path)}
	} else {
		defer ix.Close()
		cams = []string{recorder.SafeName(*camera)}
		if *camera == "" {
			if cams, err = ix.Folder(ix.Root).Cameras(ctx); err != nil {
				return err
			}
		}
	}
	var out []cameraTimeline
	for _, c := range cams {
		spans, err := src.Spans(ctx, c, from, to)
		if err != nil && ix != nil {
			return fmt.Errorf("%s: %w", c, err)
		}
		if err != nil && c != lf.path {
			return fmt.Errorf("%s: %w", c, err) // a profile's name, and the library names the path
		}
		if err != nil {
			return err // it names the path
		}
		tl := cameraTimeline{Camera: c, Spans: spans}
		if len(spans) > 0 {
			// Without --from and --to, the gaps between the recordings:
			// not before the first one or after the last.
			f, t := from, minTime(to, time.Now())
			if *fromS == "" {
				f = spans[0].Start
			}
			if *toS == "" {
				t = spans[len(spans)-1].End
			}
			tl.Gaps = library.Gaps(spans, f, t)
		}
		out = append(out, tl)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	const layout = "2006-01-02 15:04:05"
	for _, tl := range out {
		if len(tl.Spans) == 0 {
			fmt.Fprintf(env.Stdout, "%s: nothing recorded\n", tl.Camera)
			continue
		}
		var total time.Duration
		for _, s := range tl.Spans {
			total += s.Duration()
		}
		fmt.Fprintf(env.Stdout, "%s: %s recorded in %d spans\n", tl.Camera, total.Round(time.Second), len(tl.Spans))
		all := append(append([]library.Span(nil), tl.Spans...), tl.Gaps...)
		sortSpans(all)
		for _, s := range all {
			kind := "recorded"
			if isGap(s, tl.Gaps) {
				kind = "gap"
			}
			fmt.Fprintf(env.Stdout, "  %s  %s  %10s  %s\n", s.Start.Local().Format(layout), s.End.Local().Format(layout),
				s.Duration().Round(time.Second), kind)
		}
	}
	return nil
}

func isGap(s library.Span, gaps []library.Span) bool {
	for _, g := range gaps {
		if g == s {
			return true
		}
	}
	return false
}

func sortSpans(s []library.Span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start.Before(s[j-1].Start); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
