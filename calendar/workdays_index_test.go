package calendar

import (
	"testing"
	"time"
)

// walkWorkdays is the definition of WorkdaysBetween for from ≤ to: count day by day.
func walkWorkdays(c *Calendar, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// TestWorkdaysBetweenMatchesWalk compares the yearly running counts with the day-by-day
// count, with and without overrides, across year ends and in both directions.
func TestWorkdaysBetweenMatchesWalk(t *testing.T) {
	overrides := []Override{
		{Date: Date{2025, time.December, 31}, Work: false, Name: "测试假日"},
		{Date: Date{2026, time.January, 3}, Work: true, Name: "测试调休"},
	}
	for _, cal := range []*Calendar{New(), New(overrides...)} {
		start := Date{2024, time.December, 20}
		for i := 0; i < 500; i += 7 {
			from := start.AddDays(i)
			for _, span := range []int{0, 1, 5, 30, 200, 400, 800} {
				to := from.AddDays(span)
				want := walkWorkdays(cal, from, to)
				if got := cal.WorkdaysBetween(from, to); got != want {
					t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", from, to, got, want)
				}
				if got := cal.WorkdaysBetween(to, from); got != -want {
					t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", to, from, got, -want)
				}
			}
		}
	}
}

// TestWorkdaysLeftOverride shows that an override changes the count of its own calendar
// only: the counts are per Calendar.
func TestWorkdaysLeftOverride(t *testing.T) {
	plain := New()
	from, to := Date{2026, time.January, 5}, Date{2026, time.January, 9} // Mon → Fri
	withHoliday := plain.WithOverrides([]Override{{Date: Date{2026, time.January, 7}, Work: false, Name: "测试"}})
	if got := plain.WorkdaysLeft(from, to); got != 4 {
		t.Errorf("plain = %d, want 4", got)
	}
	if got := withHoliday.WorkdaysLeft(from, to); got != 3 {
		t.Errorf("with holiday = %d, want 3", got)
	}
	if got := plain.WorkdaysLeft(from, to); got != 4 {
		t.Errorf("plain after the other = %d, want 4", got)
	}
}

func BenchmarkWorkdaysLeft(b *testing.B) {
	cal := New()
	today, deadline := Date{2025, time.November, 26}, Date{2026, time.January, 31}
	cal.WorkdaysLeft(today, deadline) // the running counts, built once per calendar
	for b.Loop() {
		cal.WorkdaysLeft(today, deadline)
	}
}

func BenchmarkWorkdaysLeftWalk(b *testing.B) {
	cal := New()
	today, deadline := Date{2025, time.November, 26}, Date{2026, time.January, 31}
	for b.Loop() {
		walkWorkdays(cal, today, deadline)
	}
}
