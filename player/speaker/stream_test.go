package speaker

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"
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

// TestVolume: the stream's samples are scaled by its volume as the
// device reads them, the negative ones too; 0 is silence and 1 leaves
// them as they came.
func TestVolume(t *testing.T) {
	for _, tc := range []struct {
		volume float64
		want   [4]int16
	}{
		{1, [4]int16{32767, -32768, 1000, -1000}},
		{0.5, [4]int16{16383, -16384, 500, -500}},
		{0.25, [4]int16{8191, -8192, 250, -250}},
		{0, [4]int16{0, 0, 0, 0}},
		{2, [4]int16{32767, -32768, 1000, -1000}}, // at most 1
	} {
		t.Run(fmt.Sprint(tc.volume), func(t *testing.T) {
			s := &Stream{}
			s.init()
			s.SetVolume(tc.volume)
			in := [4]int16{32767, -32768, 1000, -1000}
			pcm := make([]byte, bytesFor(2*DefaultJitter))
			for i := 0; i < len(pcm); i += 2 {
				binary.LittleEndian.PutUint16(pcm[i:], uint16(in[i/2%4]))
			}
			s.Write(pcm)
			buf := make([]byte, len(pcm))
			if n, err := s.Read(buf); n != len(buf) || err != nil {
				t.Fatalf("read %d bytes (%v), want %d", n, err, len(buf))
			}
			for i := 0; i < len(buf); i += 2 {
				if got := int16(binary.LittleEndian.Uint16(buf[i:])); got != tc.want[i/2%4] {
					t.Fatalf("sample %d is %d at volume %v, want %d", i/2, got, tc.volume, tc.want[i/2%4])
				}
			}
		})
	}
}

// TestPlayingNTP: what plays now is the sender's wallclock of the last
// sample written less what is still queued; nothing plays while the
// stream holds its jitter buffer or a Delay, and a stream without sender
// reports plays without a wallclock.
func TestPlayingNTP(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC)
	s := &Stream{}
	s.init()
	if _, playing := s.Playing(); playing {
		t.Fatal("an empty stream plays")
	}
	chunk := bytesFor(20 * time.Millisecond)
	s.WriteNTP(make([]byte, chunk), t0)
	if _, playing := s.Playing(); playing {
		t.Fatal("plays before its jitter buffer is full")
	}
	s.WriteNTP(make([]byte, chunk), t0.Add(20*time.Millisecond)) // 40 ms: primed
	if at, playing := s.Playing(); !playing || !at.Equal(t0) {
		t.Fatalf("primed: playing %v at %v, want %v", playing, at, t0)
	}
	s.Read(make([]byte, bytesFor(30*time.Millisecond)))
	if at, _ := s.Playing(); !at.Equal(t0.Add(30 * time.Millisecond)) {
		t.Fatalf("after 30 ms read: at %v, want t0+30ms", at.Sub(t0))
	}
	s.Delay(50 * time.Millisecond)
	if _, playing := s.Playing(); playing {
		t.Fatal("plays while it holds a delay")
	}
	if buf := make([]byte, 64); func() bool { s.Read(buf); return buf[0] != 0 || buf[63] != 0 }() {
		t.Fatal("a held stream did not read silence")
	}
	for i := 2; i < 6; i++ { // 10 ms queued + 80 ms: past the 40 + 50 ms it holds
		s.WriteNTP(make([]byte, chunk), t0.Add(time.Duration(i)*20*time.Millisecond))
	}
	if at, playing := s.Playing(); !playing || !at.Equal(t0.Add(30*time.Millisecond)) {
		t.Fatalf("after the delay: playing %v at t0+%v, want t0+30ms", playing, at.Sub(t0))
	}
	s.Write(make([]byte, chunk)) // a unit without a wallclock
	if at, playing := s.Playing(); !playing || !at.IsZero() {
		t.Fatalf("without sender reports: playing %v at %v, want playing at zero", playing, at)
	}
}
