package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// recordResult is the helper's report of a record run
// (cmd/camdeck-bench).
type recordResult struct {
	Cameras     int      `json:"cameras"`
	Units       uint64   `json:"units"`
	MinFPS      float64  `json:"min_fps"`
	Dropped     uint64   `json:"dropped"`
	PacketsLost uint64   `json:"packets_lost"`
	Failed      int      `json:"failed"`
	FirstError  string   `json:"first_error"`
	Bytes       int64    `json:"bytes"`
	Files       []string `json:"files"`
	NotStarted  int      `json:"not_started"`
	ReadyMS     float64  `json:"ready_ms"`
	Elapsed     float64  `json:"elapsed_s"`
}

// ffCopyArgs is the reference recorder: ffmpeg remuxing to fragmented MP4
// with fragments of about a second, as camdeck writes its parts.
func ffCopyArgs(url, out string) []string {
	return ffmpegArgs("-rtsp_transport", "tcp", "-i", url, "-c", "copy", "-f", "mp4",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", "-y", out)
}

// recDir is a fresh folder for one run's recordings.
func (b *bench) recDir(name string) string {
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "rec", name))
	os.RemoveAll(dir)
	_ = os.MkdirAll(dir, 0o755) // a failure shows when the recorder writes
	return dir
}

// record measures figure 5: CPU per stream-minute of recording one 1080p30
// camera against ffmpeg -c copy, and how many such cameras one process
// records at once with nothing dropped.
func (b *bench) record(ctx context.Context) error {
	srv, err := b.startServer(b.hd)
	if err != nil {
		return err
	}
	defer srv.close()
	defer os.RemoveAll(filepath.Join(b.cfg.Cache, "rec"))

	n := b.cfg.Runs
	cam, ff := make([]liveRun, n), make([]liveRun, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() { cam[i] = b.camRecord(srv.url, 1) }, func() { ff[i] = b.ffRecord(srv.url) })
		for _, r := range []liveRun{cam[i], ff[i]} {
			if r.err != nil {
				log.Printf("  record run %d: %v", i+1, r.err)
			}
		}
		log.Printf("  record run %d: camdeck %.2f%%, ffmpeg %.2f%% of a core", i+1, 100*cam[i].cpu, 100*ff[i].cpu)
	}
	// CPU seconds per minute of stream: the fraction of a core times 60.
	camS, ffS := pick(cam, func(r liveRun) float64 { return 60 * r.cpu }), pick(ff, func(r liveRun) float64 { return 60 * r.cpu })
	ratio := summarize(ratios(camS, ffS))
	b.rows = append(b.rows, row{
		Metric:    "5a. Recording 1080p30 4 Mbit/s: CPU seconds per stream-minute",
		Camdeck:   summarize(camS).format("%.2f", "s"),
		Reference: "`ffmpeg -rtsp_transport tcp -i URL -c copy` (fragmented MP4, 1 s fragments): " + summarize(ffS).format("%.2f", "s"),
		Ratio:     ratio.format("%.2f", ""),
		Goal:      goal("≤ 0.5", ratio.Med <= 0.5),
	})
	b.recRSS = pick(ff, func(r liveRun) float64 { return r.rss })
	b.scale(ctx, srv, summarize(ffS))
	if b.cfg.Profile {
		b.profileRecord(srv.url)
	}
	return nil
}

// profileRecord profiles the record path: one camera, sixteen (per
// camera), and ffmpeg -c copy on one stream.
func (b *bench) profileRecord(url string) {
	log.Printf("  profiling the record path")
	b.profileRun(profileSpec{
		title: "record path (no decoding): camdeck with 1 and 16 cameras, ffmpeg -c copy", name: "record",
		sides: []profileSide{
			{label: "camdeck, 1 camera", args: []string{"record", "-url", url, "-n", "1", "-dir", b.recDir("profile-1")}},
			{label: "camdeck, 16 cameras, per camera", args: []string{"record", "-url", url, "-n", "16", "-dir", b.recDir("profile-16")}, cameras: 16},
			{label: "ffmpeg -c copy", prog: "ffmpeg", args: ffCopyArgs(url, filepath.Join(b.recDir("profile-ffmpeg"), "ffmpeg.mp4"))},
		},
	})
}

// camRecord measures the helper recording n cameras over the window.
func (b *bench) camRecord(url string, n int) liveRun {
	dir := b.recDir("cpu")
	defer os.RemoveAll(dir)
	p, err := b.startHelper(nil, b.cfg.Warmup+30*time.Second, "record", "-url", url, "-n", strconv.Itoa(n), "-dir", dir)
	if err != nil {
		return failed(err)
	}
	r := b.measureLive(p, nil)
	if r.err != nil {
		return r
	}
	var res recordResult
	if err := helperResult(p.stop(30*time.Second), &res); err != nil {
		return failed(err)
	}
	r.frames = int(res.Units)
	return r
}

// ffRecord measures ffmpeg -c copy over the window.
func (b *bench) ffRecord(url string) liveRun {
	dir := b.recDir("ffmpeg")
	defer os.RemoveAll(dir)
	p, err := startProc(nil, "ffmpeg", ffCopyArgs(url, filepath.Join(dir, "ffmpeg.mp4"))...)
	if err != nil {
		return failed(err)
	}
	r := b.measureLive(p, nil)
	p.stop(20 * time.Second)
	return r
}

