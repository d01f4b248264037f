// Package speaker plays a camera's decoded audio (player/decode.Audio)
// through the computer's sound output with oto (ALSA on Linux, which
// reaches PulseAudio and PipeWire through their ALSA plugins). It uses
// cgo; the player and a headless recording build do not import it.
//
// A machine without a sound device (a server, a CI runner) is a state,
// not a failure: Open reports why, and nothing else depends on it.
package speaker

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// Output format: what sound servers mix at, and what decode.Audio gives
// by default.
const (
	Rate     = 48000
	Channels = 2
)

// deviceBuffer is the device's own buffer (ALSA's, in two periods): it
// adds to the delay, but a machine too busy to refill it in time makes
// the device run dry (an underrun: a gap, then the sound later). 100 ms
// rides out a loaded 2-core machine; 40 ms did not (gaps every second
// at a load average of 28).
const deviceBuffer = 100 * time.Millisecond

// playerBuffer is what oto's mixer reads ahead of the device from a
// Stream: one ALSA period, the most the device takes at once.
const playerBuffer = deviceBuffer / 2

// openTimeout bounds the wait for the device to open: an ALSA plugin
// reaching for a sound server that does not answer must not hang the
// program.
const openTimeout = 5 * time.Second

// ErrNoDevice is what Open returns, wrapped with the reason, when there is
// no sound output: "no sound device: <why>".
var ErrNoDevice = errors.New("no sound device")

// Device is the process's sound output. oto allows one per process, so
// Open opens it once and every later call shares it (or its failure).
type Device struct {
	ctx *oto.Context
}

var (
	openOnce sync.Once
	device   *Device
	openErr  error
)

// Open opens the sound output, once per process. Its error wraps
// ErrNoDevice.
func Open() (*Device, error) {
	openOnce.Do(func() {
		device, openErr = open()
	})
	return device, openErr
}

func open() (*Device, error) {
	quietALSA()
	ctx, ready, err := oto.NewContext(&oto.NewContextOptions{
		SampleRate:   Rate,
		ChannelCount: Channels,
		Format:       oto.FormatSignedInt16LE,
		BufferSize:   deviceBuffer,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDevice, err)
	}
	select {
	case <-ready:
	case <-time.After(openTimeout):
		return nil, fmt.Errorf("%w: the sound output did not open within %v", ErrNoDevice, openTimeout)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDevice, err)
	}
	return &Device{ctx: ctx}, nil
}

// Play starts a stream on the device: one camera's sound.
func (d *Device) Play(s *Stream) {
	s.init()
	p := d.ctx.NewPlayer(s)
	p.SetBufferSize(bytesFor(playerBuffer))
	s.mu.Lock()
	s.player = p
	s.mu.Unlock()
	p.Play()
}

// bytesFor is the bytes of d of output audio.
func bytesFor(d time.Duration) int {
	return int(int64(d)*Rate/int64(time.Second)) * Channels * 2
}
