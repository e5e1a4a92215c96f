package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"qianfa/calendar"
	"qianfa/notifications"
)

// The statuses of an outbox row.
const (
	OutboxPending = "pending" // waiting to be sent, or to be retried
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // out of attempts
	OutboxKept    = "kept"   // no SMTP server: shown on the 发件箱 page, never sent
)

// OutboxMessage is a row of outbox: one planned e-mail, unique by DedupeKey.
// A sender holds it while LeaseOwner is set and LeaseUntil is in the future.
type OutboxMessage struct {
	ID              int64
	DedupeKey       string
	MessageID       string
	Kind            string
	ReportID        int64
	RecipientUserID int64
	RecipientEmail  string
	RecipientName   string
	Subject         string
	TextBody        string
	HTMLBody        string `gorm:"column:html_body"`
	Day             string // YYYY-MM-DD, Asia/Shanghai
	SendAt          time.Time
	Status          string
	Attempts        int
	LeaseOwner      string
	LeaseUntil      *time.Time
	NextAttemptAt   time.Time
	LastError       string
	SentAt          *time.Time
	CreatedAt       time.Time
}

// TableName is the table of OutboxMessage.
func (OutboxMessage) TableName() string { return "outbox" }

// The store is the outbox of the reminder scheduler.
var _ notifications.Outbox = (*Store)(nil)

// enqueueRetries bounds the retries of an enqueue that InnoDB chose as a
// deadlock victim: replicas inserting the same keys at once may deadlock on
// the unique index, and the retry then finds the keys present.
const enqueueRetries = 5

// Enqueue inserts the notifications whose dedupe key is new, each with its
// in-app notification (for a recipient with a user id) in the same
// transaction, and returns how many were new.
func (s *Store) Enqueue(ctx context.Context, ns []notifications.Notification) (int, error) {
	sorted := slices.Clone(ns)
	// One lock order for every replica makes deadlocks rare.
	slices.SortFunc(sorted, func(a, b notifications.Notification) int { return strings.Compare(a.DedupeKey, b.DedupeKey) })
	var inserted int
	err := s.retryDeadlock(func() (err error) {
		inserted, err = s.enqueueOnce(ctx, sorted)
		return err
	})
	return inserted, translate(err, "发件箱")
}

func (s *Store) enqueueOnce(ctx context.Context, ns []notifications.Notification) (int, error) {
	inserted := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inserted = 0
		now := s.clock()
		for _, n := range ns {
			id, isNew, err := s.insertOutbox(tx, outboxRowOf(n, now))
			if err != nil {
				return err
			}
			if !isNew {
				continue
			}
			inserted++
			if n.Recipient.UserID == 0 {
				continue // an address without an account has no in-app notifications
			}
			in := InboxItem{UserID: n.Recipient.UserID, OutboxID: id, ReportID: n.ReportID,
				Kind: string(n.Kind), Title: n.Subject, Body: n.Text, CreatedAt: now}
			if err := tx.Create(&in).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return inserted, err
}

// outboxColumns are the columns Enqueue writes, in the order of outboxValues.
const outboxColumns = "dedupe_key, message_id, kind, report_id, recipient_user_id, recipient_email, recipient_name, " +
	"subject, text_body, html_body, day, send_at, status, attempts, lease_owner, next_attempt_at, last_error, created_at"

func outboxValues(r OutboxMessage) []any {
	return []any{r.DedupeKey, r.MessageID, r.Kind, r.ReportID, r.RecipientUserID, r.RecipientEmail, r.RecipientName,
		r.Subject, r.TextBody, r.HTMLBody, r.Day, r.SendAt, r.Status, r.Attempts, r.LeaseOwner, r.NextAttemptAt,
		r.LastError, r.CreatedAt}
}

// insertOutbox inserts r unless its dedupe key exists and returns its id
// when it is new. The statement is written out because GORM's upsert on
// MariaDB adds RETURNING, which returns the existing row as if inserted.
func (s *Store) insertOutbox(tx *gorm.DB, r OutboxMessage) (id int64, isNew bool, err error) {
	values := outboxValues(r)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")
	conflict := "ON CONFLICT (dedupe_key) DO NOTHING"
	if s.driver == DriverMySQL {
		conflict = "ON DUPLICATE KEY UPDATE id = id"
	}
	res := tx.Exec("INSERT INTO outbox ("+outboxColumns+") VALUES ("+marks+") "+conflict, values...)
	if res.Error != nil || res.RowsAffected != 1 {
		return 0, false, res.Error
	}
	err = tx.Model(&OutboxMessage{}).Where("dedupe_key = ?", r.DedupeKey).Pluck("id", &id).Error
	return id, true, err
}

func outboxRowOf(n notifications.Notification, now time.Time) OutboxMessage {
	sendAt := stamp(n.SendAt)
	return OutboxMessage{
		DedupeKey: n.DedupeKey, MessageID: n.MessageID, Kind: string(n.Kind), ReportID: n.ReportID,
		RecipientUserID: n.Recipient.UserID, RecipientEmail: n.Recipient.Email, RecipientName: n.Recipient.Name,
		Subject: n.Subject, TextBody: n.Text, HTMLBody: n.HTML, Day: n.Day.String(), SendAt: sendAt,
		Status: OutboxPending, NextAttemptAt: sendAt, CreatedAt: now,
	}
}

// deadlocked reports whether err is InnoDB's deadlock (1213) or lock wait
// timeout (1205), after which the whole transaction may be run again.
func deadlocked(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}

// Claim leases up to limit due pending rows to owner until now+lease and
// counts the attempt. On MySQL the rows are selected FOR UPDATE SKIP LOCKED,
// so replicas claiming at once take disjoint rows; SQLite's immediate
// transaction serialises claims.
func (s *Store) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]notifications.OutboxItem, error) {
	now = stamp(now)
	until := stamp(now.Add(lease))
	var rows []OutboxMessage
	err := s.retryDeadlock(func() error {
		rows = nil
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.claimIn(tx, &rows, owner, now, until, limit)
		}, s.claimTxOptions())
	})
	if err != nil {
		return nil, translate(fmt.Errorf("claim: %w", err), "发件箱")
	}
	items := make([]notifications.OutboxItem, len(rows))
	for i, r := range rows {
		items[i] = notifications.OutboxItem{ID: r.ID, Notification: r.notification(), Attempts: r.Attempts + 1}
	}
	return items, nil
}

