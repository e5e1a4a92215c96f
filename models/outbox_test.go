package models_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/notifications"
	"qianfa/workflow"
)

// sendAt is 09:00 Asia/Shanghai on 2022-01-25.
var sendAt = time.Date(2022, 1, 25, 1, 0, 0, 0, time.UTC)

// note is a planned notification to u about report; u nil is an address
// without a user.
func note(report int64, u *models.User, kind notifications.Kind) notifications.Notification {
	to := notifications.Recipient{Email: "outside@example.gov.cn", Name: "外部"}
	if u != nil {
		to = notifications.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name}
	}
	day := calendar.Today(sendAt)
	key := notifications.DedupeKey(report, to, kind, day)
	return notifications.Notification{DedupeKey: key, MessageID: notifications.MessageID(key, ""), Kind: kind,
		Recipient: to, ReportID: report, Subject: "【签发提醒】" + key, Text: "正文 " + key, HTML: "<p>" + key + "</p>",
		Day: day, SendAt: sendAt}
}

func TestEnqueueDedupe(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		batch := []notifications.Notification{
			note(1, team.Drafter, notifications.KindReminder), note(1, team.Leader, notifications.KindEscalation),
			note(0, nil, notifications.KindDigest),
		}
		for i, want := range []int{3, 0} {
			n, err := s.Enqueue(ctx, batch)
			if err != nil || n != want {
				t.Fatalf("enqueue %d: %d, %v; want %d", i+1, n, err, want)
			}
		}
		// A later run of the day plans the same messages and two new ones,
		// sorted before and after the existing keys.
		more := append([]notifications.Notification{note(0, team.Reviewer, notifications.KindDigest)}, batch...)
		more = append(more, note(9, team.Drafter, notifications.KindReminder))
		if n, err := s.Enqueue(ctx, more); err != nil || n != 2 {
			t.Fatalf("enqueue with two new keys: %d, %v; want 2", n, err)
		}
		var many []notifications.Notification
		for r := int64(2); r < 12; r++ {
			many = append(many, note(r, team.Drafter, notifications.KindDeadline), note(r, team.Reviewer, notifications.KindOverdue))
		}
		var wg sync.WaitGroup
		counts := make([]int, 3)
		errs := make([]error, 3)
		for i := range 3 {
			wg.Go(func() {
				// Each replica plans the same keys in its own order.
				mine := slices.Clone(many)
				if i == 1 {
					slices.Reverse(mine)
				}
				counts[i], errs[i] = s.Enqueue(ctx, mine)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if total := counts[0] + counts[1] + counts[2]; total != 20 {
			t.Errorf("three concurrent enqueues inserted %v = %d, want 20", counts, total)
		}
		c, err := s.OutboxCounts(ctx)
		if err != nil || !maps.Equal(c, map[string]int64{"pending": 25, "sent": 0, "failed": 0, "kept": 0}) {
			t.Errorf("counts %v, %v", c, err)
		}
		// One in-app notification per new row with a user; the digest to an
		// address without a user has none.
		for _, u := range []struct {
			user *models.User
			want int64
		}{{team.Drafter, 12}, {team.Reviewer, 11}, {team.Leader, 1}, {team.Publisher, 0}} {
			n, err := s.UnreadCount(ctx, u.user.ID)
			if err != nil || n != u.want {
				t.Errorf("%s unread %d, %v; want %d", u.user.Username, n, err, u.want)
			}
		}
	})
}

func ids(items []notifications.OutboxItem) string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%d@%d", it.ID, it.Attempts))
	}
	return fmt.Sprint(out)
}

