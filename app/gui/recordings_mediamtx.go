package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/library"
	"github.com/camdeck/camdeck/player/decode"
)

// remotePiece is the longest piece of a MediaMTX recording fetched at
// once: a seek waits for one piece (a minute of a 4 Mbit/s camera is
// 30 MB), and the next is fetched while it plays. A variable for the
// tests, which cut seconds.
var remotePiece = time.Minute

// remoteLead is how far before its start a piece that continues a
// recording is fetched: MediaMTX's /get starts at the time asked, and a
// piece must hold the keyframe before its start to decode from. Longer
// than the GOP of any usual camera; when a GOP is longer still, MediaMTX
// gives the keyframe and the frames after it at the fetch's start, and
// playback hides them all the same, being before the piece's start.
const remoteLead = 10 * time.Second

// remoteKept is how many fetched pieces stay in the cache folder: the
// one playing, the next, and the one before for a seek back.
const remoteKept = 3

// mediamtxRecordings is a camera's recordings kept by a MediaMTX playback
// server, as the Recordings view sees them: its /list cut into pieces of
// remotePiece, each fetched with /get into a file of the user's cache
// folder when playback opens it (and the next one then too), so that the
// view plays them as it plays local files. It is safe for use from any
// goroutine; Close removes the files.
type mediamtxRecordings struct {
	src  *library.MediaMTX
	base string // the cache folder of every view's pieces
	dir  string // this view's folder in it, made at the first fetch

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool                   // Close began: no fetch starts
	pieces []decode.Segment       // the last listing
	files  map[int64]*remoteFetch // by the piece's start
	used   []int64                // the pieces fetched, least recently used first
}

// remoteFetch is one piece being fetched, or fetched.
type remoteFetch struct {
	done chan struct{}
	path string
	err  error
}

