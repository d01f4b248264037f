package decode

import (
	"runtime"
	"sync"
)

// largeFrame is the picture size (in pixels) from which a decoder asks
// for slice threads: below 720p one core decodes a camera's frame in a
// few milliseconds, and extra threads only cost memory and switches.
const largeFrame = 1280 * 720

// spareThreads is the process-wide budget of extra decoding threads,
// shared by every decoder: one CPU's worth in all. Without it each of 16
// cameras started NumCPU threads; with it the first large streams get
// slice threads and the rest decode on their sink goroutine's thread.
var spareThreads = struct {
	sync.Mutex
	free int
}{free: runtime.NumCPU()}

// takeThreads takes up to want extra threads from the budget and returns
// how many it got.
func takeThreads(want int) int {
	spareThreads.Lock()
	defer spareThreads.Unlock()
	n := max(0, min(want, spareThreads.free))
	spareThreads.free -= n
	return n
}

// giveThreads returns n threads to the budget.
func giveThreads(n int) {
	spareThreads.Lock()
	spareThreads.free += n
	spareThreads.Unlock()
}
