package models

import (
	"context"
	"database/sql"

	"qianfa/audit"
)

// auditSelect reads one batch of the log in seq order, for VerifyAudit.
const auditSelect = "SELECT id, chain, pos, at, actor_id, actor_username, action, agency_id, report_id, " +
	"from_state, to_state, comment, revision, data, prev_hash, hash FROM audit_events WHERE id > ? ORDER BY id LIMIT ?"

// auditBatches streams the whole log in seq order, batch events at a time,
// into the returned channel, while the caller verifies the previous batch:
// reading and checking MACs then use both cores. It scans with database/sql
// rather than GORM, whose reflection cost more than the MACs (BENCHMARKS.md).
// The error channel yields one value once the stream ends.
func (s *Store) auditBatches(ctx context.Context, batch int) (<-chan []audit.Event, <-chan error) {
	out := make(chan []audit.Event, 2)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		stmt, err := s.sqlDB.PrepareContext(ctx, auditSelect)
		if err != nil {
			errc <- err
			return
		}
		defer stmt.Close()
		var after int64
		for {
			events, err := readAuditBatch(ctx, stmt, after, batch)
			if err != nil {
				errc <- err
				return
			}
			if len(events) > 0 {
				after = events[len(events)-1].Seq
				select {
				case out <- events:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			if len(events) < batch {
				errc <- nil
				return
			}
		}
	}()
	return out, errc
}

func readAuditBatch(ctx context.Context, stmt *sql.Stmt, after int64, batch int) ([]audit.Event, error) {
	rows, err := stmt.QueryContext(ctx, after, batch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	events := make([]audit.Event, 0, batch)
	for rows.Next() {
		var e audit.Event
		if err := rows.Scan(&e.Seq, &e.Chain, &e.Pos, &e.At, &e.ActorID, &e.ActorUsername, &e.Action, &e.AgencyID,
			&e.ReportID, &e.FromState, &e.ToState, &e.Comment, &e.Revision, &e.Data, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		events = append(events, e)
	}
	return events, rows.Err()
}
