package main

import (
	"math"
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
			s := summarize(c.in)
			if s.Med != c.med || s.Min != c.min || s.Max != c.max || s.N != c.n {
				t.Fatalf("summarize(%v) = %+v", c.in, s)
			}
		})
	}
	if s := summarize([]float64{math.NaN()}); s.ok() || s.format("%.1f", "ms") != "n/a" {
		t.Fatalf("all runs failed: %+v", s)
	}
}

func TestRatios(t *testing.T) {
	r := ratios([]float64{2, 3, math.NaN()}, []float64{4, 0, 1})
	if r[0] != 0.5 || !math.IsNaN(r[1]) || !math.IsNaN(r[2]) {
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

func TestReadBarcode(t *testing.T) {
	w := barcodeBits * barcodeCell
	for _, n := range []int{0, 1, 37, 599, 1<<barcodeBits - 1} {
		frame := make([]byte, w*barcodeH)
		for y := range barcodeH {
			for x := range w {
				if n>>(x/barcodeCell)&1 == 1 {
					frame[y*w+x] = 235
				} else {
					frame[y*w+x] = 16
				}
			}
		}
		if got := readBarcode(frame, w); got != n {
			t.Errorf("readBarcode = %d, want %d", got, n)
		}
	}
}

func TestBarcodeDelays(t *testing.T) {
	w := barcodeBits * barcodeCell
	code := func(n int) []byte {
		f := make([]byte, w*barcodeH)
		for x := range w {
			if n>>(x/barcodeCell)&1 == 1 {
				f[(barcodeH/2)*w+x] = 255
			}
		}
		return f
	}
	// Frames 5, 5, 6 grabbed at 1.000 s, 1.005 s, 1.010 s; frame 5 arrived
	// at 0.980 s (and 20 s earlier, in the previous loop), 6 at 0.990 s.
	pix := append(append(code(5), code(5)...), code(6)...)
	stamps := []int64{1_000_000, 1_005_000, 1_010_000}
	arr := []arrival{{5, -19_020_000_000}, {5, 980_000_000}, {6, 990_000_000}}
	d := barcodeDelays(pix, w, stamps, arr)
	if len(d) != 2 || d[0] != 20 || d[1] != 20 {
		t.Fatalf("delays = %v, want [20 20]", d)
	}
}

func TestFFmpegFrames(t *testing.T) {
	n, err := ffmpegFrames("frame=  12 fps=0.0\rframe=  315 fps= 32 q=-0.0 size=N/A\n")
	if err != nil || n != 315 {
		t.Fatalf("ffmpegFrames = %d, %v", n, err)
	}
	if _, err := ffmpegFrames("nothing"); err == nil {
		t.Fatal("no frame count: want an error")
	}
}