func TestClaimLeaseExpiryAndLeaseLost(t *testing.T) {
	const lease = 5 * time.Minute
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		later := note(2, team.Drafter, notifications.KindReminder)
		later.SendAt = sendAt.Add(time.Hour)
		if _, err := s.Enqueue(ctx, []notifications.Notification{
			note(1, team.Drafter, notifications.KindReminder), note(1, team.Reviewer, notifications.KindReminder),
			note(1, team.Leader, notifications.KindEscalation), later,
		}); err != nil {
			t.Fatal(err)
		}
		claim := func(owner string, at time.Time, limit int) string {
			t.Helper()
			items, err := s.Claim(ctx, owner, at, lease, limit)
			if err != nil {
				t.Fatal(err)
			}
			return ids(items)
		}
		// Enqueue inserts in dedupe-key order: ids 1–3 are report 1's rows, 4 the later one.
		steps := []struct {
			name, owner string
			at          time.Time
			limit       int
			want        string
		}{
			{"before send_at", "a", sendAt.Add(-time.Second), 10, "[]"},
			{"a takes two", "a", sendAt, 2, "[1@1 2@1]"},
			{"b takes the rest that is due", "b", sendAt, 10, "[3@1]"},
			{"leases held", "b", sendAt.Add(lease - time.Second), 10, "[]"},
			{"a's leases expired", "b", sendAt.Add(lease), 10, "[1@2 2@2 3@2]"},
		}
		for _, st := range steps {
			if got := claim(st.owner, st.at, st.limit); got != st.want {
				t.Fatalf("%s: claimed %s, want %s", st.name, got, st.want)
			}
		}
		at := sendAt.Add(lease + time.Minute)
		if err := s.MarkSent(ctx, 1, "a", at); !errors.Is(err, notifications.ErrLeaseLost) {
			t.Errorf("a marks a row b holds: %v, want ErrLeaseLost", err)
		}
		if err := s.MarkSent(ctx, 1, "b", at); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkSent(ctx, 1, "b", at); !errors.Is(err, notifications.ErrLeaseLost) {
			t.Errorf("second MarkSent: %v, want ErrLeaseLost", err)
		}
		if err := s.MarkKept(ctx, 2, "b", at); err != nil {
			t.Fatal(err)
		}
		retryAt := at.Add(2 * time.Minute)
		if err := s.MarkFailed(ctx, 3, "b", at, "连接被拒绝", retryAt, false); err != nil {
			t.Fatal(err)
		}
		if got := claim("c", retryAt.Add(-time.Second), 10); got != "[]" {
			t.Errorf("claimed %s before the retry time", got)
		}
		if got := claim("c", retryAt, 10); got != "[3@3]" {
			t.Errorf("claimed %s at the retry time, want [3@3]", got)
		}
		if err := s.MarkFailed(ctx, 3, "c", retryAt, "连接被拒绝", time.Time{}, true); err != nil {
			t.Fatal(err)
		}
		if got := claim("c", sendAt.Add(2*time.Hour), 10); got != "[4@1]" {
			t.Errorf("claimed %s after the later send_at, want only [4@1]", got)
		}
		c, err := s.OutboxCounts(ctx)
		if err != nil || !maps.Equal(c, map[string]int64{"pending": 1, "sent": 1, "failed": 1, "kept": 1}) {
			t.Errorf("counts %v, %v", c, err)
		}
		failed, err := s.ListOutbox(ctx, models.OutboxFilter{Status: models.OutboxFailed})
		if err != nil || len(failed) != 1 {
			t.Fatalf("failed rows %v, %v", failed, err)
		}
		f := failed[0]
		if f.ID != 3 || f.Attempts != 3 || f.LastError != "连接被拒绝" || f.LeaseOwner != "" || f.LeaseUntil != nil {
			t.Errorf("failed row = %+v", f)
		}
		sent, err := s.ListOutbox(ctx, models.OutboxFilter{Status: models.OutboxSent})
		if err != nil || len(sent) != 1 || sent[0].SentAt == nil || !sent[0].SentAt.Equal(at) || sent[0].SentAt.Location() != time.UTC {
			t.Errorf("sent rows %+v, %v", sent, err)
		}
	})
}

