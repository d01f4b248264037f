package gui

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/widget"

	camdeck "github.com/camdeck/camdeck/app"
)

// retentionFields are the editor's rows of what is kept: the camera's
// keep_days, and the limits of the profile file's retention, which bound
// all cameras together (the editor of any camera edits them).
type retentionFields struct {
	keepDays, maxGB, minFree *formEntry
}

// newRetentionFields fills the rows from the camera's profile and the
// store's limits.
func (e *editor) newRetentionFields(p camdeck.Profile, lim camdeck.Retention) retentionFields {
	return retentionFields{
		keepDays: e.newEntry(strconv.Itoa(p.KeepDays), "0 keeps them", daysValidator, false, false),
		maxGB:    e.newEntry(gbText(lim.MaxGB), "0: no limit", gbValidator, false, false),
		minFree:  e.newEntry(gbText(lim.MinFreeGB), "0: no limit", gbValidator, false, false),
	}
}

// items are the form's rows.
func (r retentionFields) items() []*widget.FormItem {
	return []*widget.FormItem{
		withHint(widget.NewFormItem("Keep days", r.keepDays), "This camera's recordings older than this are deleted"),
		withHint(widget.NewFormItem("At most (GB)", r.maxGB), "All cameras' recordings together; the oldest go first"),
		withHint(widget.NewFormItem("Keep free (GB)", r.minFree), "On the recordings' disk, for all cameras"),
	}
}

// read returns the camera's keep_days and the limits for all cameras;
// the error is the first field in error.
func (r retentionFields) read() (int, camdeck.Retention, error) {
	for _, en := range []*formEntry{r.keepDays, r.maxGB, r.minFree} {
		if err := en.Validate(); err != nil {
			return 0, camdeck.Retention{}, err
		}
	}
	days, _ := strconv.Atoi(strings.TrimSpace(r.keepDays.Text))
	maxGB, _ := parseGB(r.maxGB.Text)
	minFree, _ := parseGB(r.minFree.Text)
	return days, camdeck.Retention{MaxGB: maxGB, MinFreeGB: minFree}, nil
}

func gbText(gb float64) string { return strconv.FormatFloat(gb, 'f', -1, 64) }

// parseGB reads a size in GB: a number, 0 or more; empty is 0.
func parseGB(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("a number of GB, like 500 or 2.5")
	}
	if f < 0 {
		return 0, errors.New("cannot be negative")
	}
	return f, nil
}

func gbValidator(s string) error {
	_, err := parseGB(s)
	return err
}

func daysValidator(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return errors.New("a whole number of days")
	case n < 0:
		return errors.New("cannot be negative")
	}
	return nil
}
