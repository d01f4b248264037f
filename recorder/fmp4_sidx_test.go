package recorder

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/camdeck/camdeck/internal/democam"
	"github.com/camdeck/camdeck/internal/fftest"
	"github.com/camdeck/camdeck/internal/gstserver"
	"github.com/camdeck/camdeck/player"
)

// sidxRead is a segment index read back with plain byte slicing.
type sidxRead struct {
	at, size    int64 // the box's place in the file
	version     byte
	refID       uint32
	timescale   uint32
	ept         uint64
	firstOffset uint64
	sizes       []int64
	durations   []int64
	saps        []bool
}

// readSidx reads the segment indexes after the moov and the offsets of
// the file's top-level boxes, and checks the layout: ftyp, moov, one sidx
// or more, then the filler free box, then the first part.
func readSidx(t *testing.T, b []byte) ([]sidxRead, []mp4Box, []int64) {
	t.Helper()
	top, err := readBoxes(b)
	if err != nil {
		t.Fatal(err)
	}
	var offs []int64
	var off int64
	for _, bx := range top {
		offs = append(offs, off)
		off += int64(len(bx.body)) + 8
	}
	k := 2
	for k < len(top) && top[k].typ == "sidx" {
		k++
	}
	if len(top) < k+2 || top[0].typ != "ftyp" || top[1].typ != "moov" || k == 2 || top[k].typ != "free" {
		var types []string
		for _, bx := range top[:min(len(top), 6)] {
			types = append(types, bx.typ)
		}
		t.Fatalf("the file starts with %v, want ftyp, moov, sidx, free", types)
	}
	be := binary.BigEndian
	var out []sidxRead
	for i := 2; i < k; i++ {
		p := top[i].body
		s := sidxRead{at: offs[i], size: int64(len(p)) + 8, version: p[0]}
		if s.version != 1 {
			t.Fatalf("sidx version %d, want 1", s.version)
		}
		s.refID, s.timescale = be.Uint32(p[4:]), be.Uint32(p[8:])
		s.ept, s.firstOffset = be.Uint64(p[12:]), be.Uint64(p[20:])
		n := int(be.Uint16(p[30:]))
		if len(p) != 32+12*n {
			t.Fatalf("sidx of %d bytes for %d references", len(p)+8, n)
		}
		for i := range n {
			r := p[32+12*i:]
			if r[0]&0x80 != 0 {
				t.Fatalf("reference %d points at an sidx, want media", i)
			}
			s.sizes = append(s.sizes, int64(be.Uint32(r)&0x7fffffff))
			s.durations = append(s.durations, int64(be.Uint32(r[4:])))
			sap := be.Uint32(r[8:])
			s.saps = append(s.saps, sap>>31 == 1 && (sap>>28)&7 == 1 && sap&0x0fffffff == 0)
		}
		out = append(out, s)
	}
	return out, top, offs
}

// checkSidx checks a finished file's indexes against its parts: one per
// track, the video's first; each one's references run from the first
// moof (after the first part's prft, the only prft) to the mfra without a
// gap, one per part, each starting at a moof. The video's references that
// say they start with a SAP are the parts whose first video sample is a
// keyframe, each starting at that part's earliest presentation time; the
// others last 0 ticks. The audio's are all SAPs. Each index's durations
// add up to its track's duration. ffmpeg and ffprobe read the file
// without a complaint. It returns the video's index.
func checkSidx(t *testing.T, file string) sidxRead {
	t.Helper()
	return checkSidxEnd(t, file, true)
}

