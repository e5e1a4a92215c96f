package notifications

import (
	"strings"
	"testing"
	"time"

	"qianfa/calendar"
)

func plan2021(t *testing.T, day string) []Notification {
	t.Helper()
	return Plan(date(day).At(9, 0), calendar.New(), DefaultPolicy(), PlanInput{BaseURL: baseURL, Reports: reports2021()})
}

func TestReminderMail(t *testing.T) {
	n := find(t, plan2021(t, "2022-01-25"), "1|u1|reminder|2022-01-25")
	want := Notification{
		DedupeKey:       "1|u1|reminder|2022-01-25",
		MessageID:       "2ada6d8225973b34a70d6fe449c9594dcc4913fb85a34ff835b809767469c75e@qianfa.example.gov.cn",
		Kind:            KindReminder,
		Recipient:       zhang,
		ReportID:        1,
		Subject:         "【签发提醒】海盐县民政局2021年度政府信息公开工作年度报告：距截止还有5个工作日",
		WorkingDaysLeft: 5,
		Deadline:        date("2022-01-31"),
		Day:             date("2022-01-25"),
		SendAt:          time.Date(2022, 1, 25, 1, 0, 0, 0, time.UTC),
		Text: `张三，您好：

您负责办理的年度报告距截止还有5个工作日，请及时办理。

报告：海盐县民政局2021年度政府信息公开工作年度报告
状态：起草中
截止日期：2022年1月31日（星期一，春节假期）
剩余工作日：5个工作日

办理地址：https://qianfa.example.gov.cn/reports/1

本邮件由签发系统自动发送，请勿直接回复。
`,
	}
	html := n.HTML
	n.HTML = ""
	if n != want {
		t.Errorf("got\n%+v\nwant\n%+v", n, want)
	}
	for _, s := range []string{
		`<title>【签发提醒】海盐县民政局2021年度政府信息公开工作年度报告：距截止还有5个工作日</title>`,
		`<tr><th align="left">状态</th><td>起草中</td></tr>`,
		`<tr><th align="left">剩余工作日</th><td>5个工作日</td></tr>`,
		`<a href="https://qianfa.example.gov.cn/reports/1">打开办理页面</a>`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %s", s)
		}
	}
}

func TestSubjects(t *testing.T) {
	tests := []struct{ day, key, subject string }{
		{"2022-01-30", "3|u7|deadline|2022-01-30", "【签发提醒】海盐县教育局2021年度政府信息公开工作年度报告：今天是截止前最后一个工作日"},
		{"2022-02-07", "1|u1|overdue|2022-02-07", "【逾期提醒】海盐县民政局2021年度政府信息公开工作年度报告：已逾期1个工作日"},
		{"2022-01-25", "2|u5|escalation|2022-01-25", "【督办提醒】海盐县财政局2021年度政府信息公开工作年度报告：在“保密审查中”环节已停留3个工作日"},
		{"2022-02-07", "2|u6|escalation|2022-02-07", "【督办提醒】海盐县财政局2021年度政府信息公开工作年度报告：已逾期1个工作日；在“保密审查中”环节已停留9个工作日"},
		{"2022-01-25", "0|u5|digest|2022-01-25", "【每日汇总】海盐县人民政府办公室：4家单位年度报告尚未公开"},
	}
	for _, tt := range tests {
		if got := find(t, plan2021(t, tt.day), tt.key).Subject; got != tt.subject {
			t.Errorf("%s: %s", tt.key, got)
		}
	}
	// On a deadline that is a working day the mail says so plainly.
	n := find(t, Plan(date("2026-01-26").At(9, 0), calendar.New(), DefaultPolicy(),
		PlanInput{BaseURL: baseURL, Reports: reports2025()}), "13|u7|deadline|2026-01-26")
	if n.Subject != "【签发提醒】海盐县教育局2025年度政府信息公开工作年度报告：今天截止" {
		t.Errorf("deadline subject %s", n.Subject)
	}
}

