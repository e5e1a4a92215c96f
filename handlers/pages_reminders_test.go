package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"qianfa/demo"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/notifications"
)

// outboxSite is the demo site with a 2021 draft report of the bureau and two queued
// reminders for the drafter, of which the first has failed for good.
type outboxSite struct {
	*pageSite
	drafter *models.User
	failed  notifications.OutboxItem
	pending notifications.Notification
}

func newOutboxSite(t *testing.T) *outboxSite {
	t.Helper()
	p := newPageSite(t)
	ctx := context.Background()
	drafter, err := p.store.UserByUsername(ctx, "drafter")
	if err != nil {
		t.Fatal(err)
	}
	bureau, err := p.store.AgencyByCode(ctx, demo.AgencyCode)
	if err != nil {
		t.Fatal(err)
	}
	r := modelstest.MustReport(t, p.store, bureau.ID, 2021, `{"title":"海盐县民政局2021年度政府信息公开工作年度报告"}`)
	pending := planned(r.ID, drafter, notifications.KindOverdue)
	// Two batches, so the overdue notice is the newer one whatever order a batch is stored in.
	for _, n := range []notifications.Notification{planned(r.ID, drafter, notifications.KindReminder), pending} {
		if _, err := p.store.Enqueue(ctx, []notifications.Notification{n}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2022, 1, 25, 1, 0, 0, 0, time.UTC)
	items, err := p.store.Claim(ctx, "r1", at, time.Minute, 1)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim %v %v", items, err)
	}
	if err := p.store.MarkFailed(ctx, items[0].ID, "r1", at, "连接被拒绝", time.Time{}, true); err != nil {
		t.Fatal(err)
	}
	return &outboxSite{pageSite: p, drafter: drafter, failed: items[0], pending: pending}
}

// outboxRow is one row of the 发件箱 table, cell by cell.
type outboxRow struct {
	Class, Recipient, Subject, Kind, Day, Status, Attempts, Error string
}

func outboxRows(doc *goquery.Document) []outboxRow {
	var rows []outboxRow
	doc.Find("#outbox tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cell := func(c string) string { return strings.TrimSpace(tr.Find("td." + c).Text()) }
		class, _ := tr.Attr("class")
		rows = append(rows, outboxRow{Class: class, Recipient: cell("recipient"), Subject: cell("subject"), Kind: cell("kind"),
			Day: cell("day"), Status: cell("status"), Attempts: cell("attempts"), Error: cell("error")})
	})
	return rows
}

func TestOutboxPage(t *testing.T) {
	p := newOutboxSite(t)
	c, _ := p.signedIn("admin")
	to := "经办人 <drafter@example.gov.cn>"
	failed := outboxRow{Class: "overdue failed", Recipient: to, Subject: p.failed.Subject, Kind: string(p.failed.Kind),
		Day: "2022-01-25", Status: "发送失败", Attempts: "1", Error: "连接被拒绝"}
	pending := outboxRow{Recipient: to, Subject: p.pending.Subject, Kind: "overdue", Day: "2022-01-25", Status: "待发送", Attempts: "0"}
	if p.failed.Kind != notifications.KindReminder {
		t.Fatalf("the claimed message is %s, want the reminder enqueued first", p.failed.Kind)
	}
	tests := []struct {
		query string
		want  []outboxRow
	}{
		{"", []outboxRow{pending, failed}},
		{"?status=failed", []outboxRow{failed}},
		{"?status=pending", []outboxRow{pending}},
		{"?status=sent", nil},
	}
	for _, tt := range tests {
		res, doc := p.get(c, "/admin/outbox"+tt.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tt.query, res.StatusCode)
		}
		got := outboxRows(doc)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: rows %+v, want %+v", tt.query, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s row %d: %+v, want %+v", tt.query, i, got[i], tt.want[i])
			}
		}
		counts := map[string]string{}
		doc.Find(".outbox-counts li").Each(func(_ int, li *goquery.Selection) {
			id, _ := li.Attr("id")
			counts[id] = li.Text()
		})
		want := map[string]string{"count-pending": "待发送：1", "count-sent": "已发送：0", "count-failed": "发送失败：1", "count-kept": "仅留存：0"}
		for k, v := range want {
			if counts[k] != v {
				t.Errorf("%s: %s = %q, want %q", tt.query, k, counts[k], v)
			}
		}
		if doc.Find("#count-failed .badge.danger").Text() != "1" {
			t.Errorf("%s: the failed count is not highlighted", tt.query)
		}
	}
	if res, _ := p.get(c, "/admin/outbox?status=lost"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown status: %d, want 400", res.StatusCode)
	}
	if _, doc := p.get(c, "/"); doc.Find(`nav a[href="/admin/outbox"]`).Text() != "发件箱" {
		t.Errorf("the admin's nav lacks 发件箱")
	}
}