// checkSidxEnd is checkSidx for a file that ends with its mfra (mfra) or
// with its last part (a repaired file).
func checkSidxEnd(t *testing.T, file string, mfra bool) sidxRead {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	idxs, top, offs := readSidx(t, b)
	tracks, _, _, _, _, err := readMoov(b[offs[1] : offs[1]+int64(len(top[1].body))+8])
	if err != nil {
		t.Fatal(err)
	}
	mf, err := readMP4(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(idxs) != len(tracks) {
		t.Fatalf("%d indexes for %d tracks", len(idxs), len(tracks))
	}
	first := 2 + len(idxs) + 1 // the first part, after the filler
	if offs[first-1]+int64(len(top[first-1].body))+8 != offs[first] {
		t.Fatal("the filler free box does not end at the first part")
	}
	if top[first].typ != "prft" || top[first+1].typ != "moof" {
		t.Fatalf("the first part starts with %s, %s, want prft, moof", top[first].typ, top[first+1].typ)
	}
	end, last := int64(len(b)), len(top)
	if mfra {
		if top[len(top)-1].typ != "mfra" {
			t.Fatalf("the file ends with %q, want the mfra", top[len(top)-1].typ)
		}
		end, last = offs[len(top)-1], len(top)-1
	}
	// The parts: each moof, its mdat right after, and the next moof
	// right after that.
	type part struct {
		key bool  // the first video sample is a keyframe
		ept int64 // earliest video presentation
	}
	parts := map[int64]part{}
	var moofs []int64
	for i := first + 1; i < last; i++ {
		switch top[i].typ {
		case "moof":
			if i+1 >= last || top[i+1].typ != "mdat" || (i+2 < last && top[i+2].typ != "moof") {
				t.Fatalf("the part at %d is not a moof, its mdat and the next moof", offs[i])
			}
			pf := &mp4File{timescale: mf.timescale, mediaTime: mf.mediaTime}
			trafs, _ := readBoxes(top[i].body)
			for _, tr := range trafs {
				if tr.typ == "traf" {
					pf.readTraf(tr.body)
				}
			}
			p := part{ept: math.MaxInt64}
			seen := false
			for _, smp := range pf.samples {
				if tracks[smp.track] == nil || !tracks[smp.track].video {
					continue
				}
				if !seen {
					p.key, seen = smp.sync, true
				}
				p.ept = min(p.ept, smp.pts)
			}
			parts[offs[i]] = p
			moofs = append(moofs, offs[i])
		case "mdat":
		default:
			t.Fatalf("a %s box among the parts at %d", top[i].typ, offs[i])
		}
	}
	for n, s := range idxs {
		tr := tracks[s.refID]
		if tr == nil || s.timescale != tr.timescale || tr.video != (n == 0) {
			t.Fatalf("index %d for track %d at timescale %d, want the video's first, then the audio's", n, s.refID, s.timescale)
		}
		if at := s.at + s.size + int64(s.firstOffset); at != moofs[0] {
			t.Fatalf("index %d: first_offset leads to %d, the first moof is at %d", n, at, moofs[0])
		}
		if len(s.sizes) != len(moofs) {
			t.Fatalf("index %d: %d references for %d parts", n, len(s.sizes), len(moofs))
		}
		at, tm := moofs[0], int64(s.ept)
		var sum, dur int64
		for i, size := range s.sizes {
			p, ok := parts[at]
			if !ok {
				t.Fatalf("index %d: reference %d starts at %d, not at a moof", n, i, at)
			}
			switch {
			case !tr.video && !s.saps[i]:
				t.Errorf("index %d: audio reference %d does not say it starts with a SAP of type 1", n, i)
			case tr.video && s.saps[i] != p.key:
				t.Errorf("index %d: reference %d says SAP %v, its part starts with a keyframe: %v", n, i, s.saps[i], p.key)
			case tr.video && p.key && tm != p.ept:
				t.Errorf("index %d: reference %d starts at %d, its keyframe's part at %d", n, i, tm, p.ept)
			case tr.video && !p.key && s.durations[i] != 0:
				t.Errorf("index %d: reference %d without a keyframe first lasts %d ticks, want 0", n, i, s.durations[i])
			}
			at += size
			sum += size
			dur += s.durations[i]
			tm += s.durations[i]
		}
		if sum != end-moofs[0] {
			t.Errorf("index %d: references hold %d bytes, the parts %d", n, sum, end-moofs[0])
		}
		if int64(s.ept)+dur != int64(tr.mdhd.DurationV1) || (tr.video && s.ept != 0) {
			t.Errorf("index %d: references from %d for %d ticks, the track lasts %d", n, s.ept, dur, tr.mdhd.DurationV1)
		}
	}
	if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", file, "-f", "null", "-"); err != nil || stderr != "" {
		t.Errorf("ffmpeg decoding: %v %s", err, stderr)
	}
	if _, stderr, err := fftest.Probe(t, time.Minute, "-v", "warning", "-show_streams", file); err != nil || stderr != "" {
		t.Errorf("ffprobe: %v %s", err, stderr)
	}
	return idxs[0]
}