// claimTxOptions runs claims READ COMMITTED on MySQL: without gap locks, a
// claim does not block the updates of rows another replica has claimed.
func (s *Store) claimTxOptions() *sql.TxOptions {
	if s.driver == DriverMySQL {
		return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return nil
}

// retryDeadlock runs fn again, a few times, while InnoDB picks it as a
// deadlock victim; fn must be a whole transaction.
func (s *Store) retryDeadlock(fn func() error) error {
	var err error
	for range enqueueRetries {
		if err = fn(); !deadlocked(err) {
			return err
		}
	}
	return err
}

// claimIn selects the due rows into rows and leases them, inside tx.
func (s *Store) claimIn(tx *gorm.DB, rows *[]OutboxMessage, owner string, now, until time.Time, limit int) error {
	q := tx.Where("status = ? AND next_attempt_at <= ? AND send_at <= ?", OutboxPending, now, now).
		Where("lease_until IS NULL OR lease_until <= ?", now).
		Order("next_attempt_at").Order("id").Limit(limit)
	if s.driver == DriverMySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked})
	}
	if err := q.Find(rows).Error; err != nil || len(*rows) == 0 {
		return err
	}
	ids := make([]int64, len(*rows))
	for i, r := range *rows {
		ids[i] = r.ID
	}
	return tx.Model(&OutboxMessage{}).Where("id IN ?", ids).Updates(map[string]any{
		"lease_owner": owner, "lease_until": until, "attempts": gorm.Expr("attempts + 1"),
	}).Error
}

// notification is the row as the planner made it.
func (r OutboxMessage) notification() notifications.Notification {
	day, _ := calendar.ParseDate(r.Day)
	return notifications.Notification{
		DedupeKey: r.DedupeKey, MessageID: r.MessageID, Kind: notifications.Kind(r.Kind),
		Recipient: notifications.Recipient{UserID: r.RecipientUserID, Email: r.RecipientEmail, Name: r.RecipientName},
		ReportID:  r.ReportID, Subject: r.Subject, Text: r.TextBody, HTML: r.HTMLBody, Day: day, SendAt: r.SendAt,
	}
}

// MarkSent marks a row leased to owner as sent.
func (s *Store) MarkSent(ctx context.Context, id int64, owner string, at time.Time) error {
	return s.markLeased(ctx, id, owner, map[string]any{"status": OutboxSent, "sent_at": stamp(at)})
}

// MarkKept marks a row leased to owner as kept for the 发件箱 page.
func (s *Store) MarkKept(ctx context.Context, id int64, owner string, at time.Time) error {
	return s.markLeased(ctx, id, owner, map[string]any{"status": OutboxKept})
}

// MarkFailed records a failed attempt of a row leased to owner: it is tried
// again at retryAt, or failed for good when final.
func (s *Store) MarkFailed(ctx context.Context, id int64, owner string, at time.Time, errText string, retryAt time.Time, final bool) error {
	ch := map[string]any{"last_error": truncateUTF8(errText, 1000)}
	if final {
		ch["status"] = OutboxFailed
	} else {
		ch["next_attempt_at"] = stamp(retryAt)
	}
	return s.markLeased(ctx, id, owner, ch)
}

// markLeased applies ch and frees the lease, only while the row is pending
// and leased to owner; otherwise another replica has claimed it since.
func (s *Store) markLeased(ctx context.Context, id int64, owner string, ch map[string]any) error {
	ch["lease_owner"], ch["lease_until"] = "", nil
	var res *gorm.DB
	_ = s.retryDeadlock(func() error {
		res = s.db.WithContext(ctx).Model(&OutboxMessage{}).
			Where("id = ? AND lease_owner = ? AND status = ?", id, owner, OutboxPending).Updates(ch)
		return res.Error
	})
	if res.Error != nil {
		return translate(res.Error, "发件箱")
	}
	if res.RowsAffected != 1 {
		return notifications.ErrLeaseLost
	}
	return nil
}

// OutboxFilter selects rows for ListOutbox; Limit 0 means 200.
type OutboxFilter struct {
	Status string
	Limit  int
}

// ListOutbox returns the matching rows, newest first.
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q := s.db.WithContext(ctx).Order("id DESC").Limit(f.Limit)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var list []OutboxMessage
	return list, translate(q.Find(&list).Error, "发件箱")
}

// OutboxCounts returns the number of rows of every status, zero included.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "发件箱")
	}
	out := map[string]int64{OutboxPending: 0, OutboxSent: 0, OutboxFailed: 0, OutboxKept: 0}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
