package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/notifications"
	"qianfa/workflow"
)

// Reminders are the reminders.* and region.* settings the reminder endpoints
// need; without Options.Reminders the default policy applies.
type Reminders struct {
	Policy         notifications.Policy
	InternalSubmit *calendar.MonthDay // region.internal_submit; nil: statutory deadlines
}

func (s *Server) reminders() Reminders {
	if s.opt.Reminders != nil {
		return *s.opt.Reminders
	}
	return Reminders{Policy: notifications.DefaultPolicy()}
}

type inboxView struct {
	ID        int64      `json:"id"`
	ReportID  *int64     `json:"report_id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func viewInbox(it models.InboxItem) inboxView {
	v := inboxView{ID: it.ID, Kind: it.Kind, Title: it.Title, Body: it.Body, CreatedAt: it.CreatedAt, ReadAt: it.ReadAt}
	if it.ReportID != 0 {
		v.ReportID = &it.ReportID
	}
	return v
}

// listNotifications answers the signed-in user's in-app notifications, newest first.
func (s *Server) listNotifications(c echo.Context) error {
	u, ctx := currentUser(c), c.Request().Context()
	limit, err := int64Param(c, "limit")
	if err != nil {
		return err
	}
	unread, err := s.store.UnreadCount(ctx, u.ID)
	if err != nil {
		return err
	}
	list, err := s.store.ListInbox(ctx, u.ID, int(min(limit, 500)))
	if err != nil {
		return err
	}
	items := make([]inboxView, len(list))
	for i, it := range list {
		items[i] = viewInbox(it)
	}
	return c.JSON(http.StatusOK, map[string]any{"unread": unread, "items": items})
}

type markReadRequest struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

// markNotificationsRead marks the listed notifications, or all, as read.
func (s *Server) markNotificationsRead(c echo.Context) error {
	var req markReadRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if !req.All && len(req.IDs) == 0 {
		return workflow.ErrBadRequest("请给出 ids，或 all: true")
	}
	if _, err := s.store.MarkInboxRead(c.Request().Context(), currentUser(c).ID, req.IDs, req.All); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type recipientView struct {
	UserID *int64 `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
}

func viewRecipient(r notifications.Recipient) recipientView {
	v := recipientView{Email: r.Email, Name: r.Name}
	if r.UserID != 0 {
		v.UserID = &r.UserID
	}
	return v
}

type outboxView struct {
	ID            int64         `json:"id"`
	MessageID     string        `json:"message_id"`
	Kind          string        `json:"kind"`
	ReportID      *int64        `json:"report_id"`
	Recipient     recipientView `json:"recipient"`
	Subject       string        `json:"subject"`
	Day           string        `json:"day"`
	SendAt        time.Time     `json:"send_at"`
	Status        string        `json:"status"`
	Attempts      int           `json:"attempts"`
	NextAttemptAt time.Time     `json:"next_attempt_at"`
	LastError     string        `json:"last_error"`
	SentAt        *time.Time    `json:"sent_at"`
	CreatedAt     time.Time     `json:"created_at"`
}

func viewOutbox(m models.OutboxMessage) outboxView {
	v := outboxView{ID: m.ID, MessageID: m.MessageID, Kind: m.Kind, Subject: m.Subject, Day: m.Day, SendAt: m.SendAt,
		Recipient: viewRecipient(notifications.Recipient{UserID: m.RecipientUserID, Email: m.RecipientEmail, Name: m.RecipientName}),
		Status:    m.Status, Attempts: m.Attempts, NextAttemptAt: m.NextAttemptAt, LastError: m.LastError,
		SentAt: m.SentAt, CreatedAt: m.CreatedAt}
	if m.ReportID != 0 {
		v.ReportID = &m.ReportID
	}
	return v
}

var outboxStatuses = map[string]bool{"": true, models.OutboxPending: true, models.OutboxSent: true,
	models.OutboxFailed: true, models.OutboxKept: true}

// listOutbox answers the 发件箱: the newest messages, with the count of each status.
func (s *Server) listOutbox(c echo.Context) error {
	ctx := c.Request().Context()
	status := c.QueryParam("status")
	if !outboxStatuses[status] {
		return workflow.ErrBadRequest("参数 status 应为 pending、sent、failed 或 kept")
	}
	limit, err := int64Param(c, "limit")
	if err != nil {
		return err
	}
	list, err := s.store.ListOutbox(ctx, models.OutboxFilter{Status: status, Limit: int(min(limit, 1000))})
	if err != nil {
		return err
	}
	counts, err := s.store.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	items := make([]outboxView, len(list))
	for i, m := range list {
		items[i] = viewOutbox(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"counts": counts, "items": items})
}