// newMediaMTXRecordings is the view's source for a camera that a MediaMTX
// server records, or an error naming what is wrong in the profile.
func newMediaMTXRecordings(p camdeck.Profile) (*mediamtxRecordings, error) {
	base, user, pass, err := p.PlaybackServer()
	if err != nil {
		return nil, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("gui: no cache folder for the recordings of the playback server: %w", err)
	}
	r := &mediamtxRecordings{
		src:   &library.MediaMTX{BaseURL: base, Path: p.PlaybackPath, User: user, Pass: pass},
		base:  filepath.Join(cache, "camdeck", "playback"),
		files: map[int64]*remoteFetch{},
	}
	sweepPieces(r.base, time.Now().Add(-remoteStale))
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

// Segments implements RecordingsSource: the server's recordings that
// overlap [from, to), in pieces. The camera is the profile's path.
func (r *mediamtxRecordings) Segments(ctx context.Context, _ string, from, to time.Time) ([]decode.Segment, error) {
	entries, err := r.src.Segments(ctx, r.src.Path, from, to)
	if err != nil {
		return nil, err
	}
	var out []decode.Segment
	for _, e := range entries {
		for at := e.Start; at.Before(e.End()); at = at.Add(remotePiece) {
			p := decode.Segment{Start: at, Duration: min(remotePiece, e.End().Sub(at)),
				Lead: min(remoteLead, at.Sub(e.Start))}
			p.Path = fmt.Sprintf("%s at %s", r.src.Path, at.Format("15:04:05.000")) // a name for messages
			out = append(out, p)
		}
	}
	r.mu.Lock()
	r.pieces = out
	r.mu.Unlock()
	return slices.Clone(out), nil
}

// Fetch is the local file of a piece (playback's Fetch): fetched now,
// or earlier as the piece after the one opened before it. It starts
// fetching the next piece.
func (r *mediamtxRecordings) Fetch(ctx context.Context, s decode.Segment) (string, error) {
	f := r.fetch(s)
	r.mu.Lock()
	i := slices.IndexFunc(r.pieces, func(p decode.Segment) bool { return p.Start.Equal(s.Start) })
	var next *decode.Segment
	if i >= 0 && i+1 < len(r.pieces) {
		next = &r.pieces[i+1]
	}
	r.mu.Unlock()
	if next != nil {
		r.fetch(*next)
	}
	select {
	case <-f.done:
		return f.path, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fetch finds piece s in the cache, or starts fetching it (again, if the
// last try failed).
func (r *mediamtxRecordings) fetch(s decode.Segment) *remoteFetch {
	key := s.Start.UnixNano()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		f := &remoteFetch{done: make(chan struct{}), err: errors.New("gui: the recordings view is closed")}
		close(f.done)
		return f
	}
	if r.dir != "" {
		// In use: another view's sweep leaves the folder alone.
		now := time.Now()
		os.Chtimes(r.dir, now, now)
	}
	r.used = slices.DeleteFunc(r.used, func(k int64) bool { return k == key })
	r.used = append(r.used, key)
	if f := r.files[key]; f != nil {
		select {
		case <-f.done:
			if _, err := os.Stat(f.path); f.err == nil && err == nil {
				return f
			}
		default:
			return f // under way
		}
	}
	f := &remoteFetch{done: make(chan struct{})}
	r.files[key] = f
	r.evict()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(f.done)
		f.path, f.err = r.download(s)
	}()
	return f
}

// evict removes the least recently used pieces beyond remoteKept that are
// fetched (playback reads an open file on, removed or not).
func (r *mediamtxRecordings) evict() {
	for i := 0; len(r.files) > remoteKept && i < len(r.used); {
		f := r.files[r.used[i]]
		select {
		case <-f.done:
			if f.path != "" {
				os.Remove(f.path)
			}
			delete(r.files, r.used[i])
			r.used = slices.Delete(r.used, i, i+1)
		default:
			i++
		}
	}
}

// download fetches a piece, from its lead-in, into a new file of the
// cache folder. The file's name holds nothing of the server's.
func (r *mediamtxRecordings) download(s decode.Segment) (string, error) {
	r.mu.Lock()
	dir, err := r.dir, error(nil)
	if dir == "" {
		if err = os.MkdirAll(r.base, 0o700); err == nil {
			dir, err = os.MkdirTemp(r.base, "view-")
			r.dir = dir
		}
	} else {
		err = os.MkdirAll(dir, 0o700) // swept while the view sat idle
	}
	r.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("gui: %w", err)
	}
	f, err := os.CreateTemp(dir, "piece-*.mp4")
	if err != nil {
		return "", fmt.Errorf("gui: %w", err)
	}
	seg := library.Segment{Start: s.Start.Add(-s.Lead), Duration: s.Duration + s.Lead}
	_, err = r.src.Download(r.ctx, seg, f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("gui: %w", cerr)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// Export implements exporter: [from, to) of the server's recordings,
// fetched with /get, into one MP4.
func (r *mediamtxRecordings) Export(ctx context.Context, _ string, from, to time.Time, out string,
	progress func(library.Progress)) (library.ExportResult, error) {
	return library.Export(ctx, r.src, r.src.Path, from, to, out, progress)
}

// Where implements keeper: the server and path, as the usage row says
// it (the base URL holds no password).
func (r *mediamtxRecordings) Where() string {
	host := r.src.BaseURL
	if _, rest, ok := strings.Cut(host, "://"); ok {
		host = rest
	}
	return fmt.Sprintf("kept by MediaMTX at %s, path %s", host, strconv.QuoteToGraphic(r.src.Path))
}

// Close stops the fetches and removes the pieces fetched.
func (r *mediamtxRecordings) Close() {
	r.mu.Lock()
	r.closed = true // before Wait: no fetch adds to the group after it
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.files {
		delete(r.files, k)
	}
	r.used = nil
	if r.dir != "" {
		os.RemoveAll(r.dir)
	}
}

// remoteStale is how long a view's folder of pieces stays untouched
// before another view removes it: left by a camdeck that was killed, as
// a view that fetches writes into its folder every minute or so. A view
// idle for longer fetches again what it needs.
const remoteStale = time.Hour

// sweepPieces removes the views' folders in base untouched since before.
func sweepPieces(base string, before time.Time) {
	ents, _ := os.ReadDir(base)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "view-") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(before) {
			os.RemoveAll(filepath.Join(base, e.Name()))
		}
	}
}

// fetcher is a source whose segments are fetched before they are played.
type fetcher interface {
	Fetch(ctx context.Context, s decode.Segment) (string, error)
}

// closeSource closes a view's source if it holds anything.
func closeSource(src RecordingsSource) {
	if c, ok := src.(interface{ Close() }); ok {
		c.Close()
	}
}
