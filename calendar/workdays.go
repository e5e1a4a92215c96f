package calendar

// WorkdaysBetween counts the working days d with from < d ≤ to: the working days
// still to come after from, up to and including to. When to is before from the result
// is negative: minus the working days d with to < d ≤ from.
func (c *Calendar) WorkdaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	if c.index != nil {
		return c.countBetween(from, to)
	}
	n := 0 // a Calendar not made by New or WithOverrides has no index
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// WorkdaysLeft is the number of working days after today up to and including the
// deadline: 0 on the deadline day, 1 on the working day before it. When the
// deadline is a day off (2022-01-31, Spring Festival) it is 0 already on the last
// working day before it (2022-01-30, a 调休 Sunday), which is the last day to act.
// Once today is after the deadline it is minus the working days elapsed since the
// deadline (-1 on the first working day after it); on days off right after the
// deadline it is still 0, so use Date.After for "overdue".
func (c *Calendar) WorkdaysLeft(today, deadline Date) int {
	return c.WorkdaysBetween(today, deadline)
}

// AddWorkdays returns the n-th working day after d (n > 0) or before d (n < 0); n = 0
// returns d itself, working day or not. The day on which n working days remain before
// a deadline dl is AddWorkdays(LastWorkdayOnOrBefore(dl), -n): when dl is a day off,
// the working day before it already has none left.
func (c *Calendar) AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// NextWorkday returns the first working day strictly after d.
func (c *Calendar) NextWorkday(d Date) Date { return c.AddWorkdays(d, 1) }

// LastWorkdayOnOrBefore returns d if it is a working day, else the working day before
// it: the last day to act on a deadline that falls on a day off.
func (c *Calendar) LastWorkdayOnOrBefore(d Date) Date {
	if c.IsWorkday(d) {
		return d
	}
	return c.AddWorkdays(d, -1)
}
