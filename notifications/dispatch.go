package notifications

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Dispatcher claims due outbox rows, sends them and records the outcome. Several
// replicas may run it at once: leases keep them apart, and a replica killed
// mid-send leaves its rows to be claimed again when the lease expires.
type Dispatcher struct {
	Outbox  Outbox
	Sender  Sender
	Owner   string        // this replica, e.g. hostname:pid
	Lease   time.Duration // longer than a send can take
	Batch   int
	Backoff Backoff
	Now     func() time.Time
	Log     *slog.Logger
}

// DispatchResult counts what one run did.
type DispatchResult struct {
	Sent, Retrying, Failed, Kept int
}

// NewDispatcher returns a Dispatcher with a 5-minute lease, batches of 50, the
// default backoff and the real clock.
func NewDispatcher(outbox Outbox, sender Sender, owner string) *Dispatcher {
	return &Dispatcher{Outbox: outbox, Sender: sender, Owner: owner, Lease: 5 * time.Minute,
		Batch: 50, Backoff: DefaultBackoff(), Now: time.Now, Log: slog.Default()}
}

// RunOnce claims one batch and handles each row. A lost lease is logged and
// skipped; an outbox error stops the run.
func (d *Dispatcher) RunOnce(ctx context.Context) (DispatchResult, error) {
	var res DispatchResult
	items, err := d.Outbox.Claim(ctx, d.Owner, d.Now(), d.Lease, d.Batch)
	if err != nil {
		return res, fmt.Errorf("notifications: claim: %w", err)
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return res, ctx.Err() // unhandled rows return when their lease expires
		}
		err := d.handle(ctx, it, &res)
		if errors.Is(err, ErrLeaseLost) {
			d.Log.Warn("outbox lease lost", "id", it.ID, "owner", d.Owner)
			continue
		}
		if err != nil {
			return res, fmt.Errorf("notifications: outbox row %d: %w", it.ID, err)
		}
	}
	return res, nil
}

func (d *Dispatcher) handle(ctx context.Context, it OutboxItem, res *DispatchResult) error {
	if it.Attempts > d.Backoff.MaxAttempts {
		res.Failed++
		return d.Outbox.MarkFailed(ctx, it.ID, d.Owner, d.Now(), "发送次数已用尽", time.Time{}, true)
	}
	err := d.Sender.Send(ctx, MessageOf(it.Notification))
	now := d.Now()
	switch {
	case err == nil:
		res.Sent++
		return d.Outbox.MarkSent(ctx, it.ID, d.Owner, now)
	case errors.Is(err, ErrKept):
		res.Kept++
		return d.Outbox.MarkKept(ctx, it.ID, d.Owner, now)
	}
	final := it.Attempts >= d.Backoff.MaxAttempts
	if final {
		res.Failed++
	} else {
		res.Retrying++
	}
	retryAt := now.Add(d.Backoff.Delay(it.Attempts))
	if final {
		retryAt = time.Time{}
	}
	d.Log.Warn("send failed", "id", it.ID, "attempt", it.Attempts, "final", final, "err", err)
	return d.Outbox.MarkFailed(ctx, it.ID, d.Owner, now, truncate(err.Error(), 500), retryAt, final)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
