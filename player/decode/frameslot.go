package decode

import (
	"image"
	"sync"
	"time"
)

// Frame is a decoded picture ready to show.
type Frame struct {
	Image *image.RGBA
	// Source size (the stream's), which Image may be scaled down from.
	SourceWidth, SourceHeight int
	PTS                       time.Duration
	// NTP is the sender's wallclock for PTS, from RTCP sender reports
	// (player.Unit.NTP); zero without them.
	NTP time.Time
	// Ready is when the frame was put in the slot.
	Ready time.Time
}

// FrameSlot is a single-slot mailbox between the decoder and the screen:
// the newest frame always wins and nothing queues. Put never blocks. A
// frame Put replaces one nobody took yet, and that one's image is recycled.
type FrameSlot struct {
	mu     sync.Mutex
	cur    *Frame
	notify chan struct{}
	free   []*image.RGBA // images the consumer gave back, for reuse
}

// NewFrameSlot makes an empty slot.
func NewFrameSlot() *FrameSlot {
	return &FrameSlot{notify: make(chan struct{}, 1)}
}

// Put stores f as the newest frame and wakes the consumer.
func (s *FrameSlot) Put(f *Frame) {
	s.mu.Lock()
	if s.cur != nil {
		s.recycleLocked(s.cur.Image)
	}
	s.cur = f
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// Take returns the newest frame not taken yet, or nil. The caller owns the
// image until it gives it back with Release.
func (s *FrameSlot) Take() *Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.cur
	s.cur = nil
	return f
}

// Ready is signalled after Put; one signal may cover several frames.
func (s *FrameSlot) Ready() <-chan struct{} {
	return s.notify
}

// Release gives an image back for reuse once nothing draws it any more.
func (s *FrameSlot) Release(img *image.RGBA) {
	if img == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recycleLocked(img)
}

// maxFree bounds the recycled images kept: the decoder needs one to draw
// into while one waits in the slot and one or two are on screen.
const maxFree = 3

func (s *FrameSlot) recycleLocked(img *image.RGBA) {
	if len(s.free) < maxFree {
		s.free = append(s.free, img)
	}
}

// image returns a recycled image of size w x h, or a new one.
func (s *FrameSlot) image(w, h int) *image.RGBA {
	s.mu.Lock()
	for len(s.free) > 0 {
		img := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		if b := img.Bounds(); b.Dx() == w && b.Dy() == h {
			s.mu.Unlock()
			return img
		}
	}
	s.mu.Unlock()
	return image.NewRGBA(image.Rect(0, 0, w, h))
}
