package models

import "context"

// gate admits at most cap(g) holders at a time, and its waiters in the order
// they came: a channel serves its blocked senders first in, first out.
// database/sql hands a freed connection to a random waiter instead, so under
// load a few requests waited many times longer than the rest; the hot reads
// and the report writes pass a gate as wide as their pool before asking it
// for a connection (MariaDB, c = 64: p99 115 → 65–80 ms, BENCHMARKS.md fix 27).
type gate chan struct{}

func newGate(n int) gate { return make(gate, max(n, 1)) }

// enter waits for a place, or until ctx ends.
func (g gate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave frees the place taken by enter.
func (g gate) leave() { <-g }
