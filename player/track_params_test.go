package player

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"

	"github.com/camdeck/camdeck/internal/democam"
)

// The streams in testdata/params are three frames (keyframe, P, keyframe)
// of libx264 and libx265 with an access unit delimiter before every frame
// and the parameter sets before every keyframe, made by:
//
//	ffmpeg -f lavfi -i color=c=teal:size=320x240:rate=25 -frames:v 3 -c:v libx264 \
//	  -preset ultrafast -threads 1 -g 2 -bf 0 -x264-params aud=1 -bitexact -f h264 h264_320x240.h264
//	ffmpeg -f lavfi -i color=c=teal:size=WxH:rate=25 -frames:v 3 -c:v libx265 -preset ultrafast \
//	  -x265-params log-level=error:aud=1:keyint=2:bframes=0:pools=1:frame-threads=1:info=0 \
//	  -bitexact -f hevc h265_WxH.h265

// paramStream is a testdata stream split into access units (each begins
// with its delimiter) and its parameter sets.
type paramStream struct {
	aus           [][][]byte
	vps, sps, pps []byte
}

func readParamStream(t *testing.T, name string) paramStream {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "params", name))
	if err != nil {
		t.Fatal(err)
	}
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	h265 := filepath.Ext(name) == ".h265"
	var s paramStream
	for _, n := range nalus {
		typ := int(n[0] & 0x1f)
		if h265 {
			typ = int(n[0]>>1) & 0x3f
		}
		switch {
		case !h265 && typ == 9 || h265 && typ == 35:
			s.aus = append(s.aus, nil)
		case h265 && typ == 32:
			s.vps = n
		case !h265 && typ == 7 || h265 && typ == 33:
			s.sps = n
		case !h265 && typ == 8 || h265 && typ == 34:
			s.pps = n
		}
		s.aus[len(s.aus)-1] = append(s.aus[len(s.aus)-1], n)
	}
	if len(s.aus) != 3 || s.sps == nil || s.pps == nil || h265 && s.vps == nil {
		t.Fatalf("%s: %d units, parameter sets %v %v %v", name, len(s.aus), s.vps != nil, s.sps != nil, s.pps != nil)
	}
	return s
}

// without returns au without its NAL units of the given types.
func without(au [][]byte, h265 bool, types ...int) [][]byte {
	var out [][]byte
next:
	for _, n := range au {
		typ := int(n[0] & 0x1f)
		if h265 {
			typ = int(n[0]>>1) & 0x3f
		}
		for _, t := range types {
			if typ == t {
				continue next
			}
		}
		out = append(out, n)
	}
	return out
}

// depacketizeUnits sends access units through gortsplib's RTP encoder for
// f and the session's depacketizer for f, and returns the units made.
func depacketizeUnits(t *testing.T, f format.Format, aus [][][]byte) (*Track, []*Unit) {
	t.Helper()
	d, err := newTrack(f)
	if err != nil {
		t.Fatal(err)
	}
	var enc interface {
		Encode([][]byte) ([]*rtp.Packet, error)
	}
	switch f := f.(type) {
	case *format.H264:
		enc, err = f.CreateEncoder()
	case *format.H265:
		enc, err = f.CreateEncoder()
	}
	if err != nil {
		t.Fatal(err)
	}
	var units []*Unit
	for i, au := range aus {
		pkts, err := enc.Encode(au)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkts {
			p.Timestamp = uint32(i * 3600)
			u, err := d.push(p, int64(p.Timestamp))
			if err != nil {
				t.Fatalf("unit %d: %v", i, err)
			}
			if u != nil {
				units = append(units, u)
			}
		}
	}
	return d.track, units
}

// sameNALUs tells whether two units hold the same NAL units in order.
func sameNALUs(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func checkParams(t *testing.T, tr *Track, vps, sps, pps []byte) {
	t.Helper()
	gv, gs, gp := tr.Params()
	if !bytes.Equal(gv, vps) || !bytes.Equal(gs, sps) || !bytes.Equal(gp, pps) {
		t.Fatalf("track parameter sets %x %x %x, want %x %x %x", gv, gs, gp, vps, sps, pps)
	}
}

func checkUnits(t *testing.T, got []*Unit, want [][][]byte, keys ...bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d units, want %d", len(got), len(want))
	}
	for i, u := range got {
		if !sameNALUs(u.Data, want[i]) {
			t.Errorf("unit %d: %d NAL units, want %d: %x", i, len(u.Data), len(want[i]), u.Data)
		}
		if u.Key != keys[i] {
			t.Errorf("unit %d: key %v, want %v", i, u.Key, keys[i])
		}
	}
}

// TestNormalizeH264SDP: a camera that sends its parameter sets only in
// the SDP (the demo clip's frames carry none): every keyframe unit begins
// with them, the other units are as sent.
func TestNormalizeH264SDP(t *testing.T) {
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	frames := clip.Frames[:30]
	var aus, want [][][]byte
	var keys []bool
	for _, fr := range frames {
		aus = append(aus, fr.NALUs)
		want, keys = append(want, clip.WithParams(&fr)), append(keys, fr.Key)
	}
	if !keys[0] {
		t.Fatal("the clip does not start with a keyframe")
	}
	tr, units := depacketizeUnits(t, &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS}, aus)
	checkUnits(t, units, want, keys...)
	checkParams(t, tr, nil, clip.SPS, clip.PPS)
}