// TestFinishedSegmentSidx: a finished segment of 10 s with a keyframe
// every 2 s carries an sidx after its moov with one reference per part,
// those of the parts that start a GOP (parts are cut before each
// keyframe) lasting their GOP each, and ffmpeg seeking into it lands
// on the right frame without decoding errors, also when the parts'
// timing falls mid-GOP. It failed before: the file had no sidx, and
// (with the sidx but without cutting parts at keyframes) the mid-GOP case
// had one reference for the whole file.
func TestFinishedSegmentSidx(t *testing.T) {
	for _, c := range []struct {
		name string
		late func(i int) time.Duration
	}{
		{"parts on keyframes", nil},
		// Frames from the tenth on arrive 200 ms late, so the one-second
		// parts fall mid-GOP.
		{"parts mid-GOP", func(i int) time.Duration { return time.Duration(min(i, 10)/10) * 200 * time.Millisecond }},
	} {
		t.Run(c.name, func(t *testing.T) { testFinishedSegmentSidx(t, c.late) })
	}
}

func testFinishedSegmentSidx(t *testing.T, late func(int) time.Duration) {
	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.late = late
	s.feed(10 * 25)
	rec.Close()
	files := s.files()
	if len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
	idx := checkSidx(t, files[0])
	var gops []int64
	for i, d := range idx.durations {
		if idx.saps[i] {
			gops = append(gops, d)
		}
	}
	if len(gops) != 5 || len(idx.sizes) < 10 {
		t.Errorf("%d references, %d of them at a keyframe; want one per part (10 or more), 5 at keyframes", len(idx.sizes), len(gops))
	}
	for _, d := range gops {
		if d != 2*90000 {
			t.Errorf("keyframe references last %v ticks, want 2 s each", gops)
			break
		}
	}
	// Seeking (which loads only the part the index points at) starts
	// decoding at the keyframe before the target, and ffmpeg decodes from
	// there without a complaint. (ffmpeg compares the references' times,
	// which are presentation times, with the target less the decode delay,
	// 60 ms here: a target that close after a keyframe starts a GOP early,
	// still correctly.)
	for _, c := range []struct{ at, key float64 }{{3.5, 2}, {6.1, 6}, {9.9, 8}, {0.5, 0}} {
		r, stderr, err := fftest.Probe(t, time.Minute, "-read_intervals", fmt.Sprintf("%g%%+#1", c.at),
			"-select_streams", "v", "-show_frames", files[0])
		if err != nil || stderr != "" || len(r.Frames) != 1 {
			t.Fatalf("ffprobe seeking to %g: %v %s", c.at, err, stderr)
		}
		if got := fftest.Seconds(r.Frames[0].PTSTime); math.Abs(got-c.key) > 0.001 || r.Frames[0].KeyFrame != 1 {
			t.Errorf("seeking to %g s starts at %g s (key %d), want the keyframe at %g s", c.at, got, r.Frames[0].KeyFrame, c.key)
		}
		ss := fmt.Sprint(c.at)
		if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-ss", ss, "-i", files[0],
			"-frames:v", "1", "-f", "null", "-"); err != nil || stderr != "" {
			t.Errorf("ffmpeg seeking to %s: %v %s", ss, err, stderr)
		}
	}
}

