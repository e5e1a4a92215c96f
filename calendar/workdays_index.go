package calendar

import (
	"sync"
	"time"
)

// yearIndex holds, per year, the running count of working days, so that counting the
// working days between two dates is a subtraction instead of a walk with a holiday
// lookup per day (WorkdaysLeft runs for every report in every answer and list). A
// Calendar never changes, so a year's counts, once computed, stay right; they are
// computed on first use, once per Calendar and year.
type yearIndex struct {
	mu    sync.RWMutex
	years map[int]*yearCounts
}

// yearCounts[i] is the number of working days among the first i days of the year
// (yearCounts[0] = 0; the last entry is the year's total).
type yearCounts []uint16

// dayOfYear is d's day of the year, 1 on January 1st.
func dayOfYear(d Date) int {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).YearDay()
}

// counts returns year's running counts, computing them on first use.
func (c *Calendar) counts(year int) yearCounts {
	c.index.mu.RLock()
	yc, ok := c.index.years[year]
	c.index.mu.RUnlock()
	if ok {
		return *yc
	}
	first := Date{Year: year, Month: time.January, Day: 1}
	days := dayOfYear(Date{Year: year, Month: time.December, Day: 31})
	built := make(yearCounts, days+1)
	for i, d := 1, first; i <= days; i, d = i+1, d.AddDays(1) {
		built[i] = built[i-1]
		if c.IsWorkday(d) {
			built[i]++
		}
	}
	c.index.mu.Lock()
	defer c.index.mu.Unlock()
	if yc, ok := c.index.years[year]; ok {
		return *yc // another caller built the same counts first
	}
	c.index.years[year] = &built
	return built
}

// workdaysThrough is the number of working days d' with Jan 1 of d's year ≤ d' ≤ d.
func (c *Calendar) workdaysThrough(d Date) int {
	return int(c.counts(d.Year)[dayOfYear(d)])
}

// countBetween counts the working days d with from < d ≤ to, for from ≤ to, from the
// yearly running counts.
func (c *Calendar) countBetween(from, to Date) int {
	n := c.workdaysThrough(to) - c.workdaysThrough(from)
	for y := from.Year; y < to.Year; y++ {
		yc := c.counts(y)
		n += int(yc[len(yc)-1])
	}
	return n
}