func TestClaimedItemRoundTrips(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		n := note(7, team.Leader, notifications.KindEscalation)
		// A report title is free text: a long one must be stored whole.
		n.Recipient.Name, n.Subject = "𠮷野 王", "【升级提醒】"+strings.Repeat("海盐县民政局2021年度报告 😀", 40)
		if _, err := s.Enqueue(ctx, []notifications.Notification{n}); err != nil {
			t.Fatal(err)
		}
		items, err := s.Claim(ctx, "a", sendAt, time.Minute, 1)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim %v, %v", items, err)
		}
		got := items[0].Notification
		if got.DedupeKey != n.DedupeKey || got.MessageID != n.MessageID || got.Kind != n.Kind || got.Recipient != n.Recipient ||
			got.ReportID != 7 || got.Subject != n.Subject || got.Text != n.Text || got.HTML != n.HTML ||
			got.Day != n.Day || !got.SendAt.Equal(n.SendAt) {
			t.Errorf("claimed %+v\nwant %+v", got, n)
		}
	})
}

func TestInbox(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		var batch []notifications.Notification
		for r := int64(1); r <= 4; r++ {
			batch = append(batch, note(r, team.Drafter, notifications.KindReminder))
		}
		batch = append(batch, note(1, team.Reviewer, notifications.KindReminder))
		if _, err := s.Enqueue(ctx, batch); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListInbox(ctx, team.Drafter.ID, 3)
		if err != nil || len(list) != 3 {
			t.Fatalf("list %v, %v", list, err)
		}
		if list[0].ReportID != 4 || list[2].ReportID != 2 || list[0].Kind != "reminder" || list[0].Title != batch[3].Subject ||
			list[0].Body != batch[3].Text || list[0].ReadAt != nil {
			t.Errorf("newest first: %+v", list)
		}
		reviewerItems, err := s.ListInbox(ctx, team.Reviewer.ID, 0)
		if err != nil || len(reviewerItems) != 1 {
			t.Fatalf("reviewer list %v, %v", reviewerItems, err)
		}
		// The reviewer's id is ignored for the drafter.
		n, err := s.MarkInboxRead(ctx, team.Drafter.ID, []int64{list[0].ID, list[1].ID, reviewerItems[0].ID}, false)
		if err != nil || n != 2 {
			t.Errorf("marked %d, %v; want 2", n, err)
		}
		steps := []struct {
			user *models.User
			want int64
		}{{team.Drafter, 2}, {team.Reviewer, 1}}
		for _, st := range steps {
			if got, err := s.UnreadCount(ctx, st.user.ID); err != nil || got != st.want {
				t.Errorf("%s unread %d, %v; want %d", st.user.Username, got, err, st.want)
			}
		}
		if n, err := s.MarkInboxRead(ctx, team.Drafter.ID, nil, true); err != nil || n != 2 {
			t.Errorf("mark all: %d, %v; want 2", n, err)
		}
		if got, _ := s.UnreadCount(ctx, team.Drafter.ID); got != 0 {
			t.Errorf("drafter unread %d after mark all", got)
		}
	})
}

func TestCalendarOverrides(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		d1, _ := calendar.ParseDate("2028-01-29")
		d2, _ := calendar.ParseDate("2028-02-01")
		for _, o := range []calendar.Override{{Date: d2, Work: true, Name: "误填"}, {Date: d1, Work: true, Name: "春节调休"}, {Date: d2, Name: "春节"}} {
			if _, err := s.SetCalendarOverride(ctx, o, 6); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.CalendarOverrideList(ctx)
		want := []calendar.Override{{Date: d1, Work: true, Name: "春节调休"}, {Date: d2, Work: false, Name: "春节"}}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("overrides %v, %v; want %v", got, err, want)
		}
		rows, _ := s.CalendarOverrides(ctx)
		if len(rows) != 2 || rows[1].UpdatedBy != 6 || rows[1].UpdatedAt.IsZero() {
			t.Errorf("rows %+v", rows)
		}
		if err := s.DeleteCalendarOverride(ctx, d1); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCalendarOverride(ctx, d1); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("deleting a missing override: %v, want not_found", err)
		}
		if got, _ := s.CalendarOverrideList(ctx); !slices.Equal(got, want[1:]) {
			t.Errorf("after delete %v", got)
		}
	})
}
