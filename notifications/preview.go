package notifications

import (
	"fmt"

	"qianfa/calendar"
)

// Preview returns, one line per message, what the schedule would send on day:
// recipient, report, kind and working days left, tab-separated. Nothing is sent or
// stored. A day off gives no lines.
func Preview(day calendar.Date, cal *calendar.Calendar, pol Policy, in PlanInput) []string {
	hour, minute, err := pol.sendTime()
	if err != nil {
		hour, minute = 9, 0
	}
	ns := Plan(day.At(hour, minute), cal, pol, in)
	titles := map[int64]string{}
	for _, r := range in.Reports {
		titles[r.ID] = reportTitle(r)
	}
	lines := make([]string, 0, len(ns))
	for _, n := range ns {
		report := titles[n.ReportID]
		if n.Kind == KindDigest {
			report = "（每日汇总）"
		}
		lines = append(lines, fmt.Sprintf("%s <%s>\t%s\t%s\t%d",
			oneLine(n.Recipient.Name), n.Recipient.Email, report, n.Kind, n.WorkingDaysLeft))
	}
	return lines
}
