package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrNothingRecorded is an export of a range with no recordings in it.
var ErrNothingRecorded = errors.New("library: nothing was recorded in that range")

// Progress is how far an export is.
type Progress struct {
	Done, Total int64 // media bytes copied, and to copy
	Elapsed     time.Duration
}

// ExportResult describes a finished export.
type ExportResult struct {
	From, To time.Time // the range presented: the one asked, clipped to what was recorded
	Segments int       // files read
	Frames   int       // video frames written (from the keyframe before From)
	Bytes    int64     // size of the file
}

// outTrack is one track of an export being planned.
type outTrack struct {
	src       *fileTrack // of the first segment: timescale, kind
	samples   []outSample
	entries   [][]byte // distinct sample entries, from each segment's stsd
	chunks    []outChunk
	nextDTS   int64 // end of the last sample, output media time
	firstWall time.Time
	lastWall  time.Time
	// Edit: present media from mediaTime for duration (movie timescale);
	// empty is a leading empty edit (track starts after From).
	mediaTime int64
	duration  int64
	empty     int64
}

// outSample is one sample of the output.
type outSample struct {
	dur  uint32
	cto  int32
	size uint32
	sync bool
}

// outChunk is a run of samples stored together: one run of a part.
type outChunk struct {
	seg      int   // index of the source file
	srcOff   int64 // in the source file
	size     int64
	first, n int // samples
	entry    int // 1-based sample description index
	outOff   int64
}

