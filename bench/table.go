package main

import (
	"fmt"
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
