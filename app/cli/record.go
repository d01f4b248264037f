package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camdeck/camdeck/player"
	"github.com/camdeck/camdeck/player/motion"
	"github.com/camdeck/camdeck/recorder"
)

func init() {
	commands["record"] = command{
		usage: "[--out DIR] [--index PATH] [--keep-days N] [--max-gb N] [--min-free-gb N] [--transport tcp|udp|auto] [--duration D] [--segment D]\n" +
			"       [--on-motion [--pre D] [--post D] [--pre-mb N] [--sensitivity 1-10] [--mask x0,y0,x1,y1 ...]] NAME=URL|URL ...",
		help: "record cameras to MP4 (all the time, or around motion) until Ctrl-C or their duration",
		run:  runRecord,
	}
}

// progressEvery is how often record reports progress on stderr.
const progressEvery = 5 * time.Second

// camera is one camera of a record command.
type camera struct {
	name     string
	sess     *player.Session
	rec      *recorder.Recorder
	motion   player.Sink // the detector's decoder with --on-motion, or nil
	duration time.Duration
	began    atomic.Bool   // a file was opened: the recorder's limit governs
	done     chan struct{} // closed when the limit is reached or recording failed
	once     sync.Once
	err      error
}

func (c *camera) finish(err error) {
	c.once.Do(func() {
		c.err = err
		close(c.done)
	})
}

// errNothingRecorded ends a camera whose duration passed before it sent a
// frame; its line is printed where it happens.
var errNothingRecorded = errors.New("nothing recorded")

