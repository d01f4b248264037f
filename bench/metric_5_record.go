package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/camdeck/camdeck/internal/fftest"
)

// ffCopyArgs is the reference recorder: ffmpeg remuxing to fragmented MP4
// with fragments of about a second, as camdeck writes its parts.
func ffCopyArgs(url, out string) []string {
	return ffmpegArgs("-rtsp_transport", "tcp", "-i", url, "-c", "copy", "-f", "mp4",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "1000000", "-y", out)
}

// record measures figure 5, and 6b from the same runs: CPU per
// stream-minute of recording one 1080p30 camera against ffmpeg -c copy,
// and how many such cameras one process records at once with nothing
// dropped.
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
		trialOrder(i, func() {
			cam[i] = b.window(side{args: []string{"record", "-url", srv.url, "-dir", b.fresh("rec/cpu")}}, b.liveSample(nil))
		}, func() {
			ff[i] = b.window(side{prog: "ffmpeg", args: ffCopyArgs(srv.url, filepath.Join(b.fresh("rec/ffmpeg"), "ffmpeg.mp4"))}, b.liveSample(nil))
		})
		for _, r := range []liveRun{cam[i], ff[i]} {
			if r.err != nil {
				log.Printf("  record run %d: %v", i+1, r.err)
			}
		}
		log.Printf("  record run %d: camdeck %.2f%%, ffmpeg %.2f%% of a core", i+1, 100*cam[i].cpu, 100*ff[i].cpu)
	}
	// CPU seconds per minute of stream: the fraction of a core times 60.
	camS, ffS := get(cam, func(r liveRun) float64 { return 60 * r.cpu }), get(ff, func(r liveRun) float64 { return 60 * r.cpu })
	ratio := summarize(ratios(camS, ffS))
	b.rows = append(b.rows, row{
		Metric:    "5a. Recording 1080p30 4 Mbit/s: CPU seconds per stream-minute",
		Camdeck:   summarize(camS).format("%.2f", "s"),
		Reference: "`ffmpeg -rtsp_transport tcp -i URL -c copy` (fragmented MP4, 1 s fragments): " + summarize(ffS).format("%.2f", "s"),
		Ratio:     ratio.format("%.2f", ""),
		Goal:      goal("≤ 0.5", ratio.Med <= 0.5),
	})
	b.recRSS = get(ff, rssOf)
	b.scale(ctx, srv, summarize(ffS))
	b.recordMemoryRow()
	if b.cfg.Profile {
		log.Printf("  profiling the record path")
		b.profile("record path (no decoding): camdeck with 1 and 16 cameras, ffmpeg -c copy", "record", b.cfg.Warmup,
			side{label: "camdeck, 1 camera", args: []string{"record", "-url", srv.url, "-dir", b.fresh("rec/profile-1")}},
			side{label: "camdeck, 16 cameras, per camera", args: []string{"record", "-url", srv.url, "-n", "16", "-dir", b.fresh("rec/profile-16")}, cameras: 16},
			side{label: "ffmpeg -c copy", prog: "ffmpeg", args: ffCopyArgs(srv.url, filepath.Join(b.fresh("rec/profile-ffmpeg"), "ffmpeg.mp4"))})
	}
	return nil
}

// scaleRun is one count of the recording scale test.
type scaleRun struct {
	n           int
	res         recordResult
	packets     int     // in the files, by ffprobe
	cpu, server float64 // cores: camdeck's process, the demo camera's
	rss         float64
	why         string // why it did not pass; empty if it did
	err         error
}

// scale records more and more cameras at once and finds the most that
// record with zero dropped frames: no unit dropped by a queue, no packet
// lost, no recorder failed, every camera at 30 fps, and every unit given
// to a recorder found in its files by ffprobe.
func (b *bench) scale(ctx context.Context, srv *server, ffPerMin summary) {
	var details, tried, perStream, perRatio []string
	best := 0
	for _, n := range b.cfg.RecordN {
		if ctx.Err() != nil {
			break
		}
		r := b.scaleRun(srv, n)
		b.scaleRuns = append(b.scaleRuns, r)
		tried = append(tried, strconv.Itoa(n))
		log.Printf("  scale %d cameras: %q %v (camdeck %.0f%%, server %.0f%% of a core, RSS %.0f MiB)", n, r.why, r.err, 100*r.cpu, 100*r.server, r.rss/mib)
		if r.err != nil {
			details = append(details, fmt.Sprintf("%d: failed (%v)", n, r.err))
			break
		}
		verdict := "zero drops"
		if r.why != "" {
			verdict = r.why
		}
		details = append(details, fmt.Sprintf("%d: %s, camdeck %.0f%% of a core, server %.0f%%, RSS %.0f MiB, %d units = %d packets in files, slowest camera %.2f fps",
			n, verdict, 100*r.cpu, 100*r.server, r.rss/mib, r.res.Units, r.packets, r.res.MinFPS))
		s := 60 * r.cpu / float64(n)
		perStream, perRatio = append(perStream, fmt.Sprintf("%d: %.2f s", n, s)), append(perRatio, fmt.Sprintf("%d: %.2f", n, s/ffPerMin.Med))
		if r.why != "" {
			break
		}
		best = n
	}
	most := strconv.Itoa(best)
	if best == b.cfg.RecordN[len(b.cfg.RecordN)-1] {
		most = "≥ " + most + " (every count passed)"
	}
	b.rows = append(b.rows,
		row{Metric: fmt.Sprintf("5b. 1080p30 4 Mbit/s cameras one process records at once, zero dropped frames (tried %s)", strings.Join(tried, ", ")),
			Camdeck: most, Goal: "info (as many as the machine allows)"},
		row{Metric: "5c. Recording CPU seconds per stream-minute with N cameras in one process (one run per N)",
			Camdeck: strings.Join(perStream, "; "), Reference: "ffmpeg, a process per stream (5a): " + ffPerMin.format("%.2f", "s"),
			Ratio: strings.Join(perRatio, "; "), Goal: "≤ 0.5 (as 5a)"})
	b.note("Recording scale test (5b): one helper process records N sessions of the shared feed for %v each, the demo camera "+
		"serving all N from a process of its own on the same cores. Per count: %s.", b.cfg.ScaleHold, strings.Join(details, "; "))
}

func (b *bench) scaleRun(srv *server, n int) scaleRun {
	r := scaleRun{n: n}
	dir := b.fresh(fmt.Sprintf("rec/scale-%d", n))
	defer os.RemoveAll(dir)
	w := b.window(side{args: []string{"record", "-url", srv.url, "-n", strconv.Itoa(n), "-dir", dir}},
		sample{hold: b.cfg.ScaleHold, also: srv.p.pid(), res: &r.res})
	if r.cpu, r.server, r.rss, r.err = w.cpu, w.also, w.rss, w.err; r.err != nil {
		return r
	}
	for _, f := range r.res.Files {
		rep, _, err := fftest.ReadReport(time.Minute, "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", f)
		if err == nil && len(rep.Streams) == 1 {
			c, _ := strconv.Atoi(rep.Streams[0].NbReadPkts)
			r.packets += c
		}
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
	}
	return r
}
