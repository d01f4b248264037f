package recorder

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/player"
)

func benchClip(b *testing.B) (*democam.Clip, *player.Track) {
	b.Helper()
	clip := democam.BenchClip(b)
	t := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height, FPS: clip.FPS()}
	return clip, t
}

func clipName(c *democam.Clip) string {
	return itoa(c.Width) + "x" + itoa(c.Height)
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// partSamples is one second of the clip as the samples of one part.
func partSamples(clip *democam.Clip, track *player.Track) ([]*sample, int) {
	v := newVideoState(track)
	n := int(clip.FPS() + 0.5)
	out := make([]*sample, 0, n)
	total := 0
	for i, fr := range clip.Frames[:min(n, len(clip.Frames))] {
		data := v.payload(fr.NALUs)
		total += len(data)
		out = append(out, &sample{dts: int64(i) * 3000, duration: 3000, ptsOffset: int32(fr.PTS - fr.DTS), sync: fr.Key, data: data})
	}
	return out, total
}

// BenchmarkMarshalPart measures building one part (moof, mdat) of a
// second of video in memory. One op is one part.
func BenchmarkMarshalPart(b *testing.B) {
	clip, track := benchClip(b)
	samples, total := partSamples(clip, track)
	ft := newVideoState(track).fmp4Track()
	tracks := []partTrack{{track: ft, samples: samples}}
	b.Run(clipName(clip), func(b *testing.B) {
		b.SetBytes(int64(total))
		b.ReportAllocs()
		var buf []byte
		wall := time.Now()
		for i := 0; b.Loop(); i++ {
			var err error
			if buf, err = marshalPart(buf[:0], uint32(i+1), tracks, i == 0, wall); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuMeter reports the process's CPU time per op (user + system, all
// threads) next to the wall time: an fsync mostly waits, and the two
// figures tell waiting from work.
func cpuMeter(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// noSyncFile is a file whose Sync does nothing: the part write without
// the fsync, to tell the two costs apart.
type noSyncFile struct{ *os.File }

func (noSyncFile) Sync() error { return nil }

// BenchmarkPartWrite measures writing one part of a second of video to a
// file: marshal, one write, and the fsync that bounds what a crash loses
// (and without it). One op is one part.
func BenchmarkPartWrite(b *testing.B) {
	clip, track := benchClip(b)
	samples, total := partSamples(clip, track)
	for _, mode := range []string{"fsync", "nosync"} {
		b.Run(clipName(clip)+"/"+mode, func(b *testing.B) {
			if mode == "nosync" {
				defer withoutSync()()
			}
			seg, err := openSegment(filepath.Join(b.TempDir(), "part.mp4"), time.Now(), []*fmp4Track{newVideoState(track).fmp4Track()}, sidxRefs)
			if err != nil {
				b.Fatal(err)
			}
			defer seg.f.Close()
			b.SetBytes(int64(total))
			b.ReportAllocs()
			base := int64(0)
			now := time.Now()
			done := cpuMeter(b)
			for b.Loop() {
				for _, s := range samples {
					cp := *s
					cp.dts += base
					seg.addVideo(&cp, cp.dts+int64(cp.ptsOffset), now, now)
				}
				base += int64(len(samples)) * 3000
				if err := seg.flush(); err != nil {
					b.Fatal(err)
				}
				if seg.size > 1<<30 { // keep the file small: start over
					b.StopTimer()
					keep := seg.sidxAt + int64(seg.sidxSize) // the init and the sidx's room
					_ = seg.f.Truncate(keep)
					seg.size, seg.frags, seg.tfra = keep, seg.frags[:0], seg.tfra[:0]
					b.StartTimer()
				}
			}
			done()
		})
	}
}

// BenchmarkRecorderUnit measures the recorder sink's work per video unit,
// network aside: parameter sets, DTS extraction, sample conversion, and a
// part written every second of (simulated) arrival time, with its fsync
// and without. One op is one unit.
func BenchmarkRecorderUnit(b *testing.B) {
	clip, track := benchClip(b)
	for _, mode := range []string{"fsync", "nosync"} {
		b.Run(clipName(clip)+"/"+mode, func(b *testing.B) {
			if mode == "nosync" {
				defer withoutSync()()
			}
			r := &Recorder{Dir: b.TempDir(), Camera: "bench"}
			r.OnStream([]*player.Track{track})
			defer r.OnStreamEnd(nil)
			step := time.Duration(float64(time.Second) / clip.FPS())
			start := time.Now()
			b.ReportAllocs()
			done := cpuMeter(b)
			for i := 0; b.Loop(); i++ {
				k, loop := i%len(clip.Frames), int64(i/len(clip.Frames))
				fr := &clip.Frames[k]
				r.OnUnit(&player.Unit{Track: track, Data: fr.NALUs, PTS: fr.PTS + loop*clip.Duration,
					Arrival: start.Add(time.Duration(i) * step), Key: fr.Key})
			}
			done()
			b.StopTimer()
			if err := r.Status().Err; err != nil {
				b.Fatal(err)
			}
		})
	}
}

// withoutSync makes new segment files skip their fsyncs until the
// returned function restores createFile.
func withoutSync() func() {
	orig := createFile
	createFile = func(path string) (file, error) {
		f, err := orig(path)
		if err != nil {
			return nil, err
		}
		return noSyncFile{f.(*os.File)}, nil
	}
	return func() { createFile = orig }
}
