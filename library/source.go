package library

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// Source is where recordings come from: the local folders through the
// Index, or a MediaMTX playback server. The timeline, playback and
// export use only this.
type Source interface {
	// Spans returns the recorded stretches of a camera within [from, to).
	Spans(ctx context.Context, camera string, from, to time.Time) ([]Span, error)
	// Segments lists the segments that overlap [from, to), oldest first.
	Segments(ctx context.Context, camera string, from, to time.Time) ([]Segment, error)
	// OpenSegment opens one of the segments Segments returned.
	OpenSegment(ctx context.Context, seg Segment) (SegmentFile, error)
}

// SegmentFile is an opened segment: a fragmented MP4 file.
type SegmentFile interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// localFile is a segment on disk.
type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

// OpenSegment implements Source for the local recordings.
func (ix *Index) OpenSegment(_ context.Context, seg Segment) (SegmentFile, error) {
	f, err := os.Open(seg.Path)
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("library: %w", err)
	}
	return localFile{File: f, size: st.Size()}, nil
}

var _ Source = (*Index)(nil)
