package decode

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/player"
)

// TestLuma: beside the tile, the decoder gives a 160x90 grey picture
// every 200 ms of stream time (every fifth frame at 25 fps), and each is
// the luma of its frame as ffmpeg itself scales it.
func TestLuma(t *testing.T) {
	scene := fftest.Scenes[1] // an object crossing: the frames differ
	file := scene.Make(t, t.TempDir())
	const w, h = 160, 90
	ref, stderr, err := fftest.Run(t, 2*time.Minute, "ffmpeg", "-v", "error", "-i", file,
		"-vf", "scale=160:90:flags=area,format=gray", "-f", "rawvideo", "-")
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, stderr)
	}
	clip, err := democam.LoadClip(file)
	if err != nil {
		t.Fatal(err)
	}
	srv := democam.StartForTest(t, &democam.Server{Clip: clip})

	type pic struct {
		pix  []byte
		pts  time.Duration
		wall time.Time
	}
	var mu sync.Mutex
	var pics []pic
	enough := make(chan struct{})
	const want = 40 // 8 s of stream
	dec := &Decoder{Slot: NewFrameSlot(), Luma: func(l Luma) {
		mu.Lock()
		defer mu.Unlock()
		if b := l.Image.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("luma %v, want %dx%d", b, w, h)
		}
		pics = append(pics, pic{append([]byte(nil), l.Image.Pix...), l.PTS, l.Wallclock})
		if len(pics) == want {
			close(enough)
		}
	}}
	dec.SetOutputSize(640, 360)
	s := &player.Session{URL: srv.URL(), Logf: t.Logf}
	s.AddSink(dec, 256)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		t.Fatal("not enough grey pictures")
	}
	s.Close()
	mu.Lock()
	defer mu.Unlock()
	const frame = time.Second / fftest.SceneFPS
	worst := 0.0
	for i, p := range pics[:want] {
		if i > 0 {
			if d := p.pts - pics[i-1].pts; d != 5*frame {
				t.Errorf("picture %d: %v after the previous, want %v", i, d, 5*frame)
			}
			if !p.wall.After(pics[i-1].wall) {
				t.Errorf("picture %d: wallclock %v not after the previous", i, p.wall)
			}
		}
		k := int(p.pts/frame) % (scene.Seconds * fftest.SceneFPS)
		r := []byte(ref[k*w*h : (k+1)*w*h])
		var sum float64
		for j := range r {
			sum += math.Abs(float64(r[j]) - float64(p.pix[j]))
		}
		mad := sum / float64(len(r))
		worst = max(worst, mad)
		if mad > 3 {
			t.Errorf("picture %d (frame %d): %.2f levels from ffmpeg's on average, want <= 3", i, k, mad)
		}
	}
	t.Logf("%d pictures, at most %.2f levels from ffmpeg's on average", want, worst)
}
