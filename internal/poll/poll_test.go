package poll

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fatalRecorder is a test whose Fatalf is recorded instead of ending the
// real test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// until runs Until on its own goroutine, as a test body, and returns
// what it failed with ("" if it returned).
func until(t *testing.T, within time.Duration, cond func() bool) string {
	f := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Until(f, within, "the thing", cond)
	}()
	<-done
	return f.msg
}

// TestUntil: Until returns once the condition holds, having asked until
// then, and fails naming the awaited thing when it never holds.
func TestUntil(t *testing.T) {
	calls := 0
	if msg := until(t, time.Minute, func() bool { calls++; return calls == 5 }); msg != "" || calls != 5 {
		t.Fatalf("failed %q after %d calls; want success at the 5th", msg, calls)
	}
	msg := until(t, 50*time.Millisecond, func() bool { return false })
	if !strings.Contains(msg, "the thing") || !strings.Contains(msg, "50ms") {
		t.Fatalf("failure %q does not name the thing and the time", msg)
	}
}
