package main

import (
	"fmt"
	"math"
	"os/exec"
	"sort"
	"strconv"
	"strings"
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
	return summary{Med: (v[(n-1)/2] + v[n/2]) / 2, Min: v[0], Max: v[n-1], N: n}
}

func (s summary) ok() bool { return s.N > 0 }

// format renders "med unit (min–max)" with verb for the numbers.
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

// ratios divides a by b run by run (the two sides of one trial), NaN
// where either failed.
func ratios(a, b []float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		out[i] = a[i] / b[i]
		if b[i] == 0 || math.IsNaN(out[i]) {
			out[i] = math.NaN()
		}
	}
	return out
}

// nan is the value of a failed run.
func nan() float64 { return math.NaN() }

func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

// row is one line of the results table.
type row struct{ Metric, Camdeck, Reference, Ratio, Goal string }

// goal renders a goal with its verdict.
func goal(text string, ok bool) string {
	if ok {
		return text + ": met"
	}
	return text + ": **missed**"
}

// missing tells whether one of the tools a figure needs is not
// installed; if so, the figure's row says which.
func (b *bench) missing(metric string, tools ...string) bool {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			b.rows = append(b.rows, row{Metric: metric, Camdeck: "pending", Goal: "pending: " + tool + " is not installed"})
			return true
		}
	}
	return false
}

// figure splits a metric's leading label ("3d.") into its number and
// letter; rows without one sort last.
func figure(metric string) (int, string) {
	label, _, _ := strings.Cut(metric, " ")
	i := strings.IndexFunc(label, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		i = len(label)
	}
	n, err := strconv.Atoi(label[:i])
	if err != nil {
		return 1 << 30, metric
	}
	return n, label[i:]
}

// sortRows puts rows in the order of their figure numbers ("3d." after
// "3c."), whichever part measured them first.
func sortRows(rows []row) {
	sort.SliceStable(rows, func(i, j int) bool {
		ni, si := figure(rows[i].Metric)
		nj, sj := figure(rows[j].Metric)
		return ni < nj || ni == nj && si < sj
	})
}

// markdown renders rows as a Markdown table.
func markdown(rows []row) string {
	var b strings.Builder
	b.WriteString("| metric | camdeck | reference | ratio | goal |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		b.WriteString("|")
		for _, s := range []string{r.Metric, r.Camdeck, r.Reference, r.Ratio, r.Goal} {
			if s == "" {
				s = "–"
			}
			b.WriteString(" " + strings.ReplaceAll(s, "|", `\|`) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}
