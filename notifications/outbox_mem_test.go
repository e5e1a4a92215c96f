package notifications

import (
	"context"
	"sync"
	"time"
)

// memOutbox is the outbox protocol in memory, as the store implements it in SQL.
type memOutbox struct {
	mu   sync.Mutex
	rows []*memRow
	keys map[string]bool
}

type memRow struct {
	item       OutboxItem
	status     string // pending, sent, failed, kept
	nextAt     time.Time
	owner      string
	leaseUntil time.Time
	lastErr    string
	retries    []time.Time // every retryAt asked for
}

func newMemOutbox() *memOutbox { return &memOutbox{keys: map[string]bool{}} }

func (m *memOutbox) Enqueue(_ context.Context, ns []Notification) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, x := range ns {
		if m.keys[x.DedupeKey] {
			continue
		}
		m.keys[x.DedupeKey] = true
		m.rows = append(m.rows, &memRow{item: OutboxItem{ID: int64(len(m.rows) + 1), Notification: x}, status: "pending", nextAt: x.SendAt})
		n++
	}
	return n, nil
}

func (m *memOutbox) Claim(_ context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []OutboxItem
	for _, r := range m.rows {
		if len(out) == limit {
			break
		}
		if r.status != "pending" || r.nextAt.After(now) || (r.owner != "" && r.leaseUntil.After(now)) {
			continue
		}
		r.owner, r.leaseUntil = owner, now.Add(lease)
		r.item.Attempts++
		out = append(out, r.item)
	}
	return out, nil
}

func (m *memOutbox) leased(id int64, owner string) (*memRow, error) {
	for _, r := range m.rows {
		if r.item.ID == id && r.owner == owner && r.status == "pending" {
			return r, nil
		}
	}
	return nil, ErrLeaseLost
}

func (m *memOutbox) MarkSent(_ context.Context, id int64, owner string, _ time.Time) error {
	return m.mark(id, owner, func(r *memRow) { r.status = "sent" })
}

func (m *memOutbox) MarkKept(_ context.Context, id int64, owner string, _ time.Time) error {
	return m.mark(id, owner, func(r *memRow) { r.status = "kept" })
}

func (m *memOutbox) MarkFailed(_ context.Context, id int64, owner string, _ time.Time, errText string, retryAt time.Time, final bool) error {
	return m.mark(id, owner, func(r *memRow) {
		r.lastErr, r.nextAt = errText, retryAt
		r.retries = append(r.retries, retryAt)
		if final {
			r.status = "failed"
		}
	})
}

func (m *memOutbox) mark(id int64, owner string, f func(*memRow)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.leased(id, owner)
	if err != nil {
		return err
	}
	f(r)
	r.owner = ""
	return nil
}

func (m *memOutbox) statuses() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for _, r := range m.rows {
		out[r.item.DedupeKey] = r.status
	}
	return out
}

// clock is a fake clock the tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// recorder is a Sender that keeps what it is given, failing while fail is set.
type recorder struct {
	mu   sync.Mutex
	sent []Message
	fail error
}

func (r *recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	return nil
}
