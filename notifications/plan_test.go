package notifications

import (
	"testing"

	"qianfa/calendar"
)

// walk plans every day from first to last at 09:00 and compares with want; days
// missing from want expect nothing.
func walk(t *testing.T, first, last string, reports []ReportStatus, want map[string]string) {
	t.Helper()
	cal := calendar.New()
	for d := date(first); !d.After(date(last)); d = d.AddDays(1) {
		got := brief(Plan(d.At(9, 0), cal, DefaultPolicy(), PlanInput{BaseURL: baseURL, Reports: reports}))
		if got != want[d.String()] {
			t.Errorf("%s:\n got  %q\n want %q", d, got, want[d.String()])
		}
	}
}

// The 2021 reports: 2022-01-31 is Spring Festival, 29 and 30 January are 调休, so
// the deadline reminder goes out on Sunday the 30th and overdue ones from 7 February.
func TestPlanWalk2021(t *testing.T) {
	walk(t, "2022-01-02", "2022-02-10", reports2021(), map[string]string{
		"2022-01-11": "1>1 reminder 15, 2>2 reminder 15, 3>7 reminder 15, 0>5 digest 15",
		"2022-01-12": "0>5 digest 14",
		"2022-01-13": "0>5 digest 13",
		"2022-01-14": "0>5 digest 12",
		"2022-01-17": "0>5 digest 11",
		"2022-01-18": "1>1 reminder 10, 2>2 reminder 10, 3>7 reminder 10, 0>5 digest 10",
		"2022-01-19": "0>5 digest 9",
		"2022-01-20": "0>5 digest 8",
		"2022-01-21": "0>5 digest 7",
		"2022-01-24": "0>5 digest 6",
		"2022-01-25": "1>1 reminder 5, 2>2 reminder 5, 2>6 escalation 5, 2>5 escalation 5, 3>7 reminder 5, 0>5 digest 5",
		"2022-01-26": "0>5 digest 4",
		"2022-01-27": "1>1 reminder 3, 2>2 reminder 3, 3>7 reminder 3, 0>5 digest 3",
		"2022-01-28": "1>1 reminder 2, 2>2 reminder 2, 2>6 escalation 2, 2>5 escalation 2, 3>7 reminder 2, 0>5 digest 2",
		"2022-01-29": "1>1 reminder 1, 2>2 reminder 1, 3>7 reminder 1, 0>5 digest 1",
		"2022-01-30": "1>1 deadline 0, 2>2 deadline 0, 3>7 deadline 0, 0>5 digest 0",
		"2022-02-07": "1>1 overdue -1, 1>3 escalation -1, 1>5 escalation -1, 2>2 overdue -1, 2>6 escalation -1, 2>5 escalation -1, 3>7 overdue -1, 3>8 escalation -1, 3>5 escalation -1, 0>5 digest -1",
		"2022-02-08": "1>1 overdue -2, 1>3 escalation -2, 1>5 escalation -2, 2>2 overdue -2, 2>6 escalation -2, 2>5 escalation -2, 3>7 overdue -2, 3>8 escalation -2, 3>5 escalation -2, 0>5 digest -2",
		"2022-02-09": "1>1 overdue -3, 1>3 escalation -3, 1>5 escalation -3, 2>2 overdue -3, 2>6 escalation -3, 2>5 escalation -3, 3>7 overdue -3, 3>8 escalation -3, 3>5 escalation -3, 0>5 digest -3",
		"2022-02-10": "1>1 overdue -4, 1>3 escalation -4, 1>5 escalation -4, 2>2 overdue -4, 2>6 escalation -4, 2>5 escalation -4, 3>7 overdue -4, 3>8 escalation -4, 3>5 escalation -4, 0>5 digest -4",
	})
}

