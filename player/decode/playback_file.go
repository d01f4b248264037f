package decode

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/asticode/go-astiav"

	"github.com/camdeck/camdeck/player"
)

// open opens segment i (closing the one open) and finds its video track.
func (p *Playback) open(i int) error {
	if p.seg == i && p.fc != nil {
		return nil
	}
	p.closeFile()
	s := p.Segments[i]
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return errors.New("decode: cannot allocate a format context")
	}
	path := s.Path
	if p.Fetch != nil {
		var err error
		if path, err = p.Fetch(p.ctx, s); err != nil {
			fc.Free()
			return fmt.Errorf("decode: fetch %s: %w", s.Path, err)
		}
	}
	if err := fc.OpenInput(path, nil, nil); err != nil {
		fc.Free()
		return fmt.Errorf("decode: open %s: %w", s.Path, err)
	}
	p.fc, p.seg = fc, i
	if err := fc.FindStreamInfo(nil); err != nil {
		return fmt.Errorf("decode: read %s: %w", s.Path, err)
	}
	p.vidx = -1
	for _, st := range fc.Streams() {
		cp := st.CodecParameters()
		if cp.MediaType() != astiav.MediaTypeVideo {
			continue
		}
		t := &player.Track{ClockRate: clockRate, Width: cp.Width(), Height: cp.Height()}
		var err error
		switch cp.CodecID() {
		case astiav.CodecIDH264:
			t.Codec = player.CodecH264
			t.SPS, t.PPS, err = avccParams(cp.ExtraData())
		case astiav.CodecIDHevc:
			t.Codec = player.CodecH265
			t.VPS, t.SPS, t.PPS, err = hvccParams(cp.ExtraData())
		case astiav.CodecIDMjpeg:
			t.Codec = player.CodecMJPEG
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("decode: %s: %w", s.Path, err)
		}
		p.vidx, p.tb, p.track = st.Index(), st.TimeBase(), t
		p.first = st.StartTime()
		if p.first == astiav.NoPtsValue {
			p.first = 0
		}
		break
	}
	if p.vidx < 0 {
		return fmt.Errorf("decode: %s has no video camdeck decodes", s.Path)
	}
	if p.pkt == nil {
		p.pkt = astiav.AllocPacket()
	}
	return nil
}

func (p *Playback) closeFile() {
	if p.fc != nil {
		p.fc.CloseInput()
		p.fc.Free()
		p.fc = nil
	}
	p.seg = -1
}

// Snapshot returns a full-resolution RGBA copy of the frame shown.
func (p *Playback) Snapshot(ctx context.Context) (*image.RGBA, error) {
	ch := make(chan snapResult, 1)
	d := p.Decoder
	d.snapMu.Lock()
	d.snapReqs = append(d.snapReqs, ch)
	d.snapMu.Unlock()
	p.do(func() {
		d.serveSnapshots()
		if d.last == nil || d.last.Width() == 0 {
			d.answerSnapshots(nil, ErrNoFrame)
		}
	})
	select {
	case r := <-ch:
		return r.img, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("decode: snapshot: %w", ctx.Err())
	}
}

// drain shows the frames the decoder still holds at the end of a file
// (reordered frames wait for a later one that never comes).
func (d *Decoder) drain() {
	if d.cc == nil {
		return
	}
	if err := d.cc.SendPacket(nil); err != nil {
		return
	}
	u := &player.Unit{Track: d.track}
	for {
		if err := d.cc.ReceiveFrame(d.frame); err != nil {
			break
		}
		u.Arrival = timeNow()
		d.publish(u)
		d.last.Unref()
		d.last.MoveRef(d.frame)
	}
}
