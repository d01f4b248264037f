package speaker

import (
	"errors"
	"io"
	"testing"
)

// TestReadNeverEmpty: oto's Player.Play reads until its buffer is full
// and loops on a read of 0 bytes without an error; a stream that had no
// audio yet (a camera without sound, a muted one) made it spin at a full
// core for good. Read gives silence then, and io.EOF once closed.
func TestReadNeverEmpty(t *testing.T) {
	s := &Stream{}
	s.init()
	buf := make([]byte, 4096)
	for i := range buf {
		buf[i] = 0xff
	}
	if n, err := s.Read(buf); n != len(buf) || err != nil || buf[0] != 0 || buf[len(buf)-1] != 0 {
		t.Fatalf("an empty stream read %d bytes (%v), first %#x; want %d of silence", n, err, buf[0], len(buf))
	}
	pcm := make([]byte, bytesFor(2*DefaultJitter))
	for i := range pcm {
		pcm[i] = 0x11
	}
	s.Write(pcm)
	if n, err := s.Read(buf); n != len(buf) || err != nil || buf[0] != 0x11 {
		t.Fatalf("a primed stream read %d bytes (%v), first %#x; want its audio", n, err, buf[0])
	}
	s.SetMuted(true)
	if n, err := s.Read(buf); n != len(buf) || err != nil || buf[0] != 0 {
		t.Fatalf("a muted stream read %d bytes (%v), first %#x; want silence", n, err, buf[0])
	}
	s.Close()
	if n, err := s.Read(buf); n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("a closed stream read %d bytes (%v); want io.EOF", n, err)
	}
}
