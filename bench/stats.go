package main

import (
	"fmt"
	"math"
	"sort"
)

// summary is the median of a set of runs with its range.
type summary struct {
	Med, Min, Max float64
	N             int
}

// summarize takes the median, minimum and maximum of xs; NaN values (a
// failed run) are left out.
func summarize(xs []float64) summary {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return summary{Med: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	sort.Float64s(v)
	n := len(v)
	med := v[n/2]
	if n%2 == 0 {
		med = (v[n/2-1] + v[n/2]) / 2
	}
	return summary{Med: med, Min: v[0], Max: v[n-1], N: n}
}

// ok tells whether at least one run succeeded.
func (s summary) ok() bool { return s.N > 0 }

// format renders "med (min-max) unit" with the given verb for numbers.
func (s summary) format(verb, unit string) string {
	if !s.ok() {
		return "n/a"
	}
	f := func(x float64) string { return fmt.Sprintf(verb, x) }
	if unit != "" {
		unit = " " + unit
	}
	if s.N == 1 || s.Min == s.Max {
		return f(s.Med) + unit
	}
	return fmt.Sprintf("%s%s (%s–%s)", f(s.Med), unit, f(s.Min), f(s.Max))
}

// ratios divides a by b run by run (runs of the same trial, taken back to
// back), leaving NaN where either failed.
func ratios(a, b []float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		if b[i] == 0 || math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			out[i] = math.NaN()
			continue
		}
		out[i] = a[i] / b[i]
	}
	return out
}

// nan is the value of a failed run.
func nan() float64 { return math.NaN() }

// scaled multiplies every value by k.
func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}
