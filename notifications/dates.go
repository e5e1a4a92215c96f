package notifications

import (
	"fmt"

	"qianfa/calendar"
)

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// formatDate is 2022年1月31日（星期一）.
func formatDate(d calendar.Date) string {
	return fmt.Sprintf("%d年%d月%d日（%s）", d.Year, d.Month, d.Day, weekdays[d.Weekday()])
}

// formatDeadline adds the holiday name when the deadline is a day off, which
// explains why the last working day comes earlier.
func (p planner) formatDeadline(s standing) string {
	day := p.cal.Describe(s.deadline)
	if day.Work || day.Name == "" {
		return formatDate(s.deadline)
	}
	return fmt.Sprintf("%d年%d月%d日（%s，%s假期）", s.deadline.Year, s.deadline.Month, s.deadline.Day,
		weekdays[s.deadline.Weekday()], day.Name)
}
