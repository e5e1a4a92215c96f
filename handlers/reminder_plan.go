package handlers

import (
	"context"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/notifications"
)

// reminderDay is what the planner sees on one day: the calendar with the admin's
// overrides, the reminder settings and the reports still due. The preview API and
// the 发件箱 page both start from it, so they show the same lines.
type reminderDay struct {
	Day calendar.Date
	Cal *calendar.Calendar
	Set Reminders
	In  notifications.PlanInput
}

// planReminderDay gathers what the planner needs for day, without sending or storing anything.
func (s *Server) planReminderDay(ctx context.Context, day calendar.Date) (reminderDay, error) {
	cal, err := s.calendarWithOverrides(ctx)
	if err != nil {
		return reminderDay{}, err
	}
	set := s.reminders()
	in, err := models.ReminderSource{Store: s.store, BaseURL: s.opt.BaseURL, InternalSubmit: set.InternalSubmit}.PlanInput(ctx, day)
	if err != nil {
		return reminderDay{}, err
	}
	return reminderDay{Day: day, Cal: cal, Set: set, In: in}, nil
}

// previewLines are the lines of `qianfa reminders preview` for the day.
func (r reminderDay) previewLines() []string {
	return nonNil(notifications.Preview(r.Day, r.Cal, r.Set.Policy, r.In))
}
