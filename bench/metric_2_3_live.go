package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"
)

// tile is the display size of a grid tile: what the live figures decode to.
const tile = "640x360"

// gridCameras is a 2x2 grid: figure 2b runs that many cameras in one
// process, as the window does.
const gridCameras = 4

// liveRun is what one live (or record) run of either side measured.
type liveRun struct {
	cpu, rss, fps float64 // cores over the window; bytes at its end; frames decoded per second
	cs            float64 // context switches per second over the window, all threads
	also          float64 // cores the sample's other process used over the window
	cam           liveResult
	err           error
}

func failed(err error) liveRun { return liveRun{cpu: nan(), rss: nan(), also: nan(), err: err} }

// live measures figures 2 and 3 (but 3d), and 6a from the same runs: CPU
// per live 1080p30 camera shown as a tile, against ffmpeg decoding the
// same stream to the same size, one and four cameras in a process, and
// camdeck's client latency (unit received → frame in the slot) in the
// same runs, plus at full size.
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
			cam[i], four[i] = b.camLive(srv.url, 1, tile), b.camLive(srv.url, gridCameras, tile)
		}, func() { ff[i] = b.window(side{prog: "ffmpeg", args: b.ffLiveArgs(srv.url)}, b.liveSample(nil)) })
		full[i] = b.camLive(srv.url, 1, "full")
		for _, r := range []liveRun{cam[i], ff[i], full[i], four[i]} {
			if r.err != nil {
				log.Printf("  live run %d: %v", i+1, r.err)
			}
		}
		log.Printf("  live run %d: camdeck %.1f%% (p50 %.1f ms, p99 %.1f ms), 4 cameras %.1f%% (%.0f fps), ffmpeg %.1f%%; full size p50 %.1f ms",
			i+1, 100*cam[i].cpu, cam[i].cam.P50ms, cam[i].cam.P99ms, 100*four[i].cpu, four[i].fps, 100*ff[i].cpu, full[i].cam.P50ms)
	}
	camCPU, ffCPU := get(cam, func(r liveRun) float64 { return 100 * r.cpu }), get(ff, func(r liveRun) float64 { return 100 * r.cpu })
	fourCPU := get(four, func(r liveRun) float64 { return 100 * r.cpu / gridCameras })
	b.liveCPU = camCPU
	ratio, fourRatio := summarize(ratios(camCPU, ffCPU)), summarize(ratios(fourCPU, ffCPU))
	lat := func(runs []liveRun, f func(liveResult) float64) summary {
		return summarize(get(runs, func(r liveRun) float64 { return f(r.cam) }))
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
	b.liveRSS, b.live4RSS, b.ffLiveRSS = get(cam, rssOf), get(four, rssOf), get(ff, rssOf)
	b.liveMemoryRow()
	f := func(runs []liveRun, verb string, g func(r liveRun) float64) string {
		return summarize(get(runs, g)).format(verb, "")
	}
	b.note("Four cameras in one process (2b): frames decoded per second, all cameras together: %s (%d when it keeps up).",
		f(four, "%.1f", func(r liveRun) float64 { return r.fps }), 30*gridCameras)
	b.note("Live runs (2, 3): each side in its own process on the same shared feed of the demo camera (a process of its own too); "+
		"%v warm-up, then CPU time (all threads, nanosecond run times from /proc/PID/task/*/schedstat) over %v. "+
		"Frames per second decoded, 30 when a side keeps up: camdeck %s (after its first frame), ffmpeg %s (over the window, from its progress lines). "+
		"camdeck packets lost %s, units dropped by its queue %s. Context switches per second (all threads): camdeck %s, ffmpeg %s.",
		b.cfg.Warmup, b.cfg.Window, f(cam, "%.1f", func(r liveRun) float64 { return r.fps }), f(ff, "%.1f", func(r liveRun) float64 { return r.fps }),
		f(cam, "%.0f", func(r liveRun) float64 { return float64(r.cam.PacketsLost) }),
		f(cam, "%.0f", func(r liveRun) float64 { return float64(r.cam.Dropped) }),
		f(cam, "%.0f", func(r liveRun) float64 { return r.cs }), f(ff, "%.0f", func(r liveRun) float64 { return r.cs }))
	if b.cfg.Profile {
		log.Printf("  profiling the live path")
		args := []string{"live", "-url", srv.url, "-size", tile, "-threads", b.threadsArg()}
		b.profile("live path, one 1080p30 camera → 640x360 tile", "live", b.cfg.Warmup,
			side{label: "camdeck", args: args}, side{label: "ffmpeg", prog: "ffmpeg", args: b.ffLiveArgs(srv.url)},
			side{label: "camdeck, GOMAXPROCS=1", env: []string{"GOMAXPROCS=1"}, args: args})
	}
	return nil
}

