package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/demo"
	"qianfa/models"
)

// demoDatabase migrates a temporary SQLite database and loads the demo data.
func demoDatabase(t *testing.T) *models.Store {
	t.Helper()
	sqliteEnv(t)
	ctx := context.Background()
	key, err := audit.LoadOrCreateKey(os.Getenv("QIANFA_AUDIT_KEY_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := models.Open(ctx, models.DriverSQLite, os.Getenv("QIANFA_DATABASE_DSN"), models.WithAuditKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	return store
}

// The preview of 2022-01-25 on the demo data: the bureau's 2020 report is still a
// draft, long overdue, and its 2021 report does not exist yet (in the digest).
const demoPreview2022_01_25 = `2022-01-25 09:00 将发送 4 条提醒（仅预览，未发送）：
收件人	报告	类型	剩余工作日
经办人 <drafter@example.gov.cn>	海盐县民政局2020年度政府信息公开工作年度报告	overdue	-246
签发领导 <leader@example.gov.cn>	海盐县民政局2020年度政府信息公开工作年度报告	escalation	-246
政务公开办 <supervisor@example.gov.cn>	海盐县民政局2020年度政府信息公开工作年度报告	escalation	-246
政务公开办 <supervisor@example.gov.cn>	（每日汇总）	digest	-246
`

func TestRemindersPreviewDemo(t *testing.T) {
	store := demoDatabase(t)
	cases := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"demo day", []string{"--date", "2022-01-25"}, 0, demoPreview2022_01_25, ""},
		{"spring festival", []string{"--date", "2022-01-31"}, 0, "2022-01-31 不是工作日（春节），不发送提醒。\n", ""},
		{"no date", nil, 2, "", "--date 应为 YYYY-MM-DD"},
		{"bad date", []string{"--date", "2022-02-30"}, 2, "", "--date 应为 YYYY-MM-DD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"reminders", "preview"}, c.args...)...)
			if code != c.code || out != c.out || !strings.Contains(errOut, c.err) {
				t.Errorf("exit %d, stdout:\n%s\nstderr: %s\nwant exit %d, stdout:\n%s", code, out, errOut, c.code, c.out)
			}
		})
	}
	n, err := store.OutboxCounts(context.Background())
	if err != nil || n["pending"]+n["sent"]+n["failed"]+n["kept"] != 0 {
		t.Errorf("preview wrote to the outbox: %v, %v", n, err)
	}
	// An override the admin set in the database makes the day a day off.
	d, _ := calendar.ParseDate("2022-01-25")
	if _, err := store.SetCalendarOverride(context.Background(), calendar.Override{Date: d, Name: "临时调休"}, 0); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "", "reminders", "preview", "--date", "2022-01-25"); code != 0 || out != "2022-01-25 不是工作日（临时调休），不发送提醒。\n" {
		t.Errorf("with a database override: exit %d %q", code, out)
	}
}

func TestRemindersUsage(t *testing.T) {
	code, _, errOut := runCLI(t, "", "reminders", "send")
	if code != 2 || !strings.Contains(errOut, "qianfa reminders preview --date YYYY-MM-DD") {
		t.Errorf("exit %d %s", code, errOut)
	}
}
