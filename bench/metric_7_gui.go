package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	camdeck "github.com/camdeck/camdeck/app"
	"github.com/camdeck/camdeck/internal/xvfb"
)

// guiCameras is how many cameras the window shows in its grid.
const guiCameras = 4

// guiRun is one measured run of a window: its CPU and the X server's over
// the window, and how much of the screen moved afterwards.
type guiRun struct {
	cpu, x, moved float64
	err           error
}

// gui measures the GUI figure: CPU of camdeck's window showing four 720p25
// cameras of the demo camera in its grid, under Xvfb, against ffplay
// showing one of the same streams at a tile's size; the ratio is per
// camera. Both draw through Mesa's software OpenGL on the same X server.
func (b *bench) gui(ctx context.Context) error {
	for _, tool := range []string{"Xvfb", "ffplay", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.rows = append(b.rows, row{Metric: "7. GUI idle CPU, 4 × 720p25 in the grid", Camdeck: pending,
				Goal: pending + ": " + tool + " is not installed"})
			return nil
		}
	}
	dir, _ := filepath.Abs(filepath.Join(b.cfg.Cache, "gui"))
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	bin := b.camdeck
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
	if err := writeProfiles(dir, srv.url); err != nil {
		return err
	}

	n := b.cfg.Runs
	cam, ff := make([]guiRun, n), make([]guiRun, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		trialOrder(i, func() { cam[i] = b.camGUI(x, bin, dir, i) }, func() { ff[i] = b.ffplayGUI(x, srv.url, dir, i) })
		for _, r := range []guiRun{cam[i], ff[i]} {
			if r.err != nil {
				log.Printf("  gui run %d: %v", i+1, r.err)
			}
		}
		log.Printf("  gui run %d: camdeck %.1f%% for %d cameras (X %.1f%%, %.0f%% of the screen moved), ffplay %.1f%% (X %.1f%%, %.0f%% moved)",
			i+1, 100*cam[i].cpu, guiCameras, 100*cam[i].x, 100*cam[i].moved, 100*ff[i].cpu, 100*ff[i].x, 100*ff[i].moved)
	}
	get := func(runs []guiRun, f func(guiRun) float64) []float64 {
		out := make([]float64, len(runs))
		for i, r := range runs {
			out[i] = nan()
			if r.err == nil {
				out[i] = f(r)
			}
		}
		return out
	}
	camCPU := get(cam, func(r guiRun) float64 { return 100 * r.cpu })
	ffCPU := get(ff, func(r guiRun) float64 { return 100 * r.cpu })
	perCam := scaled(camCPU, 1.0/guiCameras)
	ratio := summarize(ratios(perCam, ffCPU))
	b.rows = append(b.rows, row{
		Metric:    "7. GUI idle CPU under Xvfb, 4 × 720p25 cameras in the grid (% of one core)",
		Camdeck:   summarize(camCPU).format("%.1f", "%") + " for 4, " + summarize(perCam).format("%.1f", "%") + " per camera",
		Reference: "`ffplay -rtsp_transport tcp -x 640 -y 360 URL`, one stream: " + summarize(ffCPU).format("%.1f", "%"),
		Ratio:     ratio.format("%.2f", "") + " per camera",
		Goal:      "info (report)",
	})
	camX, ffX := get(cam, func(r guiRun) float64 { return 100 * r.x }), get(ff, func(r guiRun) float64 { return 100 * r.x })
	camM, ffM := get(cam, func(r guiRun) float64 { return 100 * r.moved }), get(ff, func(r guiRun) float64 { return 100 * r.moved })
	b.note("GUI (7): camdeck's window (1280x760, the grid right of the camera list, tiles about 525x295) and ffplay (640x360 window) "+
		"each on the same Xvfb (1280x800), both drawing with Mesa's software OpenGL; %v warm-up, CPU over %v. "+
		"The X server's own CPU in those windows, not counted above: with camdeck %s, with ffplay %s. "+
		"Share of the screen that changed in 0.5 s after each run (video playing): camdeck %s, ffplay %s.",
		b.guiWarmup(), b.cfg.Window, summarize(camX).format("%.1f", "%"), summarize(ffX).format("%.1f", "%"),
		summarize(camM).format("%.0f", "%"), summarize(ffM).format("%.0f", "%"))
	if b.cfg.Profile {
		b.profileGUI(x, dir, srv.url)
	}
	return nil
}

