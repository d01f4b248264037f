package main

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/xvfb"
)

// guiCameras is how many cameras the window shows in its grid.
const guiCameras = 4

// gui measures figure 7: CPU of camdeck's window showing four 720p25
// cameras of the demo camera in its grid, under Xvfb, against ffplay
// showing one of the same streams at a tile's size; the ratio is per
// camera. Both draw through Mesa's software OpenGL on the same X server.
func (b *bench) gui(ctx context.Context) error {
	const metric = "7. GUI idle CPU under Xvfb, 4 × 720p25 cameras in the grid (% of one core)"
	if b.missing(metric, "Xvfb", "ffplay", "import") {
		return nil
	}
	dir := b.fresh("gui")
	srv, err := b.startServer(b.sd)
	if err != nil {
		return err
	}
	defer srv.close()
	x := &xvfb.Server{Width: 1280, Height: 800}
	if err := x.Start(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer x.Close()
	// The window's profile file: four cameras on the 720p25 feed.
	ps := make([]camdeck.Profile, guiCameras)
	for i := range ps {
		ps[i] = camdeck.DemoProfile()
		ps[i].Name, ps[i].URL = fmt.Sprintf("Camera %d", i+1), srv.url
		ps[i].RecordDir, ps[i].SnapshotDir = filepath.Join(dir, "rec"), filepath.Join(dir, "snap")
	}
	if err := (&camdeck.Store{Path: filepath.Join(dir, "config", "camdeck", camdeck.FileName)}).Save(ps); err != nil {
		return fmt.Errorf("bench: profiles: %w", err)
	}
	camEnv := []string{x.Env(), "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	ffArgs := []string{"-hide_banner", "-loglevel", "error", "-nostats", "-an", "-sn", "-threads", b.threadsArg(),
		"-rtsp_transport", "tcp", "-x", "640", "-y", "360", "-left", "0", "-top", "0", srv.url}
	warmup := max(b.cfg.Warmup, 5*time.Second) // for the window to open, connect and reach a keyframe on every camera

	// A run measures the side's CPU and the X server's over the window,
	// then the share of the screen that moved in 0.5 s (video that plays
	// changes).
	n := b.cfg.Runs
	cam, ff, camX, ffX, camM, ffM := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	measure := func(name string, sd side, cpu, xcpu, moved *float64) error {
		*moved = nan()
		r := b.window(sd, sample{warmup: warmup, hold: b.cfg.Window, also: x.Pid(), then: func() error {
			shot1, err := x.Screenshot(filepath.Join(dir, name+"-1.png"))
			if err != nil {
				return err
			}
			time.Sleep(500 * time.Millisecond)
			shot2, err := x.Screenshot(filepath.Join(dir, name+"-2.png"))
			if err == nil {
				*moved = xvfb.Changed(shot1, shot2, shot1.Bounds())
			}
			return err
		}})
		*cpu, *xcpu = r.cpu, r.also
		return r.err
	}
	camSide := side{label: "camdeck, per camera", env: camEnv, prog: b.camdeck, cameras: guiCameras}
	ffSide := side{label: "ffplay", env: []string{x.Env(), "HOME=" + dir}, prog: "ffplay", args: ffArgs}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() {
			if err := measure(fmt.Sprintf("camdeck-%d", i+1), camSide, &cam[i], &camX[i], &camM[i]); err != nil {
				log.Printf("  gui camdeck: %v", err)
			}
		}, func() {
			if err := measure(fmt.Sprintf("ffplay-%d", i+1), ffSide, &ff[i], &ffX[i], &ffM[i]); err != nil {
				log.Printf("  gui ffplay: %v", err)
			}
		})
		log.Printf("  gui run %d: camdeck %.1f%% for %d cameras (X %.1f%%, %.0f%% of the screen moved), ffplay %.1f%% (X %.1f%%, %.0f%% moved)",
			i+1, 100*cam[i], guiCameras, 100*camX[i], 100*camM[i], 100*ff[i], 100*ffX[i], 100*ffM[i])
	}
	pc := func(xs []float64) string { return summarize(scaled(xs, 100)).format("%.1f", "%") }
	perCam := scaled(cam, 1.0/guiCameras)
	b.rows = append(b.rows, row{Metric: metric, Camdeck: pc(cam) + " for 4, " + pc(perCam) + " per camera",
		Reference: "`ffplay -rtsp_transport tcp -x 640 -y 360 URL`, one stream: " + pc(ff),
		Ratio:     summarize(ratios(perCam, ff)).format("%.2f", "") + " per camera", Goal: "info (report)"})
	b.note("GUI (7): camdeck's window (1280x760, the grid right of the camera list, tiles about 525x295) and ffplay (640x360 window) "+
		"each on the same Xvfb (1280x800), both drawing with Mesa's software OpenGL; %v warm-up, CPU over %v. "+
		"The X server's own CPU in those windows, not counted above: with camdeck %s, with ffplay %s. "+
		"Share of the screen that changed in 0.5 s after each run (video playing): camdeck %s, ffplay %s.",
		warmup, b.cfg.Window, pc(camX), pc(ffX), pc(camM), pc(ffM))
	if b.cfg.Profile {
		log.Printf("  profiling the window")
		b.profile(fmt.Sprintf("the window with %d × 720p25 against ffplay showing one stream", guiCameras), "gui", warmup, camSide, ffSide)
	}
	return nil
}
