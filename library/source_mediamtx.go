package library

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// maxRemoteSegment bounds one segment fetched from a playback server
// into memory.
const maxRemoteSegment = 1 << 30

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
}

type mtxEntry struct {
	Start    time.Time `json:"start"`
	Duration float64   `json:"duration"`
}

func (m *MediaMTX) get(ctx context.Context, endpoint string, q url.Values) ([]byte, error) {
	u := m.BaseURL + endpoint + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("library: mediamtx: %w", err)
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
		// The URL holds no credentials: they go in a header.
		return nil, fmt.Errorf("library: mediamtx %s: %w", m.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteSegment))
	if err != nil {
		return nil, fmt.Errorf("library: mediamtx %s: %w", m.Path, err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, ErrNothingRecorded
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("library: mediamtx %s: %s %s", m.Path, resp.Status, strconv.QuoteToGraphic(string(b[:min(len(b), 200)])))
	}
	return b, nil
}

// Segments implements Source with /list: one segment per entry.
func (m *MediaMTX) Segments(ctx context.Context, _ string, from, to time.Time) ([]Segment, error) {
	q := url.Values{"path": {m.Path}, "start": {from.Format(time.RFC3339Nano)}, "end": {to.Format(time.RFC3339Nano)}}
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
		out = append(out, Segment{Camera: m.Path, Path: m.Path, Start: e.Start,
			Duration: time.Duration(e.Duration * float64(time.Second))})
	}
	return out, nil
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

// remoteFile is a segment fetched into memory.
type remoteFile struct{ *bytes.Reader }

func (remoteFile) Close() error { return nil }

// OpenSegment implements Source with /get, as fragmented MP4.
func (m *MediaMTX) OpenSegment(ctx context.Context, seg Segment) (SegmentFile, error) {
	q := url.Values{"path": {m.Path}, "start": {seg.Start.Format(time.RFC3339Nano)},
		"duration": {strconv.FormatFloat(seg.Duration.Seconds(), 'f', -1, 64)}, "format": {"fmp4"}}
	b, err := m.get(ctx, "/get", q)
	if err != nil {
		return nil, err
	}
	return remoteFile{bytes.NewReader(b)}, nil
}

var _ Source = (*MediaMTX)(nil)