type previewView struct {
	Kind            string        `json:"kind"`
	ReportID        *int64        `json:"report_id"`
	Recipient       recipientView `json:"recipient"`
	Subject         string        `json:"subject"`
	WorkingDaysLeft int           `json:"working_days_left"`
	Deadline        string        `json:"deadline"`
	SendAt          time.Time     `json:"send_at"`
}

// previewReminders answers what the schedule would send on ?date=, without
// sending or storing anything; lines are those of `qianfa reminders preview`.
func (s *Server) previewReminders(c echo.Context) error {
	ctx := c.Request().Context()
	day, err := calendar.ParseDate(c.QueryParam("date"))
	if err != nil {
		return workflow.ErrBadRequest("参数 date 应为 YYYY-MM-DD")
	}
	rd, err := s.planReminderDay(ctx, day)
	if err != nil {
		return err
	}
	cal, set, in := rd.Cal, rd.Set, rd.In
	at, err := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+set.Policy.SendAt, calendar.Location())
	if err != nil {
		return workflow.ErrInternal(err)
	}
	ns := notifications.Plan(at, cal, set.Policy, in)
	items := make([]previewView, len(ns))
	for i, n := range ns {
		items[i] = previewView{Kind: string(n.Kind), Recipient: viewRecipient(n.Recipient), Subject: n.Subject,
			WorkingDaysLeft: n.WorkingDaysLeft, Deadline: n.Deadline.String(), SendAt: n.SendAt}
		if n.ReportID != 0 {
			items[i].ReportID = &ns[i].ReportID
		}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"date": day.String(), "workday": cal.IsWorkday(day), "items": items,
		"lines": rd.previewLines(),
	})
}

// calendarWithOverrides is the server's calendar with the admin's overrides
// from the database on top, as the planner uses it.
func (s *Server) calendarWithOverrides(ctx context.Context) (*calendar.Calendar, error) {
	db, err := s.store.CalendarOverrideList(ctx)
	if err != nil {
		return nil, err
	}
	return s.cal.WithOverrides(append(s.cal.Overrides(), db...)), nil
}

type overrideView struct {
	Date      string    `json:"date"`
	Work      bool      `json:"work"`
	Name      string    `json:"name"`
	UpdatedBy int64     `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewOverride(o models.CalendarOverride) overrideView {
	return overrideView{Date: o.Date, Work: o.Work, Name: o.Name, UpdatedBy: o.UpdatedBy, UpdatedAt: o.UpdatedAt}
}

func (s *Server) listCalendarOverrides(c echo.Context) error {
	list, err := s.store.CalendarOverrides(c.Request().Context())
	if err != nil {
		return err
	}
	items := make([]overrideView, len(list))
	for i, o := range list {
		items[i] = viewOverride(o)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

type overrideRequest struct {
	Work *bool  `json:"work"`
	Name string `json:"name"`
}

// putCalendarOverride makes the date of the path a working day or a day off;
// the planner applies it from its next run.
func (s *Server) putCalendarOverride(c echo.Context) error {
	day, err := calendar.ParseDate(c.Param("date"))
	if err != nil {
		return workflow.ErrBadRequest("日期应为 YYYY-MM-DD")
	}
	var req overrideRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Work == nil {
		return workflow.ErrValidation("缺少 work", []any{problemDetail{Path: "work", Message: "请说明当天是否上班（true 或 false）"}})
	}
	o, err := s.store.SetCalendarOverride(c.Request().Context(), calendar.Override{Date: day, Work: *req.Work, Name: req.Name}, currentUser(c).ID)
	if err != nil {
		return err
	}
	s.forgetCalendar()
	return c.JSON(http.StatusOK, viewOverride(*o))
}

func (s *Server) deleteCalendarOverride(c echo.Context) error {
	day, err := calendar.ParseDate(c.Param("date"))
	if err != nil {
		return workflow.ErrBadRequest("日期应为 YYYY-MM-DD")
	}
	if err := s.store.DeleteCalendarOverride(c.Request().Context(), day); err != nil {
		return err
	}
	s.forgetCalendar()
	return c.NoContent(http.StatusNoContent)
}