// TestSidxTooManyParts: a file with more parts than the room reserved
// for references keeps the free box (an index of some parts would make
// FFmpeg skip the others) and still decodes and seeks cleanly. It failed
// before: consecutive GOPs shared a reference, and FFmpeg skipped parts.
func TestSidxTooManyParts(t *testing.T) {
	old := sidxRefs
	sidxRefs = 4
	t.Cleanup(func() { sidxRefs = old })
	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.feed(10 * 25)
	rec.Close()
	b, err := os.ReadFile(s.files()[0])
	if err != nil {
		t.Fatal(err)
	}
	top, err := readBoxes(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) < 4 || top[2].typ != "free" || len(top[2].body)+8 != sidxReserve(4, 1) || top[3].typ != "prft" {
		t.Fatal("a file of more parts than references is not the init, the free box and its parts")
	}
	checkScrub(t, s.files()[0])
}

// TestKilledSegmentKeepsFree: a file whose recorder never finished it
// (copied while it is being written, as a kill leaves it) holds the free
// box reserved for the index, and ffmpeg decodes it without a complaint;
// Repair writes the index finishing would have, and seeking reads every
// packet after each seek. It failed before Repair wrote the index: the
// repaired file had none.
func TestKilledSegmentKeepsFree(t *testing.T) {
	rec := &Recorder{manual: true}
	s := newSynth(t, rec)
	s.feed(10 * 25) // 9 s or more written: scrubSeeks reach 7.7 s
	b, err := os.ReadFile(s.files()[0])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "cam", "cam_killed.mp4")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	top, err := readBoxes(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) < 4 || top[2].typ != "free" || len(top[2].body)+8 != sidxReserve(sidxRefs, 1) || top[3].typ != "prft" {
		t.Fatalf("an unfinished file's boxes after the moov are not the reservation and a part")
	}
	decode := func() {
		t.Helper()
		if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-i", file, "-f", "null", "-"); err != nil || stderr != "" {
			t.Errorf("ffmpeg decoding: %v %s", err, stderr)
		}
	}
	decode()
	if r, err := Repair(dir); err != nil || len(r) != 1 {
		t.Fatalf("repair: %v %v", r, err)
	}
	decode()
	checkSidxEnd(t, file, false)
	checkScrub(t, file)
}

// TestSidxWithAudio: a recording of H.264 and AAC from GStreamer's RTSP
// server has an index per track over the same parts; ffmpeg seeking into
// it starts at the keyframe before the target and decodes both tracks
// without a complaint. Without the audio's own index or with the audio at
// the keyframe's time in the part before it, it started a GOP early.
func TestSidxWithAudio(t *testing.T) {
	t.Parallel()
	clip := fftest.Make(t, filepath.Join(t.TempDir(), "clip.mp4"),
		"-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=30",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30",
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "50",
		"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k")
	file := recordURL(t, gstserver.StartWith(t, clip, "h264", true), 9*time.Second)
	idx := checkSidx(t, file)
	if len(idx.sizes) < 3 {
		t.Errorf("%d references for 9 s with a keyframe every 2 s", len(idx.sizes))
	}
	checkSeekAV(t, file)
}

// checkSeekAV seeks half a second past a file's third keyframe: ffmpeg
// starts reading at that keyframe and decodes both tracks cleanly.
func checkSeekAV(t *testing.T, file string) {
	t.Helper()
	// Seeking half a second past the third keyframe starts reading at it,
	// both tracks (ffmpeg seeks the audio to the keyframe's time, and
	// when that audio was in the part before, it loaded that part and
	// started the video a GOP early).
	var keys []float64
	all, stderr, err := fftest.Probe(t, time.Minute, "-select_streams", "v", "-show_packets", file)
	if err != nil {
		t.Fatalf("ffprobe: %v %s", err, stderr)
	}
	for _, p := range all.Packets {
		if len(p.Flags) > 0 && p.Flags[0] == 'K' {
			keys = append(keys, fftest.Seconds(p.PTSTime))
		}
	}
	if len(keys) < 4 {
		t.Fatalf("keyframes at %v, want 4 or more", keys)
	}
	at := keys[2] + 0.5
	r, stderr, err := fftest.Probe(t, time.Minute, "-read_intervals", fmt.Sprintf("%g%%+#2", at),
		"-select_streams", "v", "-show_packets", file)
	if err != nil || stderr != "" || len(r.Packets) == 0 {
		t.Fatalf("ffprobe seeking to %g: %v %s", at, err, stderr)
	}
	if got := fftest.Seconds(r.Packets[0].PTSTime); math.Abs(got-keys[2]) > 0.001 {
		t.Errorf("seeking to %.3f s starts at %.3f s, want the keyframe at %.3f s", at, got, keys[2])
	}
	if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-ss", fmt.Sprint(at), "-i", file,
		"-t", "2", "-f", "null", "-"); err != nil || stderr != "" {
		t.Errorf("ffmpeg seeking to %g s: %v %s", at, err, stderr)
	}
}