// scaleRun is one count of the recording scale test.
type scaleRun struct {
	n        int
	res      recordResult
	packets  int     // in the files, by ffprobe
	cpu      float64 // camdeck's process, cores
	server   float64 // the demo camera's process, cores
	rss      float64
	ok       bool
	why      string
	err      error
	duration time.Duration
}

// scale records more and more cameras at once and finds the most that
// record with zero dropped frames: no unit dropped by a queue, no packet
// lost, no recorder failed, every camera at 30 fps, and every unit given
// to a recorder found in its files by ffprobe.
func (b *bench) scale(ctx context.Context, srv *server, ffPerMin summary) {
	var runs []scaleRun
	best := 0
	for _, n := range b.cfg.RecordN {
		if ctx.Err() != nil {
			return
		}
		r := b.scaleRun(srv, n)
		runs = append(runs, r)
		log.Printf("  scale %d cameras: ok=%v %s (camdeck %.0f%%, server %.0f%% of a core, RSS %.0f MiB)",
			n, r.ok, r.why, 100*r.cpu, 100*r.server, r.rss/(1<<20))
		if !r.ok {
			break
		}
		best = n
	}
	var details []string
	for _, r := range runs {
		if r.err != nil {
			details = append(details, fmt.Sprintf("%d: failed (%v)", r.n, r.err))
			continue
		}
		verdict := "zero drops"
		if !r.ok {
			verdict = r.why
		}
		details = append(details, fmt.Sprintf("%d: %s, camdeck %.0f%% of a core, server %.0f%%, RSS %.0f MiB, %d units = %d packets in files, slowest camera %.2f fps",
			r.n, verdict, 100*r.cpu, 100*r.server, r.rss/(1<<20), r.res.Units, r.packets, r.res.MinFPS))
	}
	tried := make([]string, len(runs))
	var perStream, perRatio []string
	for i, r := range runs {
		tried[i] = strconv.Itoa(r.n)
		if r.err == nil {
			s := 60 * r.cpu / float64(r.n)
			perStream = append(perStream, fmt.Sprintf("%d: %.2f s", r.n, s))
			perRatio = append(perRatio, fmt.Sprintf("%d: %.2f", r.n, s/ffPerMin.Med))
		}
	}
	most := strconv.Itoa(best)
	if len(runs) == len(b.cfg.RecordN) && best == b.cfg.RecordN[len(b.cfg.RecordN)-1] {
		most = "≥ " + most + " (every count passed)"
	}
	b.rows = append(b.rows,
		row{
			Metric:    fmt.Sprintf("5b. 1080p30 4 Mbit/s cameras one process records at once, zero dropped frames (tried %s)", strings.Join(tried, ", ")),
			Camdeck:   most,
			Reference: "–",
			Goal:      "info (as many as the machine allows)",
		},
		row{
			Metric:    "5c. Recording CPU seconds per stream-minute with N cameras in one process (one run per N)",
			Camdeck:   strings.Join(perStream, "; "),
			Reference: "ffmpeg, a process per stream (5a): " + ffPerMin.format("%.2f", "s"),
			Ratio:     strings.Join(perRatio, "; "),
			Goal:      "≤ 0.5 (as 5a)",
		})
	b.note("Recording scale test (5b): one helper process records N sessions of the shared feed for %v each, the demo camera "+
		"serving all N from a process of its own on the same 2 cores. Per count: %s.", b.cfg.ScaleHold, strings.Join(details, "; "))
	b.scaleRuns = runs
}

func (b *bench) scaleRun(srv *server, n int) scaleRun {
	r := scaleRun{n: n}
	dir := b.recDir(fmt.Sprintf("scale-%d", n))
	defer os.RemoveAll(dir)
	p, err := b.startHelper(nil, 90*time.Second, "record", "-url", srv.url, "-n", strconv.Itoa(n), "-dir", dir)
	if err != nil {
		r.err = err
		return r
	}
	s0, err := schedTime(srv.p.pid())
	if err == nil {
		t0 := time.Now()
		r.cpu, err = p.cpuWindow(b.cfg.ScaleHold)
		if s1, serr := schedTime(srv.p.pid()); serr == nil {
			r.server = (s1 - s0).Seconds() / time.Since(t0).Seconds()
		}
	}
	if err != nil {
		p.stop(30 * time.Second)
		r.err = err
		return r
	}
	rss, _ := p.rss()
	r.rss = float64(rss)
	if err := helperResult(p.stop(90*time.Second), &r.res); err != nil {
		r.err = err
		return r
	}
	for _, f := range r.res.Files {
		r.packets += countPackets(f)
	}
	res := r.res
	switch {
	case res.NotStarted > 0:
		r.why = fmt.Sprintf("%d cameras never started recording", res.NotStarted)
	case res.Failed > 0:
		r.why = fmt.Sprintf("%d recorders failed: %s", res.Failed, res.FirstError)
	case res.Dropped > 0:
		r.why = fmt.Sprintf("%d units dropped by slow recorders", res.Dropped)
	case res.PacketsLost > 0:
		r.why = fmt.Sprintf("%d packets lost (the server or the network fell behind)", res.PacketsLost)
	case res.MinFPS < 29.5:
		r.why = fmt.Sprintf("the slowest camera got %.1f fps, not 30", res.MinFPS)
	case uint64(r.packets) != res.Units:
		r.why = fmt.Sprintf("%d units given to the recorders but %d packets in the files", res.Units, r.packets)
	default:
		r.ok = true
	}
	return r
}

// countPackets counts the video packets of a file with ffprobe; 0 if it
// cannot be read.
func countPackets(path string) int {
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path).Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(out)), ",")))
	return n
}