// Export writes the recordings of camera from src within [from, to) to
// one ordinary MP4 file at out (moov first, not fragmented), remuxed,
// never re-encoded: it starts at the keyframe at or before from, and an
// edit list makes presentation start exactly at from. Audio is kept.
// progress, if not nil, is called as media data is copied. The file
// appears at out only once complete.
func Export(ctx context.Context, src Source, camera string, from, to time.Time, out string, progress func(Progress)) (ExportResult, error) {
	var res ExportResult
	if !to.After(from) {
		return res, errors.New("library: export: the range ends before it starts")
	}
	segs, err := src.Segments(ctx, camera, from, to)
	if err != nil {
		return res, err
	}
	var files []SegmentFile
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	var infos []*fileInfo
	var used []SegmentFile // aligned with infos
	var starts []time.Time
	for _, s := range segs {
		if s.Frames == 0 && s.Complete {
			continue
		}
		f, err := src.OpenSegment(ctx, s)
		if err != nil {
			return res, err
		}
		files = append(files, f)
		fi, err := readFile(f, f.Size(), true)
		if err != nil {
			return res, fmt.Errorf("library: export: %s: %w", filepath.Base(s.Path), err)
		}
		if v := fi.video(); v == nil || len(v.samples) == 0 {
			continue
		}
		infos = append(infos, fi)
		used = append(used, f)
		starts = append(starts, s.Start)
		res.Segments++
	}
	p, err := plan(infos, starts, from, to)
	if err != nil {
		return res, err
	}
	res.From, res.To, res.Frames = p.from, p.to, len(p.tracks[0].samples)

	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.part")
	if err != nil {
		return res, fmt.Errorf("library: export: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := p.write(ctx, tmp, used, progress)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, fmt.Errorf("library: export: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return res, fmt.Errorf("library: export: %w", err)
	}
	res.Bytes = n
	return res, nil
}

// exportPlan is the output's tables, before any media byte is copied.
type exportPlan struct {
	from, to time.Time
	tracks   []*outTrack // video first
}

func wallTicks(d time.Duration, ts uint32) int64 {
	return int64(d/time.Second)*int64(ts) + int64(d%time.Second)*int64(ts)/int64(time.Second)
}

// plan picks the samples of [from, to) out of the segments (oldest
// first) and lays them out. Segments are placed on the output timeline
// by their wallclock starts; a hole between two (the camera was offline)
// holds the last frame before it.
func plan(infos []*fileInfo, starts []time.Time, from, to time.Time) (*exportPlan, error) {
	if len(infos) == 0 {
		return nil, ErrNothingRecorded
	}
	first := infos[0].video()
	last := infos[len(infos)-1]
	from = maxTime(from, starts[0])
	to = minTime(to, starts[len(infos)-1].Add(last.duration()))
	if !to.After(from) {
		return nil, ErrNothingRecorded
	}
	p := &exportPlan{from: from, to: to}
	video := &outTrack{src: first}
	p.tracks = append(p.tracks, video)
	var audio *outTrack
	for _, fi := range infos {
		for _, t := range fi.tracks {
			if !t.video && audio == nil {
				audio = &outTrack{src: t}
				p.tracks = append(p.tracks, audio)
			}
		}
	}

	// Video. The output's media time 0 is the keyframe at or before from.
	ts := first.timescale
	var base time.Time // wallclock of the output's media time 0
	started := false
	for i, fi := range infos {
		v := fi.video()
		if v == nil || v.timescale != ts {
			return nil, fmt.Errorf("library: export: segment %d changes the video timescale", i)
		}
		w0 := starts[i]
		wall := func(s fileSample) time.Time { // presentation wallclock of a sample
			return w0.Add(ticksToDuration(s.dts+int64(s.cto)-v.mediaTime, ts))
		}
		lo := 0
		if !started {
			for j, s := range v.samples {
				if s.sync && !wall(s).After(from) {
					lo = j
				}
			}
			if !v.samples[lo].sync {
				continue
			}
		}
		var off int64 // output dts = source dts + off
		if !started {
			off = -v.samples[lo].dts
			base = w0.Add(-ticksToDuration(v.mediaTime+off, ts))
			started = true
		} else {
			// This file's presentation 0 goes where its wallclock start is.
			off = wallTicks(w0.Sub(base), ts) - v.mediaTime
			if gap := v.samples[0].dts + off - video.nextDTS; gap > 0 {
				video.samples[len(video.samples)-1].dur += uint32(gap)
				video.nextDTS += gap
			}
			off = video.nextDTS - v.samples[0].dts
		}
		end := wallTicks(to.Sub(base), ts)
		entry := video.entry(v.stsd)
		stop := false
		for j := lo; j < len(v.samples); j++ {
			s := v.samples[j]
			if s.dts+off >= end {
				stop = true
				break
			}
			video.add(i, s, entry)
			video.nextDTS = s.dts + off + int64(s.dur)
		}
		if stop {
			break
		}
	}
	if len(video.samples) == 0 {
		return nil, ErrNothingRecorded
	}
	video.mediaTime = wallTicks(from.Sub(base), ts)
	video.duration = int64(to.Sub(from) / time.Millisecond)

	if audio != nil {
		p.planAudio(audio, infos, starts)
	}
	return p, nil
}

// planAudio takes the audio samples that overlap the range, placed like
// the video by each segment's wallclock start.
func (p *exportPlan) planAudio(audio *outTrack, infos []*fileInfo, starts []time.Time) {
	ts := audio.src.timescale
	var base time.Time
	for i, fi := range infos {
		var a *fileTrack
		for _, t := range fi.tracks {
			if !t.video && t.fourcc == audio.src.fourcc {
				a = t
			}
		}
		if a == nil || a.timescale != ts {
			continue
		}
		entry := audio.entry(a.stsd)
		for _, s := range a.samples {
			w := starts[i].Add(ticksToDuration(s.dts, ts))
			we := w.Add(ticksToDuration(int64(s.dur), ts))
			if !we.After(p.from) {
				continue
			}
			if !w.Before(p.to) {
				break
			}
			if base.IsZero() {
				base = w
				audio.nextDTS = 0
			} else if want := wallTicks(w.Sub(base), ts); want > audio.nextDTS+int64(s.dur) {
				// A hole in the audio: stretch the sample before it.
				audio.samples[len(audio.samples)-1].dur += uint32(want - audio.nextDTS)
				audio.nextDTS = want
			}
			audio.add(i, s, entry)
			audio.nextDTS += int64(s.dur)
		}
	}
	if len(audio.samples) == 0 {
		p.tracks = p.tracks[:1]
		return
	}
	if base.After(p.from) {
		audio.empty = int64(base.Sub(p.from) / time.Millisecond)
	} else {
		audio.mediaTime = wallTicks(p.from.Sub(base), ts)
	}
	end := minTime(p.to, base.Add(ticksToDuration(audio.nextDTS, ts)))
	audio.duration = int64(end.Sub(maxTime(p.from, base)) / time.Millisecond)
}

// entry returns the sample description index of a segment's stsd,
// adding it when it differs from the ones before (the camera changed its
// resolution or parameters between segments).
func (t *outTrack) entry(stsd []byte) int {
	e := stsdEntry(stsd)
	for i, have := range t.entries {
		if string(have) == string(e) {
			return i + 1
		}
	}
	t.entries = append(t.entries, e)
	return len(t.entries)
}

// stsdEntry is the sample entry inside a one-entry stsd box.
func stsdEntry(stsd []byte) []byte {
	if len(stsd) < 16 {
		return nil
	}
	return stsd[16:]
}

// add appends a sample, extending the current chunk when it follows the
// last one in the same file.
func (t *outTrack) add(seg int, s fileSample, entry int) {
	t.samples = append(t.samples, outSample{dur: s.dur, cto: s.cto, size: s.size, sync: s.sync})
	if n := len(t.chunks); n > 0 {
		c := &t.chunks[n-1]
		if c.seg == seg && c.entry == entry && c.srcOff+c.size == s.off {
			c.size += int64(s.size)
			c.n++
			return
		}
	}
	t.chunks = append(t.chunks, outChunk{seg: seg, srcOff: s.off, size: int64(s.size), first: len(t.samples) - 1, n: 1, entry: entry})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
