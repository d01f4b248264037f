package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// row is one line of the results table.
type row struct {
	Metric    string
	Camdeck   string
	Reference string
	Ratio     string
	Goal      string
}

// verdict words for the goal column.
const (
	met     = "met"
	missed  = "**missed**"
	pending = "pending"
)

// goal renders a goal with its verdict.
func goal(text string, ok bool) string {
	if ok {
		return text + ": " + met
	}
	return text + ": " + missed
}

// sortRows puts rows in the order of their figure numbers ("3d." after
// "3c."), whichever part measured them first; rows without one go last.
func sortRows(rows []row) {
	key := func(r row) (int, string) {
		label, _, _ := strings.Cut(r.Metric, " ")
		i := 0
		for i < len(label) && label[i] >= '0' && label[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(label[:i])
		if err != nil {
			return 1 << 30, r.Metric
		}
		return n, label[i:]
	}
	sort.SliceStable(rows, func(i, j int) bool {
		ni, si := key(rows[i])
		nj, sj := key(rows[j])
		if ni != nj {
			return ni < nj
		}
		return si < sj
	})
}

// markdown renders rows as a Markdown table.
func markdown(rows []row) string {
	var b strings.Builder
	b.WriteString("| metric | camdeck | reference | ratio | goal |\n")
	b.WriteString("|---|---|---|---|---|\n")
	esc := func(s string) string {
		if s == "" {
			return "–"
		}
		return strings.ReplaceAll(s, "|", `\|`)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n",
			esc(r.Metric), esc(r.Camdeck), esc(r.Reference), esc(r.Ratio), esc(r.Goal))
	}
	return b.String()
}