// TestNormalizeH264InBand: libx264 with delimiters and in-band parameter
// sets, an SDP without any, and the second keyframe sent without its
// parameter sets: the delimiters are gone, both keyframes begin with SPS
// and PPS, the P-frame holds its slice alone, and the track learns them.
func TestNormalizeH264InBand(t *testing.T) {
	s := readParamStream(t, "h264_320x240.h264")
	aus := [][][]byte{s.aus[0], s.aus[1], without(s.aus[2], false, 7, 8)}
	want := [][][]byte{
		append([][]byte{s.sps, s.pps}, without(s.aus[0], false, 9, 7, 8)...), // SPS, PPS, SEI, IDR
		without(s.aus[1], false, 9),
		append([][]byte{s.sps, s.pps}, without(s.aus[2], false, 9, 7, 8)...),
	}
	if len(want[0]) != 4 || len(want[1]) != 1 || len(want[2]) != 3 {
		t.Fatalf("unexpected test stream: %d %d %d NAL units", len(want[0]), len(want[1]), len(want[2]))
	}
	tr, units := depacketizeUnits(t, &format.H264{PayloadTyp: 96, PacketizationMode: 1}, aus)
	checkUnits(t, units, want, true, false, true)
	checkParams(t, tr, nil, s.sps, s.pps)
	if tr.SPS != nil {
		t.Fatal("the SDP's parameter sets changed")
	}
}

// TestNormalizeH264Change: the SDP announces the 720p demo clip, the
// camera sends 320x240 with its parameter sets in-band, then a keyframe
// without them: the new ones replace the SDP's on the track and in front
// of both keyframes; the SDP's fields stay as announced.
func TestNormalizeH264Change(t *testing.T) {
	clip, err := democam.DefaultClip()
	if err != nil {
		t.Fatal(err)
	}
	s := readParamStream(t, "h264_320x240.h264")
	if bytes.Equal(s.sps, clip.SPS) {
		t.Fatal("the two streams share an SPS")
	}
	aus := [][][]byte{clip.Frames[0].NALUs, s.aus[0], s.aus[1], without(s.aus[2], false, 7, 8)}
	want := [][][]byte{
		append([][]byte{clip.SPS, clip.PPS}, clip.Frames[0].NALUs...),
		append([][]byte{s.sps, s.pps}, without(s.aus[0], false, 9, 7, 8)...),
		without(s.aus[1], false, 9),
		append([][]byte{s.sps, s.pps}, without(s.aus[2], false, 9, 7, 8)...),
	}
	tr, units := depacketizeUnits(t, &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: clip.SPS, PPS: clip.PPS}, aus)
	checkUnits(t, units, want, true, true, false, true)
	checkParams(t, tr, nil, s.sps, s.pps)
	if !bytes.Equal(tr.SPS, clip.SPS) || tr.Width != clip.Width {
		t.Fatalf("the SDP's track changed: %s", tr)
	}
}

// TestNormalizeH265: libx265 at 320x240, then at 160x120, with
// delimiters and in-band VPS, SPS and PPS, the last keyframe sent without
// them: delimiters are gone, every keyframe begins with the VPS, SPS and
// PPS current when it came, and the track follows the change.
func TestNormalizeH265(t *testing.T) {
	a := readParamStream(t, "h265_320x240.h265")
	b := readParamStream(t, "h265_160x120.h265")
	if bytes.Equal(a.sps, b.sps) {
		t.Fatal("the two streams share an SPS")
	}
	const aud, vps, sps, pps = 35, 32, 33, 34
	aus := [][][]byte{a.aus[0], a.aus[1], b.aus[0], b.aus[1], without(b.aus[2], true, vps, sps, pps)}
	want := [][][]byte{
		append([][]byte{a.vps, a.sps, a.pps}, without(a.aus[0], true, aud, vps, sps, pps)...),
		without(a.aus[1], true, aud),
		append([][]byte{b.vps, b.sps, b.pps}, without(b.aus[0], true, aud, vps, sps, pps)...),
		without(b.aus[1], true, aud),
		append([][]byte{b.vps, b.sps, b.pps}, without(b.aus[2], true, aud, vps, sps, pps)...),
	}
	if len(want[0]) != 4 || len(want[1]) != 1 {
		t.Fatalf("unexpected test stream: %d %d NAL units", len(want[0]), len(want[1]))
	}
	tr, units := depacketizeUnits(t, &format.H265{PayloadTyp: 96}, aus[:2])
	checkUnits(t, units, want[:2], true, false)
	checkParams(t, tr, a.vps, a.sps, a.pps)

	tr, units = depacketizeUnits(t, &format.H265{PayloadTyp: 96, VPS: a.vps, SPS: a.sps, PPS: a.pps}, aus)
	checkUnits(t, units, want, true, false, true, false, true)
	checkParams(t, tr, b.vps, b.sps, b.pps)
}

// TestNormalizeDropsEmpty: a unit of a delimiter and parameter sets alone
// (a camera that sends them in an RTP time of their own) makes no unit,
// but its parameter sets reach the next keyframe.
func TestNormalizeDropsEmpty(t *testing.T) {
	s := readParamStream(t, "h264_320x240.h264")
	aus := [][][]byte{{s.aus[0][0], s.sps, s.pps}, without(s.aus[0], false, 9, 7, 8)}
	tr, units := depacketizeUnits(t, &format.H264{PayloadTyp: 96, PacketizationMode: 1}, aus)
	checkUnits(t, units, [][][]byte{append([][]byte{s.sps, s.pps}, aus[1]...)}, true)
	checkParams(t, tr, nil, s.sps, s.pps)
}