func TestOutboxPagePreview(t *testing.T) {
	p := newOutboxSite(t)
	c, _ := p.signedIn("admin")
	title, title2020 := "海盐县民政局2021年度政府信息公开工作年度报告", "海盐县民政局2020年度政府信息公开工作年度报告"
	tests := []struct {
		date, day string
		lines     []string
	}{
		// The demo's 2020 report, still a draft, is 246 working days past its deadline of
		// 2021-01-31: overdue for the drafter, escalated to the leader and the office, and in
		// the office's digest. The 2021 report is five working days before 2022-01-31.
		{"2022-01-25", "2022-01-25为工作日，将发送 5 封：", []string{
			"经办人 <drafter@example.gov.cn>\t" + title2020 + "\toverdue\t-246",
			"签发领导 <leader@example.gov.cn>\t" + title2020 + "\tescalation\t-246",
			"政务公开办 <supervisor@example.gov.cn>\t" + title2020 + "\tescalation\t-246",
			"经办人 <drafter@example.gov.cn>\t" + title + "\treminder\t5",
			"政务公开办 <supervisor@example.gov.cn>\t（每日汇总）\tdigest\t-246",
		}},
		{"2022-01-23", "2022-01-23不是工作日，将发送 0 封：", nil},
	}
	for _, tt := range tests {
		res, doc := p.get(c, "/admin/outbox?date="+tt.date)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tt.date, res.StatusCode)
		}
		if got := doc.Find("#preview-day").Text(); got != tt.day {
			t.Errorf("%s: %q, want %q", tt.date, got, tt.day)
		}
		var got []string
		if pre := doc.Find("#preview-lines"); pre.Length() > 0 {
			got = strings.Split(strings.TrimSuffix(pre.Text(), "\n"), "\n")
		}
		if strings.Join(got, "|") != strings.Join(tt.lines, "|") {
			t.Errorf("%s: lines %q, want %q", tt.date, got, tt.lines)
		}
		if v, _ := doc.Find("#preview-date").Attr("value"); v != tt.date {
			t.Errorf("%s: the form shows %q", tt.date, v)
		}
	}
	_, doc := p.get(c, "/admin/outbox?date=25.01.2022")
	if doc.Find("#preview-error").Text() != "日期应为 YYYY-MM-DD" || doc.Find("#preview-lines").Length() != 0 {
		t.Errorf("malformed date: %q", doc.Find("main").Text())
	}
}

func TestOutboxPageIsForAdmins(t *testing.T) {
	p := newOutboxSite(t)
	for _, who := range []string{"drafter", "supervisor"} {
		c, _ := p.signedIn(who)
		res, doc := p.get(c, "/admin/outbox?date=2022-01-25")
		if res.StatusCode != http.StatusForbidden || doc.Find("#outbox").Length() != 0 || doc.Find("#preview-lines").Length() != 0 {
			t.Errorf("%s: %d", who, res.StatusCode)
		}
		if doc.Find(`nav a[href="/admin/outbox"]`).Length() != 0 {
			t.Errorf("%s sees the 发件箱 link", who)
		}
	}
}

func TestNotificationsPage(t *testing.T) {
	p := newOutboxSite(t)
	c, csrf := p.signedIn("drafter")
	res, doc := p.get(c, "/notifications")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("notifications: %d", res.StatusCode)
	}
	if got := doc.Find("#nav-notifications").Text(); got != "通知 (2)" {
		t.Errorf("nav = %q, want 通知 (2)", got)
	}
	var titles, unread []string
	doc.Find("#notifications li").Each(func(_ int, li *goquery.Selection) {
		titles = append(titles, li.Find(".title").Text())
		unread = append(unread, li.Find(".badge").Text())
	})
	// Newest first: the overdue notice was enqueued after the reminder.
	wantTitles := []string{p.pending.Subject, p.failed.Subject}
	if strings.Join(titles, "|") != strings.Join(wantTitles, "|") || strings.Join(unread, "|") != "未读|未读" {
		t.Errorf("list: %q %q, want %q both unread", titles, unread, wantTitles)
	}
	if doc.Find("#unread").Text() != "未读 2 条" {
		t.Errorf("unread = %q", doc.Find("#unread").Text())
	}
	if _, other := p.get(p.mustSignIn("reviewer"), "/"); other.Find("#nav-notifications").Text() != "通知" {
		t.Errorf("the reviewer's nav = %q, want 通知", other.Find("#nav-notifications").Text())
	}

	res, doc = p.post(c, "/notifications/read", url.Values{})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(doc.Find(".error-message").Text(), "CSRF") {
		t.Fatalf("mark read without token: %d", res.StatusCode)
	}
	if n, _ := p.store.UnreadCount(context.Background(), p.drafter.ID); n != 2 {
		t.Fatalf("unread after a refused POST = %d, want 2", n)
	}
	res, _ = p.post(c, "/notifications/read", url.Values{"_csrf": {csrf}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/notifications" {
		t.Fatalf("mark read: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, doc = p.get(c, "/notifications")
	if doc.Find(".flash").Text() != "已全部标为已读" || doc.Find("#nav-notifications").Text() != "通知" ||
		doc.Find("#unread").Text() != "未读 0 条" || doc.Find("#notifications li.unread").Length() != 0 ||
		doc.Find("#notifications li").Length() != 2 || doc.Find(`form[action="/notifications/read"]`).Length() != 0 {
		t.Errorf("after reading all: %q", doc.Find("main").Text())
	}
}

// mustSignIn is a signed-in client of username.
func (p *pageSite) mustSignIn(username string) *http.Client {
	c, _ := p.signedIn(username)
	return c
}