// feedAV records seconds of the demo clip with AAC audio (a sine encoded
// by ffmpeg) through a manual recorder, frames and audio interleaved as
// they would arrive, and returns the file.
func feedAV(t *testing.T, seconds int) string {
	t.Helper()
	return feedAVKilled(t, seconds, "")
}

// feedAVKilled is feedAV that, when killed is a path, first copies the
// file there as it is before the recorder finishes it (as a kill leaves
// it).
func feedAVKilled(t *testing.T, seconds int, killed string) string {
	t.Helper()
	aac := filepath.Join(t.TempDir(), "a.aac")
	if _, stderr, err := fftest.Run(t, time.Minute, "ffmpeg", "-v", "error", "-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate=48000:duration=10", "-c:a", "aac", "-b:a", "96k", "-f", "adts", aac); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, stderr)
	}
	raw, err := os.ReadFile(aac)
	if err != nil {
		t.Fatal(err)
	}
	var aus mpeg4audio.ADTSPackets
	if err := aus.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	cfg, err := (&mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 1}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	vt := &player.Track{Codec: player.CodecH264, ClockRate: 90000, SPS: clip.SPS, PPS: clip.PPS,
		Width: clip.Width, Height: clip.Height, FPS: clip.FPS()}
	at := &player.Track{Codec: player.CodecAAC, ClockRate: 48000, SampleRate: 48000, Channels: 1, AACConfig: cfg}
	rec := &Recorder{manual: true, Dir: t.TempDir(), Camera: "cam"}
	rec.OnStream([]*player.Track{vt, at})
	t0, k := time.Now(), 0
	for i := range seconds * 25 {
		fr := &clip.Frames[i%len(clip.Frames)]
		pts := fr.PTS + int64(i/len(clip.Frames))*clip.Duration
		rec.OnUnit(&player.Unit{Track: vt, Data: fr.NALUs, PTS: pts, Arrival: t0.Add(time.Duration(i) * time.Second / 25), Key: fr.Key})
		for ; int64(k)*1024*25 <= int64(i)*48000; k++ {
			rec.OnUnit(&player.Unit{Track: at, Data: [][]byte{aus[k%len(aus)].AU}, PTS: int64(k) * 1024,
				Arrival: t0.Add(time.Duration(k) * 1024 * time.Second / 48000)})
		}
	}
	m, _ := filepath.Glob(filepath.Join(rec.Dir, "cam", "*.mp4"))
	if killed != "" && len(m) == 1 {
		b, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(killed, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec.Close()
	m, _ = filepath.Glob(filepath.Join(rec.Dir, "cam", "*.mp4"))
	if len(m) != 1 {
		t.Fatalf("files %v, want one", m)
	}
	return m[0]
}

// TestSidxAudioSeek: a recording with audio fed as it arrives (the audio
// up to a keyframe's arrival pending when the keyframe cuts the part) has
// an index per track, and ffmpeg seeking into it starts at the keyframe
// before the target. It failed before the audio from the keyframe's
// decode time moved to the keyframe's part: ffmpeg loaded the part
// before for the audio and started a GOP early.
func TestSidxAudioSeek(t *testing.T) {
	file := feedAV(t, 12)
	checkSidx(t, file)
	checkSeekAV(t, file)
}

// scrubSeeks are seeks in one ffprobe run (one demuxer, as a player
// scrubbing) into a 10 s file with a keyframe every 2 s and parts of a
// second: into the first GOP's second part, which opening the file did
// not read; twice into one GOP before its second part was read; back
// after reading on from the start.
var scrubSeeks = []struct {
	at      float64
	packets int
}{{1.5, 30}, {6.2, 3}, {6.5, 30}, {0, 120}, {3.1, 30}, {1.7, 30}}

// checkScrub seeks in a file as scrubSeeks says: after each seek ffprobe
// reads the packets of the file, in order, from a keyframe at or before
// the target, none skipped and none twice.
func checkScrub(t *testing.T, file string) {
	t.Helper()
	all, stderr, err := fftest.Probe(t, time.Minute, "-select_streams", "v", "-show_packets", file)
	if err != nil {
		t.Fatalf("ffprobe: %v %s", err, stderr)
	}
	var intervals []string
	for _, s := range scrubSeeks {
		intervals = append(intervals, fmt.Sprintf("%g%%+#%d", s.at, s.packets))
	}
	r, stderr, err := fftest.Probe(t, time.Minute, "-read_intervals", strings.Join(intervals, ","),
		"-select_streams", "v", "-show_packets", file)
	if err != nil || stderr != "" {
		t.Fatalf("ffprobe seeking: %v %s", err, stderr)
	}
	got := r.Packets
	for _, s := range scrubSeeks {
		if len(got) < s.packets {
			t.Fatalf("seeking to %g s: %d packets, want %d", s.at, len(got), s.packets)
		}
		run := got[:s.packets]
		got = got[s.packets:]
		k := slices.IndexFunc(all.Packets, func(p fftest.Packet) bool { return *p.DTS == *run[0].DTS })
		if k < 0 || !strings.HasPrefix(run[0].Flags, "K") || fftest.Seconds(run[0].PTSTime) > s.at+0.001 {
			t.Fatalf("seeking to %g s starts at %s s (flags %s), want a keyframe at or before it", s.at, run[0].PTSTime, run[0].Flags)
		}
		for i, p := range run {
			if k+i >= len(all.Packets) || *p.DTS != *all.Packets[k+i].DTS {
				t.Fatalf("seeking to %g s: packet %d has DTS %s s, the file's next is %s s", s.at, i, p.DTSTime, all.Packets[min(k+i, len(all.Packets)-1)].DTSTime)
			}
		}
	}
}

// TestSidxScrub: seeking back and forth in a finished file, as a player
// scrubbing does, reads every packet after each seek. It failed before
// with one reference per GOP: FFmpeg 5.1 took the next reference it knew
// for the next moof after a GOP's first part, skipping a second of video
// (camdeck's playback showed the frame at 4 s for a seek to 3.03 s); and
// with a prft before every moof it read a part twice.
func TestSidxScrub(t *testing.T) {
	for _, c := range []struct {
		name string
		late func(i int) time.Duration
	}{
		{"parts on keyframes", nil},
		{"parts mid-GOP", func(i int) time.Duration { return time.Duration(min(i, 10)/10) * 200 * time.Millisecond }},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &Recorder{manual: true}
			s := newSynth(t, rec)
			s.late = c.late
			s.feed(10 * 25)
			rec.Close()
			checkSidx(t, s.files()[0])
			checkScrub(t, s.files()[0])
		})
	}
}

// TestRepairSidxAudio: Repair writes both tracks' indexes into a killed
// recording with audio, and ffmpeg seeking into it starts at the keyframe
// before the target. It failed before Repair wrote the index.
func TestRepairSidxAudio(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cam", "cam_killed.mp4")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	feedAVKilled(t, 12, file)
	if r, err := Repair(dir); err != nil || len(r) != 1 {
		t.Fatalf("repair: %v %v", r, err)
	}
	checkSidxEnd(t, file, false)
	checkSeekAV(t, file)
}
