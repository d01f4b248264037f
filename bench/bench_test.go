package main

import (
	"math"
	"reflect"
	"testing"
)

func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		name          string
		in            []float64
		med, min, max float64
		n             int
	}{
		{"odd", []float64{3, 1, 2}, 2, 1, 3, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5, 1, 4, 4},
		{"failed runs left out", []float64{math.NaN(), 5, 7, math.NaN()}, 6, 5, 7, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if s := summarize(c.in); s.Med != c.med || s.Min != c.min || s.Max != c.max || s.N != c.n {
				t.Fatalf("summarize(%v) = %+v", c.in, s)
			}
		})
	}
	if s := summarize([]float64{math.NaN()}); s.ok() || s.format("%.1f", "ms") != "n/a" {
		t.Fatalf("all runs failed: %+v", s)
	}
	if r := ratios([]float64{2, 3, math.NaN()}, []float64{4, 0, 1}); r[0] != 0.5 || !math.IsNaN(r[1]) || !math.IsNaN(r[2]) {
		t.Fatalf("ratios = %v", r)
	}
}

func TestSortRows(t *testing.T) {
	rows := []row{{Metric: "7. gui"}, {Metric: "decode"}, {Metric: "3d. ffplay"}, {Metric: "10. later"}, {Metric: "3a. p50"}, {Metric: "1b. tile"}}
	sortRows(rows)
	want := []string{"1b. tile", "3a. p50", "3d. ffplay", "7. gui", "10. later", "decode"}
	for i, r := range rows {
		if r.Metric != want[i] {
			t.Fatalf("row %d is %q, want %q", i, r.Metric, want[i])
		}
	}
}

// TestOnly selects parts by name and by figure number.
func TestOnly(t *testing.T) {
	for only, want := range map[string][]string{
		"":          {"decode", "live", "first", "record", "ffplay", "gui", "library", "seek", "motion", "micro"},
		"1,9":       {"decode", "seek"},
		"10":        {"motion"},
		"3d":        {"ffplay"},
		"3,library": {"live", "ffplay", "library"},
		"6":         {"live", "record"},
	} {
		c, err := parseConfig([]string{"-only", only})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range parts {
			if c.wants(p) {
				got = append(got, p.name)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("-only %q runs %v, want %v", only, got, want)
		}
	}
	if _, err := parseConfig([]string{"-only", "12"}); err == nil {
		t.Error("-only 12: no error")
	}
}

func TestParseBench(t *testing.T) {
	out := "goos: linux\nBenchmarkTimeline-2   \t      30\t  41234567 ns/op\n" +
		"BenchmarkExportHour-2 1 13548978193 ns/op 5386 export-ms 8162 ffmpeg-ms 0.6600 ratio\n" +
		"BenchmarkDecodeClip/640x360-2 1 5 ns/op 600.0 frames/op\nBenchmarkTimeline-2 30 39000000 ns/op\nPASS\n"
	r := parseBench(out)
	if got := metric(r["BenchmarkTimeline"], "ns/op", 1e-6); len(got) != 2 || got[0] != 41.234567 || got[1] != 39 {
		t.Errorf("timeline = %v", got)
	}
	if e := r["BenchmarkExportHour"]; len(e) != 1 || e[0]["ratio"] != 0.66 || e[0]["ffmpeg-ms"] != 8162 {
		t.Errorf("export = %v", e)
	}
	if d := metric(r["BenchmarkDecodeClip/640x360"], "frames/op", 1); len(d) != 1 || d[0] != 600 {
		t.Errorf("decode = %v", d)
	}
}

func TestBarcodeDelays(t *testing.T) {
	w := barcodeBits * barcodeCell
	code := func(n int) []byte {
		f := make([]byte, w*barcodeH)
		for x := range w {
			if n>>(x/barcodeCell)&1 == 1 {
				f[(barcodeH/2)*w+x] = 235
			}
		}
		return f
	}
	for _, n := range []int{0, 1, 37, 599, 1<<barcodeBits - 1} {
		if got := readBarcode(code(n), w); got != n {
			t.Errorf("readBarcode = %d, want %d", got, n)
		}
	}
	// Frames 5, 5, 6 grabbed at 1.000 s, 1.005 s, 1.010 s; frame 5 arrived
	// at 0.980 s (and 20 s earlier, in the previous loop), 6 at 0.990 s.
	pix := append(append(code(5), code(5)...), code(6)...)
	arr := parseArrivals([]string{"5 -19020000000", "5 980000000", "6 990000000", "ready", "7 1 2"})
	d := barcodeDelays(pix, w, []int64{1_000_000, 1_005_000, 1_010_000}, arr)
	if len(d) != 2 || d[0] != 20 || d[1] != 20 {
		t.Fatalf("delays = %v, want [20 20]", d)
	}
}

func TestFFmpegFrames(t *testing.T) {
	if n, err := ffmpegFrames("frame=  12 fps=0.0\rframe=  315 fps= 32 q=-0.0 size=N/A\n"); err != nil || n != 315 {
		t.Fatalf("ffmpegFrames = %d, %v", n, err)
	}
	if _, err := ffmpegFrames("nothing"); err == nil {
		t.Fatal("no frame count: want an error")
	}
}