// The 2025 reports: 2026-01-31 is a Saturday, 4 January is 调休; report 13 counts
// towards the region's internal date 2026-01-26.
func TestPlanWalk2025(t *testing.T) {
	over := func(a, b string) string {
		return "11>1 overdue " + a + ", 11>3 escalation " + a + ", 11>5 escalation " + a +
			", 12>4 overdue " + a + ", 12>3 escalation " + a + ", 12>5 escalation " + a +
			", 13>7 overdue " + b + ", 13>8 escalation " + b + ", 13>5 escalation " + b + ", 0>5 digest " + b
	}
	walk(t, "2026-01-02", "2026-02-10", reports2025(), map[string]string{
		"2026-01-05": "13>7 reminder 15, 0>5 digest 15",
		"2026-01-06": "0>5 digest 14",
		"2026-01-07": "0>5 digest 13",
		"2026-01-08": "0>5 digest 12",
		"2026-01-09": "11>1 reminder 15, 12>4 reminder 15, 0>5 digest 11",
		"2026-01-12": "13>7 reminder 10, 0>5 digest 10",
		"2026-01-13": "0>5 digest 9",
		"2026-01-14": "0>5 digest 8",
		"2026-01-15": "0>5 digest 7",
		"2026-01-16": "11>1 reminder 10, 12>4 reminder 10, 0>5 digest 6",
		"2026-01-19": "13>7 reminder 5, 0>5 digest 5",
		"2026-01-20": "0>5 digest 4",
		"2026-01-21": "13>7 reminder 3, 0>5 digest 3",
		"2026-01-22": "13>7 reminder 2, 0>5 digest 2",
		"2026-01-23": "11>1 reminder 5, 12>4 reminder 5, 13>7 reminder 1, 0>5 digest 1",
		"2026-01-26": "13>7 deadline 0, 0>5 digest 0",
		"2026-01-27": "11>1 reminder 3, 12>4 reminder 3, 13>7 overdue -1, 13>8 escalation -1, 13>5 escalation -1, 0>5 digest -1",
		"2026-01-28": "11>1 reminder 2, 12>4 reminder 2, 13>7 overdue -2, 13>8 escalation -2, 13>5 escalation -2, 0>5 digest -2",
		"2026-01-29": "11>1 reminder 1, 12>4 reminder 1, 12>3 escalation 1, 12>5 escalation 1, 13>7 overdue -3, 13>8 escalation -3, 13>5 escalation -3, 0>5 digest -3",
		"2026-01-30": "11>1 deadline 0, 12>4 deadline 0, 13>7 overdue -4, 13>8 escalation -4, 13>5 escalation -4, 0>5 digest -4",
		"2026-02-02": over("-1", "-5"),
		"2026-02-03": over("-2", "-6"),
		"2026-02-04": over("-3", "-7"),
		"2026-02-05": over("-4", "-8"),
		"2026-02-06": over("-5", "-9"),
		"2026-02-09": over("-6", "-10"),
		"2026-02-10": over("-7", "-11"),
	})
}

// Over Spring Festival 2026 (15–23 February) nothing goes out; the 调休 Saturdays
// 14 and 28 February are overdue working days like any other.
func TestPlanWalkSpringFestival2026(t *testing.T) {
	pol := DefaultPolicy()
	pol.EscalateOverdue, pol.Digest = false, false
	r := reports2025()[0]
	want := map[string]string{
		"2026-02-12": "11>1 overdue -9", "2026-02-13": "11>1 overdue -10", "2026-02-14": "11>1 overdue -11",
		"2026-02-24": "11>1 overdue -12", "2026-02-25": "11>1 overdue -13", "2026-02-26": "11>1 overdue -14",
		"2026-02-27": "11>1 overdue -15", "2026-02-28": "11>1 overdue -16", "2026-03-02": "11>1 overdue -17",
	}
	cal := calendar.New()
	for d := date("2026-02-12"); !d.After(date("2026-03-02")); d = d.AddDays(1) {
		got := brief(Plan(d.At(9, 0), cal, pol, PlanInput{BaseURL: baseURL, Reports: []ReportStatus{r}}))
		if got != want[d.String()] {
			t.Errorf("%s: got %q, want %q", d, got, want[d.String()])
		}
	}
}
