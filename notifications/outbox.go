package notifications

import (
	"context"
	"errors"
	"time"
)

// OutboxItem is a claimed outbox row.
type OutboxItem struct {
	ID int64
	Notification
	// Attempts counts the claims of this row including the current one, so a
	// message that kills the replica sending it still runs out of attempts.
	Attempts int
}

// ErrLeaseLost is returned by MarkSent, MarkFailed and MarkKept when the row is no
// longer leased to owner (the lease expired and another replica claimed it).
var ErrLeaseLost = errors.New("notifications: outbox lease lost")

// Outbox is the outbox table as the store implements it. Rows are pending, sent,
// failed or kept; the admin 发件箱 page lists them and /metrics counts failed ones.
type Outbox interface {
	// Enqueue inserts the notifications, ignoring any whose DedupeKey exists already
	// (a unique key: INSERT IGNORE / ON CONFLICT DO NOTHING), and returns how many
	// were new. Concurrent calls with the same keys insert each key once.
	Enqueue(ctx context.Context, ns []Notification) (inserted int, err error)
	// Claim leases up to limit pending rows whose SendAt and retry time are not after
	// now and whose lease is free or expired, oldest first, to owner until now+lease,
	// incrementing their attempts — on MySQL/MariaDB with SELECT … FOR UPDATE SKIP
	// LOCKED, so two replicas never claim the same row.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// MarkSent marks a row leased to owner as sent at at. ErrLeaseLost otherwise.
	MarkSent(ctx context.Context, id int64, owner string, at time.Time) error
	// MarkFailed records a failed attempt on a row leased to owner and frees the
	// lease: the row is retried at retryAt, or is failed for good when final (retryAt
	// is then zero).
	// ErrLeaseLost otherwise.
	MarkFailed(ctx context.Context, id int64, owner string, at time.Time, errText string, retryAt time.Time, final bool) error
	// MarkKept marks a row leased to owner as kept: no SMTP server is configured, so
	// it stays on the 发件箱 page unsent and is never claimed again. ErrLeaseLost
	// otherwise.
	MarkKept(ctx context.Context, id int64, owner string, at time.Time) error
}

// Backoff spaces the retries of a failed send.
type Backoff struct {
	Base        time.Duration // delay after the first failure
	Factor      int           // each further failure multiplies the delay
	MaxAttempts int           // after this many failed attempts the row is failed
}

// DefaultBackoff retries after 1, 2, 4 … 64 minutes and gives up after 8 attempts.
func DefaultBackoff() Backoff { return Backoff{Base: time.Minute, Factor: 2, MaxAttempts: 8} }

// Delay is the wait after the attempt-th failed attempt (1-based).
func (b Backoff) Delay(attempt int) time.Duration {
	d := b.Base
	for i := 1; i < attempt; i++ {
		d *= time.Duration(b.Factor)
	}
	return d
}
