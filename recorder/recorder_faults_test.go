package recorder

import (
	"strings"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/badpath"
	"github.com/camdeck/camdeck/internal/poll"
)

// TestUncreatableNameFailsOnce: a recordings folder that is a file, or a
// camera name too long for a file name, gives one error naming the cause
// and ends the recording; feeding the recorder never blocks.
func TestUncreatableNameFailsOnce(t *testing.T) {
	for _, c := range badpath.Cases {
		t.Run(c.Name, func(t *testing.T) {
			s := newSynth(t, &Recorder{Dir: c.Dir(t), Camera: c.Camera})
			fed := make(chan struct{})
			go func() {
				defer close(fed)
				s.feed(50)
			}()
			select {
			case <-fed:
			case <-time.After(20 * time.Second):
				t.Fatal("feeding 50 frames did not return: the recorder is stuck")
			}
			errs := s.errors()
			if len(errs) != 1 {
				t.Fatalf("%d errors, want 1: %v", len(errs), errs)
			}
			msg := errs[0].Error()
			if !strings.Contains(msg, "creating ") || !strings.Contains(msg, c.Want) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line 'creating ...: %s'", msg, c.Want)
			}
			if st := s.rec.Status(); !st.Stopped || st.Recording {
				t.Fatalf("status %+v: want stopped for good", st)
			}
		})
	}
}

// TestDurationLimitOnSilentCamera: frames stop after 1 s of a 2 s limit;
// the limit still ends the recording on the wallclock, and the file holds
// what came.
func TestDurationLimitOnSilentCamera(t *testing.T) {
	s := newSynth(t, &Recorder{Duration: 2 * time.Second})
	s.t0 = time.Now()
	s.feed(25) // 1 s of frames, then nothing
	poll.Until(t, 20*time.Second, "the limit", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.limited == 1
	})
	st := s.rec.Status()
	if st.Recording || !st.Stopped || st.Segments != 1 {
		t.Fatalf("status %+v: want one finished file, stopped", st)
	}
	files := s.files()
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	_, parts := readParts(t, files[0])
	if n := len(videoSamples(parts)); n != 25 {
		t.Fatalf("%d frames in the file, 25 sent", n)
	}
}

// TestPartWrittenOnTime: after half a second of frames the camera goes
// silent; within about a part interval every frame is in the file,
// although no frame came to push the part out.
func TestPartWrittenOnTime(t *testing.T) {
	s := newSynth(t, &Recorder{})
	s.t0 = time.Now()
	s.feed(12)
	poll.Until(t, 20*time.Second, "12 frames on disk", func() bool {
		files := s.files()
		return len(files) == 1 && countFrames(files[0]) == 12
	})
}

// countFrames counts the video samples a file holds now, or -1 while it
// cannot be read whole.
func countFrames(file string) int {
	f, err := readMP4(file)
	if err != nil {
		return -1
	}
	return len(f.trackSamples(1))
}
