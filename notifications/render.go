package notifications

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var funcs = map[string]any{"inc": func(i int) int { return i + 1 }}

// The templates are parsed once; a broken template stops the program at start.
var (
	reportText = texttemplate.Must(texttemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/report.txt.tmpl"))
	reportHTML = htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/report.html.tmpl"))
	digestText = texttemplate.Must(texttemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/digest.txt.tmpl"))
	digestHTML = htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/digest.html.tmpl"))
)

// reportMail is what a mail about one report shows: its title, state, deadline,
// working days left and link — never its content.
type reportMail struct {
	Tag, Title, Headline, Greeting, Lead string
	State, Deadline, Left, Reason        string
	Holders, Link                        string
}

type digestMail struct {
	Tag, Office, Greeting, Day string
	Rows                       []digestRow
}

type digestRow struct {
	Agency, Title, State, Deadline, Left, Link string
}

func renderReport(m reportMail) (subject, text, html string) {
	return render(reportText, reportHTML, m)
}

func renderDigest(m digestMail) (subject, text, html string) {
	return render(digestText, digestHTML, m)
}

// render executes the embedded templates; they are fixed and their data is strings,
// so an error is a programming error caught by the tests.
func render(txt *texttemplate.Template, htm *htmltemplate.Template, data any) (subject, text, html string) {
	var s, t, h bytes.Buffer
	for _, err := range []error{
		txt.ExecuteTemplate(&s, "subject", data),
		txt.ExecuteTemplate(&t, "text", data),
		htm.ExecuteTemplate(&h, "html", data),
	} {
		if err != nil {
			panic("notifications: render: " + err.Error())
		}
	}
	return oneLine(s.String()), t.String(), h.String()
}

func reportMailData(p planner, s standing, kind Kind, to Recipient, reason string) reportMail {
	m := reportMail{
		Title: reportTitle(s.ReportStatus), Greeting: greeting(to), State: stateLabel(s.State, s.StepName),
		Deadline: p.formatDeadline(s), Left: leftText(s.left, s.overdue), Reason: reason,
		Link: reportLink(p.baseURL, s.ID),
	}
	switch kind {
	case KindReminder:
		m.Tag, m.Headline = "【签发提醒】", "距截止还有"+strconv.Itoa(s.left)+"个工作日"
		m.Lead = "您负责办理的年度报告" + m.Headline + "，请及时办理。"
	case KindDeadline:
		m.Tag, m.Headline = "【签发提醒】", "今天截止"
		m.Lead = "您负责办理的年度报告今天截止，请在今天内办结。"
		if p.today != s.deadline {
			m.Headline = "今天是截止前最后一个工作日"
			m.Lead = "您负责办理的年度报告截止日为休息日，今天是截止前最后一个工作日，请在今天内办结。"
		}
	case KindOverdue:
		m.Tag, m.Headline = "【逾期提醒】", "已逾期"+strconv.Itoa(-s.left)+"个工作日"
		m.Lead = "您负责办理的年度报告" + m.Headline + "，请尽快办结。"
	case KindEscalation:
		m.Tag, m.Headline = "【督办提醒】", reason
		m.Lead = "以下年度报告需要督办：" + reason + "。"
		m.Holders = names(s.Holders)
	}
	return m
}

func digestMailData(p planner, to Recipient, list []standing) digestMail {
	m := digestMail{Tag: "【每日汇总】", Office: oneLine(list[0].OfficeName), Greeting: greeting(to), Day: formatDate(p.today)}
	if m.Office == "" {
		m.Office = "年度报告"
	}
	for _, s := range list {
		m.Rows = append(m.Rows, digestRow{
			Agency: oneLine(s.AgencyName), Title: reportTitle(s.ReportStatus), State: stateLabel(s.State, s.StepName),
			Deadline: p.formatDeadline(s), Left: leftText(s.left, s.overdue), Link: reportLink(p.baseURL, s.ID),
		})
	}
	return m
}

// reportTitle is the report's title on one line, or the conventional title when the
// store has none.
func reportTitle(r ReportStatus) string {
	if t := oneLine(r.Title); t != "" {
		return t
	}
	return oneLine(r.AgencyName) + strconv.Itoa(r.Year) + "年度政府信息公开工作年度报告"
}

func reportLink(baseURL string, id int64) string {
	if id == 0 {
		return ""
	}
	return strings.TrimRight(baseURL, "/") + "/reports/" + strconv.FormatInt(id, 10)
}

func greeting(to Recipient) string {
	if n := oneLine(to.Name); n != "" {
		return n + "，您好："
	}
	return "您好："
}

func leftText(left int, overdue bool) string {
	switch {
	case overdue:
		return "已逾期" + strconv.Itoa(-left) + "个工作日"
	case left == 0:
		return "0个工作日（今天是最后一个工作日）"
	}
	return strconv.Itoa(left) + "个工作日"
}

func names(rs []Recipient) string {
	var out []string
	for _, r := range rs {
		if n := oneLine(r.Name); n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "、")
}

// oneLine turns control characters (a title with a newline) into spaces, so nothing
// can end a header line or forge one.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s))
}
