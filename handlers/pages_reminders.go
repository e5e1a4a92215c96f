package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/workflow"
)

// notificationRoutes registers the signed-in user's notification pages.
func (s *Server) notificationRoutes(in *echo.Group) {
	in.GET("/notifications", s.notificationsPage)
	in.POST("/notifications/read", s.notificationsReadSubmit)
}

type notificationsBody struct {
	Unread int64
	Items  []models.InboxItem
}

// notificationsPage lists the user's in-app notifications, newest first.
func (s *Server) notificationsPage(c echo.Context) error {
	u, ctx := currentUser(c), c.Request().Context()
	unread, err := s.store.UnreadCount(ctx, u.ID)
	if err != nil {
		return err
	}
	items, err := s.store.ListInbox(ctx, u.ID, 200)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "notifications", "通知", notificationsBody{Unread: unread, Items: items})
}

func (s *Server) notificationsReadSubmit(c echo.Context) error {
	n, err := s.store.MarkInboxRead(c.Request().Context(), currentUser(c).ID, nil, true)
	if err != nil {
		return err
	}
	msg := "没有未读通知"
	if n > 0 {
		msg = "已全部标为已读"
	}
	return s.redirectFlash(c, "/notifications", msg)
}

// outboxStatusOrder is the order of the status filter and of the counts.
var outboxStatusOrder = []string{models.OutboxPending, models.OutboxSent, models.OutboxFailed, models.OutboxKept}

type outboxBody struct {
	Status   string
	Statuses []string
	Counts   map[string]int64
	Items    []models.OutboxMessage
	Date     string   // the preview date as asked, "" when none
	Workday  bool     // whether Date is a working day
	Lines    []string // the preview lines for Date
	DateErr  string
}

// outboxPage is the 发件箱: the newest messages of a status, the counts, and the reminder preview.
func (s *Server) outboxPage(c echo.Context) error {
	ctx := c.Request().Context()
	b := outboxBody{Status: c.QueryParam("status"), Statuses: outboxStatusOrder, Date: c.QueryParam("date")}
	if !outboxStatuses[b.Status] {
		return workflow.ErrBadRequest("参数 status 应为 pending、sent、failed 或 kept")
	}
	var err error
	if b.Items, err = s.store.ListOutbox(ctx, models.OutboxFilter{Status: b.Status, Limit: 500}); err != nil {
		return err
	}
	if b.Counts, err = s.store.OutboxCounts(ctx); err != nil {
		return err
	}
	if b.Date != "" {
		if err := s.previewInto(c, &b); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "outbox", "发件箱", b)
}

// previewInto fills the preview part of the page; a malformed date is shown, not an error page.
func (s *Server) previewInto(c echo.Context, b *outboxBody) error {
	day, err := calendar.ParseDate(b.Date)
	if err != nil {
		b.DateErr = "日期应为 YYYY-MM-DD"
		return nil
	}
	rd, err := s.planReminderDay(c.Request().Context(), day)
	if err != nil {
		return err
	}
	b.Workday, b.Lines = rd.Cal.IsWorkday(day), rd.previewLines()
	return nil
}

// outboxStatusLabel names a status of the outbox for people.
func outboxStatusLabel(status string) string {
	switch status {
	case models.OutboxPending:
		return "待发送"
	case models.OutboxSent:
		return "已发送"
	case models.OutboxFailed:
		return "发送失败"
	case models.OutboxKept:
		return "仅留存"
	}
	return status
}