// The digest lists the unpublished reports riskiest first: the one not created,
// then by state, and never the government report outside the window.
func TestDigestOrder(t *testing.T) {
	text := find(t, plan2021(t, "2022-01-25"), "0|u5|digest|2022-01-25").Text
	var order []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, ". "); i > 0 && i < 3 {
			order = append(order, strings.SplitN(line[i+2:], "　", 2)[0])
		}
	}
	want := "海盐县水利局,海盐县民政局,海盐县财政局,海盐县教育局"
	if got := strings.Join(order, ","); got != want {
		t.Errorf("digest order %s, want %s", got, want)
	}
	// In the 2025 set report 13 is overdue against its internal date: it comes first.
	text = find(t, Plan(date("2026-02-02").At(9, 0), calendar.New(), DefaultPolicy(),
		PlanInput{BaseURL: baseURL, Reports: reports2025()}), "0|u5|digest|2026-02-02").Text
	i13, i11, i12 := strings.Index(text, "海盐县教育局"), strings.Index(text, "海盐县民政局"), strings.Index(text, "海盐县财政局")
	if !(i13 < i11 && i11 < i12) {
		t.Errorf("2025 digest order: %d %d %d\n%s", i13, i11, i12, text)
	}
}

// Everything from the store is escaped in HTML and kept on one line in headers.
func TestMailEscaping(t *testing.T) {
	r := agencyReport(1, `<b>局</b>&"`, 2021, "draft")
	r.Title = "恶意\r\nBcc: x@evil.example <script>alert(1)</script>"
	r.Holders = []Recipient{{1, "a@example.gov.cn", `<i>张</i>`}}
	n := Plan(date("2022-01-25").At(9, 0), calendar.New(), DefaultPolicy(), PlanInput{BaseURL: baseURL, Reports: []ReportStatus{r}})[0]
	if strings.ContainsAny(n.Subject, "\r\n") {
		t.Errorf("subject has a line break: %q", n.Subject)
	}
	if strings.Contains(n.HTML, "<script>") || strings.Contains(n.HTML, "<i>") {
		t.Errorf("HTML not escaped:\n%s", n.HTML)
	}
	for _, s := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;i&gt;张&lt;/i&gt;，您好："} {
		if !strings.Contains(n.HTML, s) {
			t.Errorf("HTML lacks %s", s)
		}
	}
}

func TestMessageID(t *testing.T) {
	tests := []struct{ key, base, want string }{
		{"1|u1|reminder|2022-01-25", "https://qianfa.example.gov.cn:8443/app",
			"2ada6d8225973b34a70d6fe449c9594dcc4913fb85a34ff835b809767469c75e@qianfa.example.gov.cn"},
		{"1|u1|reminder|2022-01-25", "",
			"2ada6d8225973b34a70d6fe449c9594dcc4913fb85a34ff835b809767469c75e@qianfa"},
	}
	for _, tt := range tests {
		if got := MessageID(tt.key, tt.base); got != tt.want {
			t.Errorf("MessageID(%q, %q) = %s", tt.key, tt.base, got)
		}
	}
}

func TestPreview(t *testing.T) {
	got := Preview(date("2022-01-28"), calendar.New(), DefaultPolicy(), PlanInput{BaseURL: baseURL, Reports: reports2021()})
	want := []string{
		"张三 <zhangsan@haiyan.gov.cn>\t海盐县民政局2021年度政府信息公开工作年度报告\treminder\t2",
		"李四 <lisi@haiyan.gov.cn>\t海盐县财政局2021年度政府信息公开工作年度报告\treminder\t2",
		"孙八 <sunba@haiyan.gov.cn>\t海盐县财政局2021年度政府信息公开工作年度报告\tescalation\t2",
		"钱七 <qianqi@haiyan.gov.cn>\t海盐县财政局2021年度政府信息公开工作年度报告\tescalation\t2",
		"周九 <zhoujiu@haiyan.gov.cn>\t海盐县教育局2021年度政府信息公开工作年度报告\treminder\t2",
		"钱七 <qianqi@haiyan.gov.cn>\t（每日汇总）\tdigest\t2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Preview:\n%s", strings.Join(got, "\n"))
	}
	if got := Preview(date("2022-01-31"), calendar.New(), DefaultPolicy(), PlanInput{Reports: reports2021()}); len(got) != 0 {
		t.Errorf("Preview on Spring Festival: %v", got)
	}
}

func TestPolicyValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, mutate := range []func(*Policy){
		func(p *Policy) { p.SendAt = "9点" },
		func(p *Policy) { p.SendAt = "25:00" },
		func(p *Policy) { p.DaysBefore = []int{5, 0} },
		func(p *Policy) { p.IdleEscalationWorkdays = -1 },
	} {
		p := DefaultPolicy()
		mutate(&p)
		if p.Validate() == nil {
			t.Errorf("accepted %+v", p)
		}
	}
}