// profileGUI splits the window's CPU and ffplay's by shared object with
// perf: decoding, scaling, drawing through Mesa, Fyne and the engine.
func (b *bench) profileGUI(x *xvfb.Server, dir, url string) {
	log.Printf("  profiling the window")
	b.profileRun(profileSpec{
		title: fmt.Sprintf("the window with %d × 720p25 against ffplay showing one stream", guiCameras), name: "gui",
		sides: []profileSide{
			{label: "camdeck, per camera", env: b.guiEnv(x, dir), prog: b.camdeck, cameras: guiCameras},
			{label: "ffplay", env: []string{x.Env(), "HOME=" + dir}, prog: "ffplay", args: b.ffplayArgs(url)},
		},
		warmup: b.guiWarmup(),
	})
}

// guiWarmup leaves time for the window to open, connect and reach a
// keyframe on every camera.
func (b *bench) guiWarmup() time.Duration { return max(b.cfg.Warmup, 5*time.Second) }

// writeProfiles writes the profile file of the window: four cameras on the
// demo camera's 720p25 feed, with folders inside dir.
func writeProfiles(dir, url string) error {
	ps := make([]camdeck.Profile, guiCameras)
	for i := range ps {
		p := camdeck.DemoProfile()
		p.Name = fmt.Sprintf("Camera %d", i+1)
		p.URL = url
		p.RecordDir, p.SnapshotDir = filepath.Join(dir, "rec"), filepath.Join(dir, "snap")
		ps[i] = p
	}
	store := &camdeck.Store{Path: filepath.Join(dir, "config", "camdeck", camdeck.FileName)}
	if err := store.Save(ps); err != nil {
		return fmt.Errorf("bench: profiles: %w", err)
	}
	return nil
}

// camGUI runs the window.
func (b *bench) camGUI(x *xvfb.Server, bin, dir string, i int) guiRun {
	p, err := startProc(b.guiEnv(x, dir), bin)
	if err != nil {
		return guiRun{err: err}
	}
	return b.measureGUI(x, p, dir, fmt.Sprintf("camdeck-%d", i+1))
}

// ffplayGUI runs ffplay on one of the same streams at a tile's size.
func (b *bench) ffplayGUI(x *xvfb.Server, url, dir string, i int) guiRun {
	p, err := startProc([]string{x.Env(), "HOME=" + dir}, "ffplay", b.ffplayArgs(url)...)
	if err != nil {
		return guiRun{err: err}
	}
	return b.measureGUI(x, p, dir, fmt.Sprintf("ffplay-%d", i+1))
}

// guiEnv runs the window on x with its own HOME and config folder.
func (b *bench) guiEnv(x *xvfb.Server, dir string) []string {
	return []string{x.Env(), "HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
}

// ffplayArgs shows one stream at a tile's size.
func (b *bench) ffplayArgs(url string) []string {
	return []string{"-hide_banner", "-loglevel", "error", "-nostats", "-an", "-sn",
		"-threads", b.threadsArg(), "-rtsp_transport", "tcp", "-x", "640", "-y", "360", "-left", "0", "-top", "0", url}
}

func (b *bench) measureGUI(x *xvfb.Server, p *proc, dir, name string) guiRun {
	defer p.stop(30 * time.Second)
	time.Sleep(time.Until(p.start.Add(b.guiWarmup())))
	x0, err := schedTime(x.Pid())
	if err != nil {
		return guiRun{err: err}
	}
	t0 := time.Now()
	cpu, err := p.cpuWindow(b.cfg.Window)
	if err != nil {
		return guiRun{err: err}
	}
	x1, err := schedTime(x.Pid())
	if err != nil {
		return guiRun{err: err}
	}
	moved, err := moving(x, dir, name)
	if err != nil {
		return guiRun{err: err}
	}
	return guiRun{cpu: cpu, x: (x1 - x0).Seconds() / time.Since(t0).Seconds(), moved: moved}
}

// moving takes two screenshots half a second apart and returns the
// fraction of the screen that changed: video that plays changes.
func moving(x *xvfb.Server, dir, name string) (float64, error) {
	a, err := x.Screenshot(filepath.Join(dir, name+"-1.png"))
	if err != nil {
		return 0, err
	}
	time.Sleep(500 * time.Millisecond)
	b, err := x.Screenshot(filepath.Join(dir, name+"-2.png"))
	if err != nil {
		return 0, err
	}
	return xvfb.Changed(a, b, a.Bounds()), nil
}
