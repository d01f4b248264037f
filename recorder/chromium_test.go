package recorder

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// chromiumResult is what a <video> element of headless Chromium made of
// a file played to its end.
type chromiumResult struct {
	duration, current float64 // the element's duration and time at its end
	// peak is the largest sample magnitude (0 to 1) an AnalyserNode saw
	// in the element's sound while it played; -1 when the element was
	// played muted, without listening.
	peak float64
}

// chromiumPlay plays file in headless Chromium's <video> element until it
// ends. With listen, the element plays unmuted into a Web Audio
// AnalyserNode, which records the loudest sample: the sound Chromium
// decoded, not only that it found an audio track.
func chromiumPlay(t *testing.T, file string, listen bool) chromiumResult {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (make deps installs it): %v", err)
	}
	page := `<!doctype html><video id=v src="/rec.mp4" muted autoplay playsinline></video>
<script>
const v = document.getElementById('v');
const report = q => fetch('/done?' + q);
let peak = -1;
v.onended = () => report('duration=' + v.duration + '&current=' + v.currentTime + '&peak=' + peak);
v.onerror = () => report('error=' + (v.error ? v.error.code + ' ' + v.error.message : 'unknown'));
</script>`
	if listen {
		page = `<!doctype html><video id=v src="/rec.mp4" autoplay playsinline></video>
<script>
const v = document.getElementById('v');
const report = q => fetch('/done?' + q);
let peak = 0;
v.onplay = () => {
  const ctx = new AudioContext();
  const an = ctx.createAnalyser();
  an.fftSize = 2048;
  ctx.createMediaElementSource(v).connect(an);
  an.connect(ctx.destination);
  const buf = new Float32Array(an.fftSize);
  setInterval(() => {
    an.getFloatTimeDomainData(buf);
    for (const x of buf) peak = Math.max(peak, Math.abs(x));
  }, 20);
};
v.onended = () => report('duration=' + v.duration + '&current=' + v.currentTime + '&peak=' + peak);
v.onerror = () => report('error=' + (v.error ? v.error.code + ' ' + v.error.message : 'unknown'));
</script>`
	}
	type result struct {
		chromiumResult
		err string
	}
	results := make(chan result, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, page) })
	mux.HandleFunc("/rec.mp4", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, file) })
	mux.HandleFunc("/done", func(_ http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		num := func(k string) float64 { f, _ := strconv.ParseFloat(q.Get(k), 64); return f }
		select {
		case results <- result{chromiumResult{num("duration"), num("current"), num("peak")}, q.Get("error")}:
		default:
		}
	})
	web := httptest.NewServer(mux) // listens on 127.0.0.1
	defer web.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--autoplay-policy=no-user-gesture-required", "--user-data-dir="+t.TempDir(), web.URL)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // Chromium and its helpers
		_ = cmd.Wait()
	}()

	select {
	case r := <-results:
		if r.err != "" {
			t.Fatalf("Chromium cannot play %s: %s", file, r.err)
		}
		return r.chromiumResult
	case <-ctx.Done():
		t.Fatal("Chromium did not finish playing within a minute")
	}
	return chromiumResult{}
}
