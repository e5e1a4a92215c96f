package calendar

import (
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Override changes one day against the published holiday data: a holiday or a
// make-up working day from a State Council notice newer than lunar-go.
type Override struct {
	Date Date   `json:"date" yaml:"date"`
	Work bool   `json:"work" yaml:"work"` // true: a working day; false: a day off
	Name string `json:"name" yaml:"name"` // e.g. 春节, 春节调休
}

// Day describes one date of the calendar, for pages that show why a day is off.
type Day struct {
	Date   Date
	Work   bool
	Name   string // holiday name, "" for an ordinary weekday or weekend
	Source string // "override", "holiday" (lunar-go) or "week" (ordinary weekday/weekend)
}

type holiday struct {
	work bool
	name string
}

// Calendar answers working-day questions. It is an immutable value: WithOverrides
// returns a new Calendar, so one can be swapped atomically while others read it.
type Calendar struct {
	overrides map[Date]Override
	index     *yearIndex // running counts of working days (workdays_index.go)
}

// New returns the calendar of lunar-go's holidays with the given overrides; a later
// override of the same date wins.
func New(overrides ...Override) *Calendar {
	return (&Calendar{}).WithOverrides(overrides)
}

// WithOverrides returns a calendar with the same holiday data and exactly the given
// overrides (they replace the receiver's overrides: the admin table is the whole set).
func (c *Calendar) WithOverrides(overrides []Override) *Calendar {
	m := make(map[Date]Override, len(overrides))
	for _, o := range overrides {
		m[o.Date] = o
	}
	return &Calendar{overrides: m, index: &yearIndex{years: map[int]*yearCounts{}}}
}

// Overrides returns the overrides sorted by date.
func (c *Calendar) Overrides() []Override {
	out := make([]Override, 0, len(c.overrides))
	for _, o := range c.overrides {
		out = append(out, o)
	}
	sortOverrides(out)
	return out
}

// Describe tells whether d is a working day and why.
func (c *Calendar) Describe(d Date) Day {
	if o, ok := c.overrides[d]; ok {
		return Day{Date: d, Work: o.Work, Name: o.Name, Source: "override"}
	}
	if h, ok := holidays()[d]; ok {
		return Day{Date: d, Work: h.work, Name: h.name, Source: "holiday"}
	}
	wd := d.Weekday()
	return Day{Date: d, Work: wd != time.Saturday && wd != time.Sunday, Source: "week"}
}

// IsWorkday reports whether d is a working day: Monday to Friday unless a public
// holiday, Saturday and Sunday only when a 调休 make-up working day.
func (c *Calendar) IsWorkday(d Date) bool { return c.Describe(d).Work }

// HasYear reports whether holiday data (lunar-go or overrides) exists for year; without
// it the calendar knows only weekends, and a page should warn the admin.
func (c *Calendar) HasYear(year int) bool {
	for d := range c.overrides {
		if d.Year == year {
			return true
		}
	}
	return holidayYears()[year]
}

var (
	holidaysOnce sync.Once
	holidayData  map[Date]holiday
	holidayYear  map[int]bool
)

// holidays is a snapshot of lunar-go's table taken once: its package state can be
// changed by HolidayUtil.Fix, and scanning its string on every call would be slow.
func holidays() map[Date]holiday {
	holidaysOnce.Do(loadHolidays)
	return holidayData
}

func holidayYears() map[int]bool {
	holidaysOnce.Do(loadHolidays)
	return holidayYear
}

// lunar-go's data starts at 2001-12-29; the upper bound is far beyond its last year.
const firstDataYear, lastDataYear = 2001, 2100

func loadHolidays() {
	holidayData = map[Date]holiday{}
	holidayYear = map[int]bool{}
	for y := firstDataYear; y <= lastDataYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			d, err := ParseDate(h.GetDay())
			if err != nil {
				continue // lunar-go's table is well-formed; never seen
			}
			holidayData[d] = holiday{work: h.IsWork(), name: h.GetName()}
			holidayYear[d.Year] = true
		}
	}
}
