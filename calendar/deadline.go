package calendar

import (
	"fmt"
	"time"
)

// Kind is the kind of annual report, which fixes its statutory deadline.
type Kind string

const (
	// KindAgency is a department's own report: submitted and published 1月31日前
	// of the next year (Art. 49, format.md §1.1).
	KindAgency Kind = "agency"
	// KindGovernment is the 本级政府 report compiled by the supervising office:
	// published 3月31日前 of the next year.
	KindGovernment Kind = "government"
)

// ParseKind accepts "agency" and "government".
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case KindAgency, KindGovernment:
		return k, nil
	}
	return "", fmt.Errorf("calendar: unknown report kind %q", s)
}

// Deadline is the statutory deadline of the report for year: 31 January (agency) or
// 31 March (government) of year+1; the zero Date for an unknown kind.
//
// The law says "前" and names a calendar date, so the deadline stays that date even
// when it is a day off (the 2021 reports: 2022-01-31 was Spring Festival). Working
// days left are counted to it (see WorkdaysLeft), which makes the last working day
// before it (2022-01-30, a 调休 Sunday) the day on which none are left.
func Deadline(kind Kind, year int) Date {
	switch kind {
	case KindAgency:
		return Date{Year: year + 1, Month: time.January, Day: 31}
	case KindGovernment:
		return Date{Year: year + 1, Month: time.March, Day: 31}
	}
	return Date{}
}

// MonthDay is a date that recurs every year, e.g. the internal submission date 01-26.
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay parses MM-DD.
func ParseMonthDay(s string) (MonthDay, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return MonthDay{}, fmt.Errorf("calendar: parse month-day %q: %w", s, err)
	}
	return MonthDay{Month: t.Month(), Day: t.Day()}, nil
}

// String formats md as MM-DD.
func (md MonthDay) String() string { return fmt.Sprintf("%02d-%02d", md.Month, md.Day) }

// In returns md in year.
func (md MonthDay) In(year int) Date { return Date{Year: year, Month: md.Month, Day: md.Day} }

// MarshalText formats md as MM-DD.
func (md MonthDay) MarshalText() ([]byte, error) { return []byte(md.String()), nil }

// UnmarshalText parses MM-DD.
func (md *MonthDay) UnmarshalText(b []byte) error {
	p, err := ParseMonthDay(string(b))
	if err != nil {
		return err
	}
	*md = p
	return nil
}

// StepTarget asks for a step to be done a number of working days before the
// submission date, e.g. {"审核完成", 5}.
type StepTarget struct {
	Name           string `json:"name" yaml:"name"`
	WorkdaysBefore int    `json:"workdays_before" yaml:"workdays_before"`
}

// Plan is a region's setting: an internal submission date earlier than the
// statutory one (nil: none) and step targets planned backwards from it.
type Plan struct {
	InternalSubmit *MonthDay    `json:"internal_submit,omitempty" yaml:"internal_submit,omitempty"`
	Targets        []StepTarget `json:"targets" yaml:"targets"`
}

// StepDate is a step target resolved to a date.
type StepDate struct {
	Name string
	Date Date
}

// Timeline is the set of dates of one report.
type Timeline struct {
	Statutory Date       // Deadline(kind, year)
	Submit    Date       // the internal submission date, or Statutory without one
	Steps     []StepDate // in the order of Plan.Targets
}

// Timeline resolves p for a report of kind and year. The internal date applies to
// agency reports only and lies in year+1 like the statutory one. Each step date is WorkdaysBefore working days before
// the submission date (so WorkdaysLeft(step, Submit) == WorkdaysBefore); 0 means the
// last working day on or before it.
func (c *Calendar) Timeline(p Plan, kind Kind, year int) Timeline {
	tl := Timeline{Statutory: Deadline(kind, year)}
	tl.Submit = tl.Statutory
	if p.InternalSubmit != nil && kind == KindAgency {
		tl.Submit = p.InternalSubmit.In(year + 1)
	}
	for _, t := range p.Targets {
		d := c.AddWorkdays(c.LastWorkdayOnOrBefore(tl.Submit), -t.WorkdaysBefore)
		tl.Steps = append(tl.Steps, StepDate{Name: t.Name, Date: d})
	}
	return tl
}
