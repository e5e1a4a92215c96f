// Package notifications plans deadline reminders, escalations and digests from the
// working-day calendar, keeps them in an outbox so each goes out once across
// replicas, and sends them by SMTP (go-mail) or keeps them for the admin 发件箱 page.
//
// Planning is pure (it takes now); the store implements Outbox and PlanSource.
package notifications

import (
	"fmt"
	"slices"
	"time"
)

// Policy says who is reminded when. Reminders go out only on working days: working
// days left stay the same over a weekend, so a calendar-day rule would repeat them.
type Policy struct {
	// DaysBefore lists the working days left on which the holders are reminded.
	DaysBefore []int `koanf:"days_before" json:"days_before"`
	// OnDeadline reminds on the last working day on or before the deadline.
	OnDeadline bool `koanf:"on_deadline" json:"on_deadline"`
	// OverdueDaily reminds the holders every working day once the deadline has passed.
	OverdueDaily bool `koanf:"overdue_daily" json:"overdue_daily"`
	// IdleEscalationWorkdays escalates to the agency's leaders and the supervising
	// office when a step has been idle this many working days, and again after each
	// further such period; 0 turns it off.
	IdleEscalationWorkdays int `koanf:"idle_escalation_workdays" json:"idle_escalation_workdays"`
	// EscalateOverdue escalates every working day once the deadline has passed.
	EscalateOverdue bool `koanf:"escalate_overdue" json:"escalate_overdue"`
	// Digest sends each supervisor a daily list of the unpublished reports.
	Digest bool `koanf:"digest" json:"digest"`
	// DigestWindow limits the digest to reports with at most this many working days
	// left (overdue ones always qualify), so it starts with the first reminder.
	DigestWindow int `koanf:"digest_window" json:"digest_window"`
	// SendAt is the Asia/Shanghai time of day, HH:MM, at which messages go out.
	SendAt string `koanf:"send_at" json:"send_at"`
}

// DefaultPolicy is the policy of the issue: 15, 10, 5, 3, 2 and 1 working days before,
// on the deadline day and every overdue working day; escalation after 3 idle
// working days or when overdue; a daily digest; 09:00 Asia/Shanghai.
func DefaultPolicy() Policy {
	return Policy{
		DaysBefore:             []int{15, 10, 5, 3, 2, 1},
		OnDeadline:             true,
		OverdueDaily:           true,
		IdleEscalationWorkdays: 3,
		EscalateOverdue:        true,
		Digest:                 true,
		DigestWindow:           15,
		SendAt:                 "09:00",
	}
}

// Validate rejects values the planner cannot use.
func (p Policy) Validate() error {
	if _, _, err := p.sendTime(); err != nil {
		return err
	}
	if slices.ContainsFunc(p.DaysBefore, func(n int) bool { return n < 1 }) {
		return fmt.Errorf("notifications: days_before must be positive: %v", p.DaysBefore)
	}
	if p.IdleEscalationWorkdays < 0 || p.DigestWindow < 0 {
		return fmt.Errorf("notifications: idle_escalation_workdays and digest_window must not be negative")
	}
	return nil
}

func (p Policy) sendTime() (hour, minute int, err error) {
	t, err := time.Parse("15:04", p.SendAt)
	if err != nil {
		return 0, 0, fmt.Errorf("notifications: send_at %q is not HH:MM: %w", p.SendAt, err)
	}
	return t.Hour(), t.Minute(), nil
}