// camLive runs the live helper on n cameras for one window.
func (b *bench) camLive(url string, n int, size string) liveRun {
	var res liveResult
	r := b.window(side{args: []string{"live", "-url", url, "-n", fmt.Sprint(n), "-size", size, "-threads", b.threadsArg()}}, b.liveSample(&res))
	r.cam, r.fps = res, res.FPS
	return r
}

// ffLiveArgs decode the stream to tile-sized RGBA.
func (b *bench) ffLiveArgs(url string) []string {
	return ffmpegArgs("-threads", b.threadsArg(), "-rtsp_transport", "tcp", "-i", url, "-vf", "scale=640:360,format=rgba", "-f", "null", "-")
}

// sample is how window measures a side.
type sample struct {
	warmup, hold time.Duration // from the side's start to the window (a helper is also waited for until ready); the window
	also         int           // a process whose CPU is taken over the same window (the X server, the demo camera); 0 for none
	res          any           // a helper's result is read into it
	then         func() error  // runs after the window, while the side still runs
}

// liveSample is the sample of the live and record runs: -warmup, then -window.
func (b *bench) liveSample(res any) sample {
	return sample{warmup: b.cfg.Warmup, hold: b.cfg.Window, res: res}
}

// window is the bench's one way of measuring a process: it starts a side,
// waits until the warm-up has passed since, takes its CPU time and context
// switches over the window (and also's CPU) and its RSS at the end, and
// stops it. ffmpeg's frame rate over the window comes from its statistics.
func (b *bench) window(sd side, m sample) liveRun {
	p, err := b.launch(sd, m.warmup+90*time.Second)
	if err != nil {
		return failed(err)
	}
	frames := func() int { n, _ := ffmpegFrames(p.errOutput()); return n }
	time.Sleep(time.Until(p.start.Add(m.warmup)))
	f0, cs0, a0, t0 := frames(), contextSwitches(p.pid()), schedTime(m.also), time.Now()
	cpu, err := p.cpuWindow(m.hold)
	r := liveRun{cpu: cpu, cs: float64(contextSwitches(p.pid())-cs0) / m.hold.Seconds()}
	r.fps = float64(frames()-f0) / m.hold.Seconds()
	if m.also != 0 {
		r.also = (schedTime(m.also) - a0).Seconds() / time.Since(t0).Seconds()
	}
	rss, rerr := p.rss()
	r.rss = float64(rss)
	if err = errors.Join(err, rerr); err == nil && m.then != nil {
		err = m.then()
	}
	if lines := p.stop(90 * time.Second); err == nil && m.res != nil {
		err = helperResult(lines, m.res)
	}
	if err != nil {
		return failed(err)
	}
	return r
}

// get maps runs to one figure each; failed runs give NaN.
func get(runs []liveRun, f func(liveRun) float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = nan()
		if r.err == nil {
			out[i] = f(r)
		}
	}
	return out
}

func rssOf(r liveRun) float64 { return r.rss }
