package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/notifications"
	"qianfa/workflow"
)

// planned is a notification as the planner would store it, for 2022-01-25.
func planned(reportID int64, u *models.User, kind notifications.Kind) notifications.Notification {
	to := notifications.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name}
	day := calendar.Date{Year: 2022, Month: time.January, Day: 25}
	key := notifications.DedupeKey(reportID, to, kind, day)
	return notifications.Notification{DedupeKey: key, MessageID: notifications.MessageID(key, "http://qianfa.test"),
		Kind: kind, Recipient: to, ReportID: reportID, Subject: "主题 " + key, Text: "正文 " + key, HTML: "<p>" + key + "</p>",
		Day: day, SendAt: day.At(9, 0).UTC()}
}

type inboxBody struct {
	Unread int64 `json:"unread"`
	Items  []struct {
		ID       int64      `json:"id"`
		ReportID *int64     `json:"report_id"`
		Kind     string     `json:"kind"`
		Title    string     `json:"title"`
		ReadAt   *time.Time `json:"read_at"`
	} `json:"items"`
}

func TestNotificationsAPI(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	drafter := e.user(ag.ID, "drafter", workflow.RoleDrafter)
	leader := e.user(ag.ID, "leader", workflow.RoleLeader)
	if _, err := store.Enqueue(context.Background(), []notifications.Notification{
		planned(7, drafter, notifications.KindReminder), planned(8, drafter, notifications.KindOverdue),
		planned(7, leader, notifications.KindEscalation),
	}); err != nil {
		t.Fatal(err)
	}
	tok := e.login("drafter")
	var got inboxBody
	r := e.call("GET", "/api/v1/notifications", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	r.decode(t, &got)
	if got.Unread != 2 || len(got.Items) != 2 || got.Items[0].Kind != "overdue" || *got.Items[0].ReportID != 8 ||
		got.Items[0].Title != "主题 8|u1|overdue|2022-01-25" || got.Items[0].ReadAt != nil {
		t.Fatalf("inbox = %s", r.body)
	}
	mustStatus(t, e.call("POST", "/api/v1/notifications/read", tok, map[string]any{"ids": []int64{got.Items[1].ID}}), http.StatusNoContent, "")
	e.call("GET", "/api/v1/notifications?limit=1", tok, nil).decode(t, &got)
	if got.Unread != 1 || len(got.Items) != 1 || got.Items[0].ReadAt != nil {
		t.Errorf("after reading one: %+v", got)
	}
	mustStatus(t, e.call("POST", "/api/v1/notifications/read", tok, map[string]any{}), http.StatusBadRequest, "bad_request")
	mustStatus(t, e.call("POST", "/api/v1/notifications/read", tok, map[string]any{"all": true}), http.StatusNoContent, "")
	e.call("GET", "/api/v1/notifications", tok, nil).decode(t, &got)
	if got.Unread != 0 || len(got.Items) != 2 || got.Items[0].ReadAt == nil {
		t.Errorf("after reading all: %+v", got)
	}
	e.call("GET", "/api/v1/notifications", e.login("leader"), nil).decode(t, &got)
	if got.Unread != 1 {
		t.Errorf("the leader's unread = %d, want 1", got.Unread)
	}
	mustStatus(t, e.call("GET", "/api/v1/notifications", "", nil), http.StatusUnauthorized, "unauthenticated")
}

func TestOutboxAPIAndMetrics(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	drafter := e.user(ag.ID, "drafter", workflow.RoleDrafter)
	e.user(ag.ID, "admin", workflow.RoleAdmin)
	ctx := context.Background()
	if _, err := store.Enqueue(ctx, []notifications.Notification{
		planned(7, drafter, notifications.KindReminder), planned(8, drafter, notifications.KindOverdue),
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2022, 1, 25, 1, 0, 0, 0, time.UTC)
	items, err := store.Claim(ctx, "r1", at, time.Minute, 1)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim %v %v", items, err)
	}
	if err := store.MarkFailed(ctx, items[0].ID, "r1", at, "连接被拒绝", time.Time{}, true); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.call("GET", "/api/v1/outbox", e.login("drafter"), nil), http.StatusForbidden, "forbidden")
	tok := e.login("admin")
	var out struct {
		Counts map[string]int64 `json:"counts"`
		Items  []struct {
			Status    string `json:"status"`
			LastError string `json:"last_error"`
			Attempts  int    `json:"attempts"`
			MessageID string `json:"message_id"`
			Recipient struct {
				UserID *int64 `json:"user_id"`
				Email  string `json:"email"`
			} `json:"recipient"`
		} `json:"items"`
	}
	r := e.call("GET", "/api/v1/outbox?status=failed", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	r.decode(t, &out)
	want := planned(7, drafter, notifications.KindReminder)
	if out.Counts["failed"] != 1 || out.Counts["pending"] != 1 || len(out.Items) != 1 || out.Items[0].LastError != "连接被拒绝" ||
		out.Items[0].Attempts != 1 || out.Items[0].MessageID != want.MessageID || *out.Items[0].Recipient.UserID != drafter.ID {
		t.Errorf("outbox = %s", r.body)
	}
	mustStatus(t, e.call("GET", "/api/v1/outbox?status=lost", tok, nil), http.StatusBadRequest, "bad_request")
	r = e.call("GET", "/metrics", "", nil)
	if !strings.Contains(string(r.body), "\nqianfa_outbox_failed_messages 1\n") {
		t.Errorf("/metrics lacks qianfa_outbox_failed_messages 1")
	}
}

func TestPreviewAndCalendarOverridesAPI(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	office := modelstest.MustAgency(t, store, "330424", 0)
	ag := modelstest.MustAgency(t, store, "330424-mzj", office.ID)
	e.user(ag.ID, "drafter", workflow.RoleDrafter)
	e.user(office.ID, "admin", workflow.RoleAdmin)
	modelstest.MustReport(t, store, ag.ID, 2021, `{"title":"海盐县民政局2021年度政府信息公开工作年度报告"}`)
	tok := e.login("admin")
	type preview struct {
		Date    string   `json:"date"`
		Workday bool     `json:"workday"`
		Lines   []string `json:"lines"`
		Items   []struct {
			Kind            string `json:"kind"`
			ReportID        *int64 `json:"report_id"`
			WorkingDaysLeft int    `json:"working_days_left"`
			Deadline        string `json:"deadline"`
		} `json:"items"`
	}
	var p preview
	r := e.call("GET", "/api/v1/reminders/preview?date=2022-01-25", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	r.decode(t, &p)
	line := "测试drafter <drafter@example.gov.cn>\t海盐县民政局2021年度政府信息公开工作年度报告\treminder\t5"
	if !p.Workday || len(p.Items) != 1 || p.Items[0].Kind != "reminder" || p.Items[0].WorkingDaysLeft != 5 ||
		p.Items[0].Deadline != "2022-01-31" || len(p.Lines) != 1 || p.Lines[0] != line {
		t.Fatalf("preview = %s", r.body)
	}
	n, err := store.OutboxCounts(context.Background())
	if err != nil || n["pending"] != 0 {
		t.Errorf("preview stored %v, %v", n, err)
	}
	mustStatus(t, e.call("GET", "/api/v1/reminders/preview?date=25.01.2022", tok, nil), http.StatusBadRequest, "bad_request")
	mustStatus(t, e.call("GET", "/api/v1/reminders/preview?date=2022-01-25", e.login("drafter"), nil), http.StatusForbidden, "forbidden")

	path := "/api/v1/calendar/overrides/2022-01-25"
	r = e.call("PUT", path, tok, map[string]any{"work": false, "name": "临时放假"})
	mustStatus(t, r, http.StatusOK, "")
	var o struct {
		Date      string `json:"date"`
		Work      bool   `json:"work"`
		Name      string `json:"name"`
		UpdatedBy int64  `json:"updated_by"`
	}
	r.decode(t, &o)
	admin, _ := store.UserByUsername(context.Background(), "admin")
	if o.Date != "2022-01-25" || o.Work || o.Name != "临时放假" || o.UpdatedBy != admin.ID {
		t.Errorf("override = %s", r.body)
	}
	e.call("GET", "/api/v1/reminders/preview?date=2022-01-25", tok, nil).decode(t, &p)
	if p.Workday || len(p.Items) != 0 || len(p.Lines) != 0 {
		t.Errorf("preview on the new day off = %+v", p)
	}
	var list struct {
		Items []struct{ Date string } `json:"items"`
	}
	e.call("GET", "/api/v1/calendar/overrides", tok, nil).decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].Date != "2022-01-25" {
		t.Errorf("overrides = %+v", list)
	}
	mustStatus(t, e.call("PUT", path, tok, map[string]any{"name": "无 work"}), http.StatusUnprocessableEntity, "validation_failed")
	mustStatus(t, e.call("PUT", "/api/v1/calendar/overrides/2022-13-01", tok, map[string]any{"work": true}), http.StatusBadRequest, "bad_request")
	mustStatus(t, e.call("DELETE", path, tok, nil), http.StatusNoContent, "")
	mustStatus(t, e.call("DELETE", path, tok, nil), http.StatusNotFound, "not_found")
}
