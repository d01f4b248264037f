package recorder

import (
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

// fullDisk fails writes with ENOSPC, after writing part of the buffer,
// while full is set.
type fullDisk struct {
	*os.File
	full *atomic.Bool
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if f.full.Load() {
		n, _ := f.File.Write(p[:len(p)/2])
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

// TestWriteErrorRetries: the disk fills up 3 s into a recording and is
// freed 9 s later. The first file is closed with what it held, playable,
// and reported like a finished one; new files are tried after 2 s, then
// 4 s, then 8 s (at keyframes, every 2 s in the clip), each failure
// reported once; then recording resumes in a new file and nothing
// recorded before the error is lost.
func TestWriteErrorRetries(t *testing.T) {
	var full atomic.Bool
	orig := createFile
	createFile = func(path string) (file, error) {
		f, err := orig(path)
		if err != nil {
			return nil, err
		}
		return &fullDisk{File: f.(*os.File), full: &full}, nil
	}
	t.Cleanup(func() { createFile = orig })

	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.feed(3 * 25)
	first := s.files()[0]
	before := countFrames(first)
	if before < 50 {
		t.Fatalf("%d frames on disk after 3 s", before)
	}

	full.Store(true)
	s.feed(9 * 25) // 3 s to 12 s: the part at 4 s fails; the tries at 6 s and 10 s fail
	full.Store(false)
	s.feed(11 * 25) // the try at 18 s succeeds
	rec.Close()

	errs := s.errors()
	var waits []string
	for _, err := range errs {
		msg := err.Error()
		if !strings.Contains(msg, "no space left on device") || strings.Contains(msg, "\n") {
			t.Fatalf("error %q: want one line with the cause", msg)
		}
		waits = append(waits, msg[strings.LastIndex(msg, "in ")+3:])
	}
	if got := strings.Join(waits, " "); got != "2s) 4s) 8s)" {
		t.Fatalf("%d errors, waits %q; want 3 failures retried after 2 s, 4 s, 8 s", len(errs), got)
	}

	s.mu.Lock()
	opened, done := append([]string(nil), s.opened...), append([]string(nil), s.done...)
	s.mu.Unlock()
	files := s.files()
	if len(files) != 2 || len(done) != 2 || done[0] != first || done[1] != files[1] {
		t.Fatalf("files %v, reported %v: want the partial file and the resumed one", files, done)
	}
	if len(opened) != 2 || opened[0] != first || opened[1] != files[1] {
		t.Fatalf("opened %v: want the first file and the resumed one", opened)
	}
	if n := countFrames(first); n != before {
		t.Fatalf("the partial file holds %d frames, %d were on disk before the error", n, before)
	}
	if d := fftest.Duration(t, first); d < float64(before)/25-0.05 {
		t.Fatalf("the partial file lasts %.2f s for %d frames: its durations were not written", d, before)
	}
	fftest.DecodesClean(t, first)
	if n := countFrames(files[1]); n != 5*25 {
		t.Fatalf("the resumed file holds %d frames, want the 125 from the keyframe at 18 s", n)
	}
	fftest.DecodesClean(t, files[1])
	if st := rec.Status(); !st.RetryAt.IsZero() {
		t.Fatalf("status %+v: still retrying", st)
	}
	s.mu.Lock()
	start := s.opens[1]
	s.mu.Unlock()
	if d := start.Sub(s.t0); d < 18*time.Second-time.Millisecond || d > 18*time.Second+time.Millisecond {
		t.Fatalf("the resumed file starts %v into the recording, want 18 s", d)
	}
}
