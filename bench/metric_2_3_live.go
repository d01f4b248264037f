package main

import (
	"context"
	"fmt"
	"log"
	"time"
)

// tile is the display size of a grid tile: what the live figures decode to.
const tile = "640x360"

// gridCameras is the cameras of a 2x2 grid: the live figure per camera
// with several in one process, as the window runs them.
const gridCameras = 4

// liveResult is the helper's report of a live run (cmd/camdeck-bench).
type liveResult struct {
	Frames      uint64  `json:"frames"`
	Dropped     uint64  `json:"dropped"`
	PacketsLost uint64  `json:"packets_lost"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	FPS         float64 `json:"fps"`
}

// liveRun is what one live run of either side measured.
type liveRun struct {
	cpu    float64 // cores, over the window
	rss    float64 // bytes, at the end of the window
	frames int     // decoded over the whole run
	fps    float64 // decoded per second, measured after the first frame (ffmpeg: over the window)
	cs     float64 // context switches per second over the window, all threads
	cam    liveResult
	err    error
}

func failed(err error) liveRun { return liveRun{cpu: nan(), rss: nan(), err: err} }

// live measures figures 2 and 3 (but 3d): CPU per live 1080p30 camera
// shown as a tile, against ffmpeg decoding the same stream to the same
// size, one and four cameras in a process, and camdeck's client latency
// (unit received → frame in the slot) in the same runs, plus at full size.
func (b *bench) live(ctx context.Context) error {
	srv, err := b.startServer(b.hd)
	if err != nil {
		return err
	}
	defer srv.close()
	n := b.cfg.Runs
	cam, ff, full, four := make([]liveRun, n), make([]liveRun, n), make([]liveRun, n), make([]liveRun, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() {
			cam[i] = b.camLive(srv.url, 1, tile)
			four[i] = b.camLive(srv.url, gridCameras, tile)
		}, func() { ff[i] = b.ffLive(srv.url) })
		full[i] = b.camLive(srv.url, 1, "full")
		for _, r := range []liveRun{cam[i], ff[i], full[i], four[i]} {
			if r.err != nil {
				log.Printf("  live run %d: %v", i+1, r.err)
			}
		}
		log.Printf("  live run %d: camdeck %.1f%% (%d frames, p50 %.1f ms, p99 %.1f ms), 4 cameras %.1f%% (%.0f fps), ffmpeg %.1f%% (%d frames); full size p50 %.1f ms",
			i+1, 100*cam[i].cpu, cam[i].frames, cam[i].cam.P50ms, cam[i].cam.P99ms, 100*four[i].cpu, four[i].fps,
			100*ff[i].cpu, ff[i].frames, full[i].cam.P50ms)
	}
	camCPU, ffCPU := pick(cam, func(r liveRun) float64 { return 100 * r.cpu }), pick(ff, func(r liveRun) float64 { return 100 * r.cpu })
	fourCPU := pick(four, func(r liveRun) float64 { return 100 * r.cpu / gridCameras })
	ratio, fourRatio := summarize(ratios(camCPU, ffCPU)), summarize(ratios(fourCPU, ffCPU))
	lat := func(runs []liveRun, f func(liveResult) float64) summary {
		return summarize(pick(runs, func(r liveRun) float64 { return f(r.cam) }))
	}
	p50, p95, p99 := lat(cam, func(r liveResult) float64 { return r.P50ms }), lat(cam, func(r liveResult) float64 { return r.P95ms }),
		lat(cam, func(r liveResult) float64 { return r.P99ms })
	f50, f99 := lat(full, func(r liveResult) float64 { return r.P50ms }), lat(full, func(r liveResult) float64 { return r.P99ms })
	b.rows = append(b.rows,
		row{Metric: "2. Live CPU per 1080p30 camera → 640x360 RGBA (% of one core)", Camdeck: summarize(camCPU).format("%.1f", "%"),
			Reference: "`ffmpeg -rtsp_transport tcp -i URL -vf scale=640:360,format=rgba -f null -`: " + summarize(ffCPU).format("%.1f", "%"),
			Ratio:     ratio.format("%.2f", ""), Goal: goal("≤ 1.0", ratio.Med <= 1.0)},
		row{Metric: fmt.Sprintf("2b. Live CPU per camera with %d × 1080p30 → 640x360 in one process (%% of one core)", gridCameras),
			Camdeck: summarize(fourCPU).format("%.1f", "%"), Reference: "ffmpeg as in 2, a process per camera: " + summarize(ffCPU).format("%.1f", "%"),
			Ratio: fourRatio.format("%.2f", ""), Goal: goal("≤ 1.0", fourRatio.Med <= 1.0)},
		row{Metric: "3a. Client latency p50, unit received → 640x360 RGBA in slot", Camdeck: p50.format("%.1f", "ms"),
			Reference: "ffplay: see 3d", Goal: goal("< 15 ms", p50.Med < 15)},
		row{Metric: "3b. Client latency p95", Camdeck: p95.format("%.1f", "ms"), Goal: "info"},
		row{Metric: "3c. Client latency p99", Camdeck: p99.format("%.1f", "ms"), Goal: goal("< 40 ms", p99.Med < 40)},
		row{Metric: "3e. Client latency at full size 1920x1080, p50 / p99", Camdeck: f50.format("%.1f", "ms") + " / " + f99.format("%.1f", "ms"),
			Goal: goal("p50 < 15 ms, p99 < 40 ms", f50.Med < 15 && f99.Med < 40)},
	)
	b.liveRSS = pick(cam, func(r liveRun) float64 { return r.rss })
	b.live4RSS = pick(four, func(r liveRun) float64 { return r.rss })
	b.ffLiveRSS = pick(ff, func(r liveRun) float64 { return r.rss })
	b.note("Four cameras in one process (2b): frames decoded per second, all cameras together: %s (%d when it keeps up).",
		summarize(pick(four, func(r liveRun) float64 { return r.fps })).format("%.1f", ""), 30*gridCameras)
	f := func(runs []liveRun, verb string, g func(r liveRun) float64) string {
		return summarize(pick(runs, g)).format(verb, "")
	}
	b.note("Live runs (2, 3): each side in its own process on the same shared feed of the demo camera (a process of its own too); "+
		"%v warm-up, then CPU time (all threads, nanosecond run times from /proc/PID/task/*/schedstat) over %v. "+
		"Frames per second decoded, 30 when a side keeps up: camdeck %s (after its first frame), ffmpeg %s (over the window, from its progress lines). "+
		"camdeck packets lost %s, units dropped by its queue %s. Context switches per second (all threads): camdeck %s, ffmpeg %s.",
		b.cfg.Warmup, b.cfg.Window, f(cam, "%.1f", func(r liveRun) float64 { return r.fps }), f(ff, "%.1f", func(r liveRun) float64 { return r.fps }),
		f(cam, "%.0f", func(r liveRun) float64 { return float64(r.cam.PacketsLost) }),
		f(cam, "%.0f", func(r liveRun) float64 { return float64(r.cam.Dropped) }),
		f(cam, "%.0f", func(r liveRun) float64 { return r.cs }), f(ff, "%.0f", func(r liveRun) float64 { return r.cs }))
	if b.cfg.Profile {
		b.profileLive(srv.url)
	}
	return nil
}

// camLive runs the helper's live mode on n cameras and measures it over the
// window that follows the warm-up.
func (b *bench) camLive(url string, n int, size string) liveRun {
	p, err := b.startHelper(nil, b.cfg.Warmup+30*time.Second,
		"live", "-url", url, "-n", fmt.Sprint(n), "-size", size, "-threads", b.threadsArg())
	if err != nil {
		return failed(err)
	}
	r := b.measureLive(p, nil)
	if r.err != nil {
		return r
	}
	if err := helperResult(p.stop(20*time.Second), &r.cam); err != nil {
		return failed(err)
	}
	r.frames, r.fps = int(r.cam.Frames), r.cam.FPS
	return r
}

// ffLiveArgs decode the stream to tile-sized RGBA.
func (b *bench) ffLiveArgs(url string) []string {
	return ffmpegArgs("-threads", b.threadsArg(), "-rtsp_transport", "tcp", "-i", url,
		"-vf", "scale="+colon(tile)+",format=rgba", "-f", "null", "-")
}

// ffLive runs ffmpeg on the same stream, decoding to tile-sized RGBA.
func (b *bench) ffLive(url string) liveRun {
	p, err := startProc(nil, "ffmpeg", b.ffLiveArgs(url)...)
	if err != nil {
		return failed(err)
	}
	r := b.measureLive(p, func() int { n, _ := ffmpegFrames(p.errOutput()); return n })
	p.stop(20 * time.Second)
	if r.err == nil {
		r.frames, r.err = ffmpegFrames(p.errOutput())
	}
	return r
}

// measureLive waits until the warm-up has passed since the process
// started, then takes its CPU time over the window and its RSS. frames,
// if not nil, reads the process's frame count, for its rate over the
// window.
func (b *bench) measureLive(p *proc, frames func() int) liveRun {
	time.Sleep(time.Until(p.start.Add(b.cfg.Warmup)))
	f0 := 0
	if frames != nil {
		f0 = frames()
	}
	cs0 := contextSwitches(p.pid())
	cpu, err := p.cpuWindow(b.cfg.Window)
	cs := float64(contextSwitches(p.pid())-cs0) / b.cfg.Window.Seconds()
	var rss int64
	if err == nil {
		rss, err = p.rss()
	}
	if err != nil {
		p.stop(5 * time.Second)
		return failed(err)
	}
	fps := 0.0
	if frames != nil {
		fps = float64(frames()-f0) / b.cfg.Window.Seconds()
	}
	return liveRun{cpu: cpu, rss: float64(rss), fps: fps, cs: cs}
}

// profileLive profiles the live path: one 1080p30 camera shown as a tile,
// ffmpeg doing the same, and camdeck on one Go thread (GOMAXPROCS=1), the
// what-if that tells the Go scheduler's share.
func (b *bench) profileLive(url string) {
	log.Printf("  profiling the live path")
	cam := []string{"live", "-url", url, "-size", tile, "-threads", b.threadsArg()}
	b.profileRun(profileSpec{
		title: "live path, one 1080p30 camera → 640x360 tile", name: "live",
		sides: []profileSide{
			{label: "camdeck", args: cam, threads: true},
			{label: "ffmpeg", prog: "ffmpeg", args: b.ffLiveArgs(url)},
			{label: "camdeck, GOMAXPROCS=1", env: []string{"GOMAXPROCS=1"}, args: cam},
		},
	})
}

func colon(size string) string {
	var w, h int
	fmt.Sscanf(size, "%dx%d", &w, &h)
	return fmt.Sprintf("%d:%d", w, h)
}

// pick maps runs to one figure each; failed runs give NaN.
func pick(runs []liveRun, f func(liveRun) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = nan()
		if r.err == nil {
			out[i] = f(r)
		}
	}
	return out
}
