package notifications

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"qianfa/calendar"
)

// Kind is what a notification is about.
type Kind string

// The kinds of notification, stable machine codes stored in the outbox.
const (
	KindReminder   Kind = "reminder"   // n working days before the deadline
	KindDeadline   Kind = "deadline"   // the last working day on or before the deadline
	KindOverdue    Kind = "overdue"    // a working day after the deadline
	KindEscalation Kind = "escalation" // to leaders and the supervising office
	KindDigest     Kind = "digest"     // daily list for a supervisor
)

// Recipient is a user who receives mail. Users without an e-mail address are skipped.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
}

// ReportStatus is what the planner needs to know about one report, as the store
// reads it. It carries no report content beyond the title.
type ReportStatus struct {
	ID         int64 // 0: the agency has not created its report yet (digest only)
	Title      string
	AgencyName string
	OfficeName string // the supervising office (政务公开办) of the agency
	Year       int
	Kind       calendar.Kind
	// Deadline is the date reminders count towards; zero means the statutory one.
	// A region with an internal submission date passes that date here.
	Deadline calendar.Date
	State    string // draft, in_review, in_approval, approved, published; "" if not created
	StepName string // the current approval step while in_approval
	// LastActivity is when the report last entered its state or was saved.
	LastActivity time.Time
	// Holders hold the report now: drafters in draft, reviewers in in_review, the
	// leaders of the current step in in_approval, publishers in approved.
	Holders     []Recipient
	Leaders     []Recipient // the agency's leaders
	Supervisors []Recipient // the supervisors of the agency's office
}

// PlanInput is everything Plan reads.
type PlanInput struct {
	BaseURL string // server.base_url, for links and the Message-ID domain
	Reports []ReportStatus
}

// Notification is one planned message, ready to be stored in the outbox.
type Notification struct {
	// DedupeKey is report|recipient|kind|day; the outbox keeps one row per key.
	DedupeKey string
	// MessageID is derived from DedupeKey (without angle brackets), so a message
	// sent twice after a crash carries the same Message-ID.
	MessageID       string
	Kind            Kind
	Recipient       Recipient
	ReportID        int64 // 0 for a digest
	Subject         string
	Text            string
	HTML            string
	WorkingDaysLeft int
	Deadline        calendar.Date
	Day             calendar.Date // the Asia/Shanghai day it is planned for
	SendAt          time.Time     // UTC; the sender does not send it earlier
}

// Plan returns the notifications due on the Asia/Shanghai day of now: nothing on a
// day off. It is pure: the same input gives the same notifications with the same
// dedupe keys, so planning twice, or on several replicas, plans each once.
func Plan(now time.Time, cal *calendar.Calendar, pol Policy, in PlanInput) []Notification {
	today := calendar.Today(now)
	if !cal.IsWorkday(today) {
		return nil
	}
	hour, minute, err := pol.sendTime()
	if err != nil {
		hour, minute = 9, 0 // Validate reports the error at startup
	}
	p := planner{cal: cal, pol: pol, today: today, sendAt: today.At(hour, minute).UTC(), baseURL: in.BaseURL}
	var out []Notification
	for _, r := range in.Reports {
		out = append(out, p.forReport(r)...)
	}
	return append(out, p.digests(in.Reports)...)
}

type planner struct {
	cal     *calendar.Calendar
	pol     Policy
	today   calendar.Date
	sendAt  time.Time
	baseURL string
}

// standing is where a report stands today.
type standing struct {
	ReportStatus
	deadline calendar.Date
	left     int
	overdue  bool
	idle     int // working days since the last activity; -1 unknown
}

func (p planner) stand(r ReportStatus) standing {
	dl := r.Deadline
	if dl.IsZero() {
		dl = calendar.Deadline(r.Kind, r.Year)
	}
	s := standing{ReportStatus: r, deadline: dl, idle: -1}
	s.left = p.cal.WorkdaysLeft(p.today, dl)
	s.overdue = p.today.After(dl)
	if !r.LastActivity.IsZero() {
		s.idle = p.cal.WorkdaysBetween(calendar.Today(r.LastActivity), p.today)
	}
	return s
}

func (p planner) forReport(r ReportStatus) []Notification {
	if r.ID == 0 || r.State == statePublished || (r.Deadline.IsZero() && calendar.Deadline(r.Kind, r.Year).IsZero()) {
		return nil
	}
	s := p.stand(r)
	var out []Notification
	if kind, ok := p.reminderKind(s); ok {
		for _, to := range uniqueRecipients(r.Holders, nil) {
			out = append(out, p.reportNotification(s, kind, to, ""))
		}
	}
	if reason := p.escalationReason(s); reason != "" {
		for _, to := range uniqueRecipients(append(append([]Recipient{}, r.Leaders...), r.Supervisors...), r.Holders) {
			out = append(out, p.reportNotification(s, KindEscalation, to, reason))
		}
	}
	return out
}

func (p planner) reminderKind(s standing) (Kind, bool) {
	switch {
	case s.overdue:
		return KindOverdue, p.pol.OverdueDaily
	case s.left == 0:
		return KindDeadline, p.pol.OnDeadline
	}
	for _, n := range p.pol.DaysBefore {
		if s.left == n {
			return KindReminder, true
		}
	}
	return "", false
}

// escalationReason says why leaders and supervisors are told, "" when they are not.
func (p planner) escalationReason(s standing) string {
	var reasons []string
	if s.overdue && p.pol.EscalateOverdue {
		reasons = append(reasons, fmt.Sprintf("已逾期%d个工作日", -s.left))
	}
	if n := p.pol.IdleEscalationWorkdays; n > 0 && s.idle >= n && s.idle%n == 0 {
		reasons = append(reasons, fmt.Sprintf("在“%s”环节已停留%d个工作日", stateLabel(s.State, s.StepName), s.idle))
	}
	return strings.Join(reasons, "；")
}

func (p planner) reportNotification(s standing, kind Kind, to Recipient, reason string) Notification {
	n := p.base(kind, to, s.ID, s.deadline, s.left)
	n.Subject, n.Text, n.HTML = renderReport(reportMailData(p, s, kind, to, reason))
	return n
}

func (p planner) base(kind Kind, to Recipient, reportID int64, deadline calendar.Date, left int) Notification {
	key := DedupeKey(reportID, to, kind, p.today)
	return Notification{
		DedupeKey: key, MessageID: MessageID(key, p.baseURL), Kind: kind, Recipient: to,
		ReportID: reportID, WorkingDaysLeft: left, Deadline: deadline, Day: p.today, SendAt: p.sendAt,
	}
}

// DedupeKey is report|recipient|kind|day, e.g. "7|u12|reminder|2022-01-28"; the
// recipient is the user id, or the e-mail address for a user without one.
func DedupeKey(reportID int64, to Recipient, kind Kind, day calendar.Date) string {
	who := "u" + strconv.FormatInt(to.UserID, 10)
	if to.UserID == 0 {
		who = "e" + to.Email
	}
	return fmt.Sprintf("%d|%s|%s|%s", reportID, who, kind, day)
}

// uniqueRecipients drops users without an address, repeats and anyone in except.
func uniqueRecipients(rs, except []Recipient) []Recipient {
	seen := map[string]bool{}
	for _, r := range except {
		seen[recipientKey(r)] = true
	}
	var out []Recipient
	for _, r := range rs {
		k := recipientKey(r)
		if r.Email == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	return out
}

func recipientKey(r Recipient) string {
	if r.UserID != 0 {
		return "u" + strconv.FormatInt(r.UserID, 10)
	}
	return "e" + r.Email
}