func runRecord(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "record")
	var cf connectFlags
	cf.register(fs)
	out := fs.String("out", "recordings", "recordings folder: files go to DIR/NAME/")
	duration := fs.Duration("duration", 0, "stop after this long (wallclock); 0 records until Ctrl-C.\n"+
		"--duration and --segment apply to the cameras after them, so each camera can have its own")
	segment := fs.Duration("segment", 0, "start a new file at the first keyframe after this long; 0 keeps one file")
	index := fs.String("index", "", "the recordings index to keep up to date (default $XDG_DATA_HOME/camdeck/index.db)")
	var rf retentionFlags
	rf.register(fs)
	onMotion := fs.Bool("on-motion", false, "record only around motion: from --pre before an event to --post after it;\n"+
		"prints each event as a JSON line on stdout, finished files on stderr")
	pre := fs.Duration("pre", recorder.DefaultPre, "--on-motion: video from before an event that its file begins with")
	post := fs.Duration("post", recorder.DefaultPost, "--on-motion: how long a file goes on after its motion ends")
	preMB := fs.Int("pre-mb", recorder.DefaultPreBytes>>20, "--on-motion: the memory (MB) a camera's pre-record buffer may hold")
	var mf motionFlags
	mf.register(fs)
	type camArg struct {
		arg               string
		duration, segment time.Duration
	}
	var camArgs []camArg
	for {
		if err := fs.Parse(args); err != nil {
			return flagError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		if *duration < 0 || *segment < 0 {
			return usageErrorf("--duration %v --segment %v: a duration cannot be negative", *duration, *segment)
		}
		camArgs = append(camArgs, camArg{fs.Arg(0), *duration, *segment})
		args = fs.Args()[1:]
	}
	if len(camArgs) == 0 {
		fs.Usage()
		return errUsage
	}
	if *onMotion && (*pre < 0 || *post < 0 || *preMB < 1) {
		return usageErrorf("--pre %v --post %v --pre-mb %d: durations cannot be negative, the buffer needs 1 MB or more", *pre, *post, *preMB)
	}
	if _, err := mf.detector(); *onMotion && err != nil {
		return err
	}

	var mu sync.Mutex // one line at a time, from every camera's goroutines
	printf := func(w io.Writer, format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, format, a...)
	}
	stdout, stderr := env.Stdout, env.Stderr

	// Files a crash left unfinished get their durations before new ones
	// are written next to them.
	fixed, err := recorder.Repair(*out)
	for _, f := range fixed {
		msg := fmt.Sprintf("repaired %s (unfinished, %.1f s)", f.Path, f.Duration.Seconds())
		if f.Cut > 0 {
			msg += fmt.Sprintf(", cut %d bytes of a torn part", f.Cut)
		}
		printf(stderr, "%s\n", msg)
	}
	if err != nil {
		printf(stderr, "%s\n", oneLine(err))
	}

	type namedArg struct {
		name, raw         string
		duration, segment time.Duration
	}
	named := make([]namedArg, 0, len(camArgs))
	folders := make([]string, 0, len(camArgs))
	names := map[string]bool{}
	for _, ca := range camArgs {
		arg := ca.arg
		name, raw := "", arg
		if i := strings.Index(arg, "="); i > 0 && !strings.Contains(arg[:i], "://") {
			name, raw = arg[:i], arg[i+1:]
		}
		if name == "" {
			name = cameraName(raw)
		}
		if names[name] {
			return fmt.Errorf("two cameras named %q: name them with NAME=URL", name)
		}
		names[name] = true
		named = append(named, namedArg{name, raw, ca.duration, ca.segment})
		folders = append(folders, recorder.SafeName(name))
	}
	lib := openRecordLibrary(ctx, *index, *out, rf, folders, func(format string, a ...any) { printf(stderr, format, a...) })
	defer lib.Close()

	var pending sync.WaitGroup // thumbnails and index rows of events, before the index closes
	defer pending.Wait()
	cams := make([]*camera, 0, len(named))
	for _, ca := range named {
		name, raw := ca.name, ca.raw
		sess, err := cf.session(raw, name)
		if err != nil {
			return err
		}
		c := &camera{name: name, sess: sess, duration: ca.duration, done: make(chan struct{})}
		failing := false // a write error; the next file is news
		c.rec = &recorder.Recorder{
			Dir: *out, Camera: name, Segment: ca.segment, Duration: ca.duration,
			OnSegmentOpen: func(path string, _ time.Time) {
				c.began.Store(true)
				if failing {
					failing = false
					printf(stderr, "%s: recording again in %s\n", name, path)
				}
			},
			OnSegment: func(path string, _ time.Duration) {
				if *onMotion {
					printf(stderr, "%s: finished %s\n", name, path)
				} else {
					printf(stdout, "%s\n", path)
				}
			},
			OnError: func(err error) {
				printf(stderr, "%s\n", oneLine(err))
				if c.rec.Status().Stopped {
					c.finish(err)
				} else {
					failing = true
				}
			},
			OnLimit: func() { c.finish(nil) },
		}
		lib.hooks(c.rec)
		if *onMotion {
			// A nanosecond stands for none: zero is the recorder's default.
			c.rec.OnMotion, c.rec.PreBytes = true, *preMB<<20
			c.rec.Pre, c.rec.Post = max(*pre, time.Nanosecond), max(*post, time.Nanosecond)
			c.rec.Duration = 0      // the command's timer ends the camera
			det, _ := mf.detector() // checked above
			var snap func(context.Context) (*image.RGBA, error)
			if c.motion, snap, err = newMotionSink(det); err != nil {
				return err
			}
			// Both run on the detector's goroutine: thumb needs no lock.
			var thumb chan string
			det.OnStart = func(e motion.Event) {
				c.rec.Trigger(e.Start)
				ch := make(chan string, 1)
				thumb = ch
				pending.Add(1)
				go func() {
					defer pending.Done()
					ch <- eventThumbnail(snap, filepath.Join(*out, recorder.SafeName(name)), name, e.Start,
						func(err error) { printf(stderr, "%s: thumbnail: %s\n", name, oneLine(err)) })
				}()
			}
			det.OnEnd = func(e motion.Event) {
				c.rec.Release(e.End)
				printf(stdout, "%s\n", newEventLine(name, e, c.rec.Status().Path))
				ch := thumb
				pending.Add(1)
				go func() {
					defer pending.Done()
					lib.event(filepath.Join(*out, recorder.SafeName(name)), recorder.SafeName(name), e, <-ch)
				}()
			}
			sess.AddSink(c.motion, 0)
		}
		var lastErr string
		sess.OnState = func(s player.StateChange) {
			switch {
			case s.State == player.StateFailed:
				printf(stderr, "%s\n", oneLine(s.Err))
				c.finish(s.Err)
			case s.Err != nil && s.Err.Error() != lastErr:
				lastErr = s.Err.Error()
				printf(stderr, "%s (retrying)\n", oneLine(s.Err))
			case s.State == player.StateLive:
				if lastErr != "" {
					printf(stderr, "%s: live again\n", name)
				}
				lastErr = ""
			}
		}
		sess.AddSink(c.rec, recorder.QueueSize)
		cams = append(cams, c)
	}
	for i, c := range cams {
		if err := c.sess.Start(); err != nil {
			for _, started := range cams[:i] {
				started.sess.Close()
			}
			return err
		}
		// The recorder's limit counts from the first frame; a camera that
		// sends none within its duration and the connection timeout after
		// it (connecting takes time, more on a busy machine) is given up
		// here, so that the command ends on time whatever the cameras do.
		if c.duration > 0 && c.motion != nil {
			// Around motion, --duration is the time watched: a quiet
			// camera records nothing, and that is no failure.
			t := time.AfterFunc(c.duration, func() { c.finish(nil) })
			defer t.Stop()
		} else if c.duration > 0 {
			t := time.AfterFunc(c.duration+cf.timeout, func() {
				if !c.began.Load() {
					printf(stderr, "%s: nothing recorded within --duration %v and --timeout %v\n", c.name, c.duration, cf.timeout)
					c.finish(errNothingRecorded)
				}
			})
			defer t.Stop()
		}
	}

	allDone := make(chan struct{})
	go func() {
		for _, c := range cams {
			<-c.done
		}
		close(allDone)
	}()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
