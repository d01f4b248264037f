package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"
)

// maxRemoteSegment bounds one segment fetched from a playback server.
const maxRemoteSegment = 16 << 30

// maxListBody bounds a /list answer or an error body.
const maxListBody = 64 << 20

// keyMargin is how far before the start of a range a segment is fetched
// from. MediaMTX cuts its /list to the start asked, and /get from inside
// a GOP gives the frames of that GOP before its start no duration, all at
// media time 0 (v1.15.3 internal/playback, muxerFMP4): fetched from the
// range's start itself, they would be shown as its first frame. From
// earlier, the keyframe at or before the range's start is an ordinary
// frame when the camera's GOP is shorter than the margin; when it is
// longer, it is one of those piled at 0, before the range, which the
// export's edit list hides, so that works too.
const keyMargin = 10 * time.Second

// MediaMTX is a MediaMTX playback server as a Source: the timeline comes
// from its /list, playback and export from its /get. The camera
// arguments of its methods are ignored: a MediaMTX source is one path.
type MediaMTX struct {
	// BaseURL is the playback server, e.g. http://host:9996. Required.
	BaseURL string
	// Path is the MediaMTX path name of the camera. Required.
	Path string
	// User and Pass log in, if the server asks.
	User, Pass string
	// Client makes the requests. It defaults to one with a 60 s time-out.
	Client *http.Client
	// KeyMargin is how far before a range Segments asks the list from
	// (see keyMargin); zero is keyMargin.
	KeyMargin time.Duration
}

type mtxEntry struct {
	Start    time.Time `json:"start"`
	Duration float64   `json:"duration"`
}

// do sends a request to the playback server; a 200 answer is the
// caller's to read and close.
func (m *MediaMTX) do(ctx context.Context, endpoint string, q url.Values) (*http.Response, error) {
	u := m.BaseURL + endpoint + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("library: mediamtx %s: %w", m.Path, err)
	}
	if m.User != "" {
		req.SetBasicAuth(m.User, m.Pass)
	}
	c := m.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		// Without the URL's query, which repeats the path and times.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("library: mediamtx %s: %s%s: %w", m.Path, m.BaseURL, endpoint, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNothingRecorded
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("library: mediamtx %s: %s", m.Path, resp.Status)
	}
	return nil, fmt.Errorf("library: mediamtx %s: %s %s", m.Path, resp.Status, strconv.QuoteToGraphic(string(b)))
}

func (m *MediaMTX) get(ctx context.Context, endpoint string, q url.Values) ([]byte, error) {
	resp, err := m.do(ctx, endpoint, q)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxListBody))
	if err != nil {
		return nil, fmt.Errorf("library: mediamtx %s: %w", m.Path, err)
	}
	return b, nil
}

// Segments implements Source with /list: one segment per entry (MediaMTX
// joins the files it recorded back to back into one entry). MediaMTX cuts
// the first entry to the start asked, so the list is asked from keyMargin
// earlier: an export then fetches the keyframe at or before from with
// its true timing, and not much more.
func (m *MediaMTX) Segments(ctx context.Context, _ string, from, to time.Time) ([]Segment, error) {
	q := url.Values{"path": {m.Path}, "start": {from.Add(-m.margin()).Format(time.RFC3339Nano)},
		"end": {to.Format(time.RFC3339Nano)}}
	b, err := m.get(ctx, "/list", q)
	if err == ErrNothingRecorded {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []mtxEntry
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("library: mediamtx %s: /list: %w", m.Path, err)
	}
	out := make([]Segment, 0, len(list))
	for _, e := range list {
		seg := Segment{Camera: m.Path, Path: m.Path, Start: e.Start,
			Duration: time.Duration(e.Duration * float64(time.Second))}
		if seg.End().After(from) && seg.Start.Before(to) {
			out = append(out, seg)
		}
	}
	return out, nil
}

func (m *MediaMTX) margin() time.Duration {
	if m.KeyMargin > 0 {
		return m.KeyMargin
	}
	return keyMargin
}

// Spans implements Source: the /list entries, joined where they touch.
func (m *MediaMTX) Spans(ctx context.Context, camera string, from, to time.Time) ([]Span, error) {
	segs, err := m.Segments(ctx, camera, from, to)
	if err != nil {
		return nil, err
	}
	var out []Span
	for _, s := range segs {
		st, en := maxTime(s.Start, from), minTime(s.End(), to)
		if !en.After(st) {
			continue
		}
		if n := len(out); n > 0 && !st.After(out[n-1].End.Add(spanJoin)) {
			out[n-1].End = maxTime(out[n-1].End, en)
			continue
		}
		out = append(out, Span{Start: st, End: en})
	}
	return out, nil
}

// remoteFile is a segment fetched into a temporary file, removed when
// it is closed.
type remoteFile struct {
	*os.File
	size int64
}

func (f remoteFile) Size() int64 { return f.size }

func (f remoteFile) Close() error {
	err := f.File.Close()
	os.Remove(f.Name())
	return err
}

// OpenSegment implements Source with /get, as fragmented MP4 whose media
// time 0 is seg.Start, in a temporary file removed when it is closed.
func (m *MediaMTX) OpenSegment(ctx context.Context, seg Segment) (SegmentFile, error) {
	f, err := os.CreateTemp("", "camdeck-mediamtx-*.mp4")
	if err != nil {
		return nil, fmt.Errorf("library: mediamtx %s: %w", m.Path, err)
	}
	n, err := m.Download(ctx, seg, f)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return remoteFile{File: f, size: n}, nil
}

// Download writes seg, fetched with /get as fragmented MP4 whose media
// time 0 is seg.Start, to w and returns the bytes written.
func (m *MediaMTX) Download(ctx context.Context, seg Segment, w io.Writer) (int64, error) {
	q := url.Values{"path": {m.Path}, "start": {seg.Start.Format(time.RFC3339Nano)},
		"duration": {strconv.FormatFloat(seg.Duration.Seconds(), 'f', -1, 64)}, "format": {"fmp4"}}
	resp, err := m.do(ctx, "/get", q)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, io.LimitReader(resp.Body, maxRemoteSegment))
	if err != nil {
		return n, fmt.Errorf("library: mediamtx %s: /get: %w", m.Path, err)
	}
	return n, nil
}

var _ Source = (*MediaMTX)(nil)
