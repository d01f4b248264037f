package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/camdeck/camdeck/internal/xvfb"
)

// grabRate is how often the screen is read for the barcode: every 5 ms,
// so a frame's first appearance is known to within 5 ms (2.5 ms on
// average, which the figures keep: they are not corrected).
const grabRate = 200

// ffplay measures figure 3d: ffplay's added delay, from a frame's last
// packet arriving to the frame on the screen. The clip carries its frame
// number as a barcode; the arrivals helper records when each frame
// arrives from the shared feed (the same moment ffplay gets it, on
// loopback), and ffmpeg's x11grab reads the barcode off ffplay's window
// on Xvfb 200 times a second with wallclock timestamps.
func (b *bench) ffplay(ctx context.Context) error {
	const metric = "3d. ffplay's added delay, unit received → frame on screen (barcode method), p50 / p95 / p99"
	if b.missing(metric, "Xvfb", "ffplay") {
		return nil
	}
	srv, err := b.startServer(b.hd)
	if err != nil {
		return err
	}
	defer srv.close()
	x := &xvfb.Server{Width: clipHD.W, Height: clipHD.H}
	if err := x.Start(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer x.Close()
	dir := b.fresh("ffplay")
	n := b.cfg.Runs
	p50, p95, p99, count := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		lat, err := b.ffplayRun(x, srv, filepath.Join(dir, fmt.Sprintf("grab-%d.gray", i+1)))
		count[i], p50[i], p95[i], p99[i] = float64(len(lat)), nan(), nan(), nan()
		if err != nil || len(lat) < 10 {
			log.Printf("  ffplay run %d: %d samples, %v", i+1, len(lat), err)
			continue
		}
		sort.Float64s(lat)
		q := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		p50[i], p95[i], p99[i] = q(0.5), q(0.95), q(0.99)
		log.Printf("  ffplay run %d: %d frames, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms", i+1, len(lat), p50[i], p95[i], p99[i])
	}
	f := func(xs []float64) string { return summarize(xs).format("%.0f", "ms") }
	b.rows = append(b.rows, row{Metric: metric, Camdeck: "see 3a–3c (to the slot, not the screen)", Goal: "info",
		Reference: fmt.Sprintf("`ffplay -rtsp_transport tcp URL`: %s / %s / %s", f(p50), f(p95), f(p99))})
	b.note("ffplay's delay (3d): the clip's frame number is burnt in as a 16-cell barcode; a helper process on the same shared feed "+
		"logs when each frame's last packet arrives, and `ffmpeg -f x11grab -framerate %d` reads ffplay's window (1920x1080 on Xvfb, "+
		"no scaling) with wallclock timestamps; a frame's delay is its first grab minus its arrival. It includes ffplay's buffering, "+
		"A/V clock, and drawing through SDL and the X server, so it is a display figure: camdeck's 3a–3c stop at the frame slot, "+
		"before Fyne draws. Up to 5 ms of grab interval is included. Frames measured per run: %s; frames ffplay showed per second: %s (30 when it keeps up).",
		grabRate, summarize(count).format("%.0f", ""), summarize(scaled(count, 1/b.cfg.Window.Seconds())).format("%.1f", ""))
	return nil
}

var showinfoRE = regexp.MustCompile(`n:\s*(\d+)\s+pts:(\d+)`)

// ffplayRun plays the stream with ffplay, grabs its barcode for the
// window, and returns each frame's delay in milliseconds.
func (b *bench) ffplayRun(x *xvfb.Server, srv *server, grab string) ([]float64, error) {
	arr, err := startProc(nil, b.self, "arrivals", "-url", srv.url, "-clip", b.hd)
	if err != nil {
		return nil, err
	}
	defer arr.stop(10 * time.Second)
	ff, err := startProc([]string{x.Env()}, "ffplay", "-hide_banner", "-loglevel", "error", "-nostats", "-an", "-sn",
		"-threads", b.threadsArg(), "-rtsp_transport", "tcp", "-left", "0", "-top", "0", "-noborder", srv.url)
	if err != nil {
		return nil, err
	}
	defer ff.stop(20 * time.Second)
	time.Sleep(b.cfg.Warmup + time.Second)
	w := barcodeBits * barcodeCell
	g, _, _, err := runProc(b.cfg.Window+30*time.Second, []string{x.Env()}, "ffmpeg", "-hide_banner", "-nostdin", "-nostats",
		"-loglevel", "info", "-f", "x11grab", "-framerate", strconv.Itoa(grabRate), "-video_size", fmt.Sprintf("%dx%d", w, barcodeH),
		"-i", x.Display()+"+0,0", "-frames:v", strconv.Itoa(int(b.cfg.Window.Seconds()*grabRate)), "-copyts", "-fps_mode", "passthrough",
		"-vf", "showinfo,format=gray", "-f", "rawvideo", "-y", grab)
	if err != nil {
		return nil, err
	}
	if ff.exited() {
		return nil, fmt.Errorf("bench: ffplay ended: %s", ff.tail())
	}
	var stamps []int64 // µs, wallclock
	for _, m := range showinfoRE.FindAllStringSubmatch(g.errOutput(), -1) {
		v, _ := strconv.ParseInt(m[2], 10, 64)
		stamps = append(stamps, v)
	}
	pix, err := os.ReadFile(grab)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return barcodeDelays(pix, w, stamps, parseArrivals(arr.stop(10*time.Second))), nil
}

// parseArrivals reads the arrivals helper's lines: frame number → the
// unix ns at which it arrived, every time it did (the clip loops).
func parseArrivals(lines []string) map[int][]int64 {
	out := map[int][]int64{}
	for _, l := range lines {
		var n int
		var at int64
		if c, _ := fmt.Sscanf(l, "%d %d", &n, &at); c == 2 && len(strings.Fields(l)) == 2 {
			out[n] = append(out[n], at)
		}
	}
	return out
}

// readBarcode decodes the frame number in one grabbed gray frame (w wide),
// from the middle row of the cells.
func readBarcode(frame []byte, w int) int {
	row, n := frame[(barcodeH/2)*w:], 0
	for bit := range barcodeBits {
		if row[bit*barcodeCell+barcodeCell/2] > 128 {
			n |= 1 << bit
		}
	}
	return n
}

// barcodeDelays finds the first grab showing each new frame number and
// subtracts that frame's latest arrival before it.
func barcodeDelays(pix []byte, w int, stamps []int64, arrivals map[int][]int64) []float64 {
	size := w * barcodeH
	var delays []float64
	last := -1
	for i := range min(len(pix)/size, len(stamps)) {
		n := readBarcode(pix[i*size:(i+1)*size], w)
		if n == last {
			continue
		}
		last = n
		shown, best := stamps[i]*1000, int64(-1<<63) // ns
		for _, at := range arrivals[n] {
			if at <= shown && at > best {
				best = at
			}
		}
		if best != -1<<63 && shown-best <= int64(2*time.Second) { // else a torn grab, or no arrival seen
			delays = append(delays, float64(shown-best)/1e6)
		}
	}
	return delays
}
