package player

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
)

// TestBasicInClearWarning: a camera that asks for Basic over plain RTSP
// gets one warning line, and its stats say so; a Digest camera none.
func TestBasicInClearWarning(t *testing.T) {
	basic := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "pa$s@word", BasicAuth: true})
	digest := democam.StartForTest(t, &democam.Server{User: "admin", Pass: "pa$s@word"})
	for _, c := range []struct {
		name string
		url  string
		want int
	}{{"basic", basic.URL(), 1}, {"digest", digest.URL(), 0}} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var lines []string
			s := &Session{URL: c.url, Name: "porch", User: "admin", Pass: "pa$s@word", Logf: func(f string, a ...any) {
				mu.Lock()
				defer mu.Unlock()
				lines = append(lines, fmt.Sprintf(f, a...))
			}}
			w := watch(t, s)
			w.waitFrames(t, 5, 10*time.Second)
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for _, l := range lines {
				if l == "camera porch accepts only Basic authentication over plain RTSP: the password crosses the network in clear" {
					n++
				}
				if strings.Contains(l, "pa$s@word") {
					t.Fatalf("the password leaked: %q", l)
				}
			}
			if n != c.want || s.Stats().BasicInClear != (c.want == 1) {
				t.Fatalf("%d warnings, stats %v; want %d: %q", n, s.Stats().BasicInClear, c.want, lines)
			}
		})
	}
}