wait:
	for {
		select {
		case <-ctx.Done():
			break wait
		case <-allDone:
			break wait
		case <-tick.C:
			for _, c := range cams {
				st := c.rec.Status()
				if !st.Recording {
					continue
				}
				rate := 0.0
				if s := st.Elapsed.Seconds(); s > 0 {
					rate = float64(st.Bytes) * 8 / s / 1e6
				}
				printf(stderr, "%s: %s %.1f MB %.2f Mbit/s\n", c.name, st.Elapsed.Truncate(time.Second), float64(st.Bytes)/1e6, rate)
			}
		}
	}

	// Finish every file, then hang up.
	var wg sync.WaitGroup
	for _, c := range cams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.motion != nil {
				c.sess.RemoveSink(c.motion) // an open event ends, while its file is open
			}
			c.sess.RemoveSink(c.rec)
			c.rec.Close()
			c.sess.Close()
		}()
	}
	wg.Wait()

	failed := 0
	for _, c := range cams {
		if c.err != nil {
			failed++
		}
	}
	switch {
	case failed > 0 && len(cams) == 1:
		return errReported // its line is printed
	case failed > 0:
		return fmt.Errorf("%d of %d cameras failed", failed, len(cams))
	}
	return nil
}

// cameraName names a camera after its URL's host and path, or an SDP
// file's name, without credentials (whatever they hold, / and @ too).
func cameraName(raw string) string {
	raw = player.StripUserinfo(strings.TrimSpace(raw))
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		base := raw[strings.LastIndexAny(raw, `/\`)+1:]
		return recorder.SafeName(strings.TrimSuffix(base, ".sdp"))
	}
	return recorder.SafeName(u.Hostname() + "_" + strings.Trim(u.Path, "/"))
}
