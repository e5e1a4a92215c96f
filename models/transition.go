package models

import (
	"context"
	"time"

	"gorm.io/gorm"

	"qianfa/audit"
	"qianfa/workflow"
)

// Transition applies req by actor to report id in one database transaction:
// it locks and reads the report, decides with workflow.Decide, performs the
// guarded update (0 rows → stale_version), freezes the revision on submit,
// records the approval, publishes, and appends the audit event to the
// report's chain, advancing the head on the report row. It returns the
// updated report (without content) and the decided transition.
func (s *Store) Transition(ctx context.Context, id int64, actor workflow.Actor, actorUsername string,
	req workflow.Request, opt workflow.Options, now time.Time) (*Report, workflow.Transition, error) {
	var (
		r Report
		t workflow.Transition
	)
	now = stamp(now)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		wr, err := s.lockedWorkflowReport(tx, id, &r, req.Action)
		if err != nil {
			return err
		}
		if t, err = workflow.Decide(wr, actor, req, now, opt); err != nil {
			return err
		}
		return s.apply(tx, &r, t, AuditActor{ID: actor.UserID, Username: actorUsername})
	})
	if err != nil {
		return nil, workflow.Transition{}, translate(err, "报告")
	}
	return &r, t, nil
}

// lockedReportSQL reads a report row without content and its agency's leader
// steps in one statement. The steps come from a scalar subquery rather than
// a JOIN: with FOR UPDATE, MariaDB locks every row a JOIN reads, which would
// serialise all transitions of one agency on its row (and order those locks
// against the agency chain's writers); the subquery's row is read unlocked,
// as the separate read it replaces was.
var lockedReportSQL = "SELECT " + qualified("r", reportCols[:len(reportCols)-1]) +
	", (SELECT a.approval_steps FROM agencies a WHERE a.id = r.agency_id) FROM reports r WHERE r.id = ?"

// lockedWorkflowReport locks and reads report id into r and returns what
// Decide needs: the report, its agency's leader steps and, only for an
// approval in the leaders' round (the one decision that looks at them), the
// approvals of the current revision.
func (s *Store) lockedWorkflowReport(tx *gorm.DB, id int64, r *Report, action workflow.Action) (workflow.Report, error) {
	q := lockedReportSQL
	if s.driver == DriverMySQL {
		q += " FOR UPDATE"
	}
	var steps StepList
	if err := tx.Raw(q, id).Row().Scan(append(reportDest(r, false), &steps)...); err != nil {
		return workflow.Report{}, notFound(err)
	}
	r.utc()
	wr := workflow.Report{
		ID: r.ID, AgencyID: r.AgencyID, State: r.State, Version: r.Version, Step: r.Step,
		Steps: steps, Revision: r.Revision, ErrorFindings: r.ErrorCount,
	}
	if r.SubmittedBy != nil {
		wr.SubmittedBy = *r.SubmittedBy
	}
	if action != workflow.Approve || r.State != workflow.InApproval || r.Revision == 0 {
		return wr, nil
	}
	var rows []Approval
	err := tx.Where("report_id = ? AND revision = ?", r.ID, r.Revision).Order("step").Find(&rows).Error
	if err != nil {
		return workflow.Report{}, err
	}
	for _, a := range rows {
		wr.Approvals = append(wr.Approvals, workflow.Approval{Step: a.Step, UserID: a.UserID, At: a.CreatedAt.UTC()})
	}
	return wr, nil
}

// guard is the WHERE of every write to a report row: the version the writer
// read. Every change of state increments the version, so the version also
// pins the state; the state is checked (under the row lock) in Go rather than
// in this WHERE because with "state = ?" MariaDB picks a range scan of
// idx_reports_state, whose gap locks deadlock concurrent transitions of
// different reports when they move rows within that index.
const guard = "id = ? AND version = ?"

// apply writes transition t of report r (read under lock in tx) and updates
// r in memory to match.
func (s *Store) apply(tx *gorm.DB, r *Report, t workflow.Transition, actor AuditActor) error {
	e := reportEvent(r, actor, string(t.Action), t.At)
	e.FromState, e.ToState, e.Comment, e.Revision = string(t.From), string(t.To), t.Comment, t.Revision
	e.Data = dataJSON(map[string]int{"from_step": t.FromStep, "to_step": t.ToStep})
	head, err := s.insertEvent(tx, audit.Head{Count: r.AuditCount, Hash: r.AuditHead}, e)
	if err != nil {
		return err
	}
	// A fixed statement, not GORM's Updates(map): this runs on every transition.
	q := "UPDATE reports SET state = ?, step = ?, version = ?, revision = ?, audit_count = ?, audit_head = ?, updated_at = ?"
	args := []any{string(t.To), t.ToStep, r.Version + 1, t.Revision, head.Count, head.Hash, t.At}
	if t.FreezeRevision {
		q += ", submitted_by = ?"
		args = append(args, t.ActorID)
	}
	if t.Publish {
		q += ", published_at = ?"
		args = append(args, t.At)
	}
	res := tx.Exec(q+" WHERE "+guard, append(args, r.ID, r.Version)...)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return workflow.ErrStaleVersion()
	}
	if err := s.recordSideEffects(tx, r, t); err != nil {
		return err
	}
	r.State, r.Step, r.Version, r.Revision = t.To, t.ToStep, r.Version+1, t.Revision
	r.AuditCount, r.AuditHead, r.UpdatedAt = head.Count, head.Hash, t.At
	if t.FreezeRevision {
		r.SubmittedBy = &t.ActorID
	}
	if t.Publish {
		r.PublishedAt = &t.At
	}
	return nil
}

// recordSideEffects writes the rows a transition adds: the frozen revision
// on submit, the approval, the publication. Approvals belong to a revision,
// so ResetApprovals needs no delete: the next submit starts a new revision.
func (s *Store) recordSideEffects(tx *gorm.DB, r *Report, t workflow.Transition) error {
	// The content is copied inside the database: it can be megabytes.
	if t.FreezeRevision {
		err := tx.Exec("INSERT INTO revisions (report_id, number, state_at_freeze, content, author_id, created_at) "+
			"SELECT id, ?, ?, content, ?, ? FROM reports WHERE id = ?", t.Revision, t.To, t.ActorID, t.At, r.ID).Error
		if err != nil {
			return err
		}
	}
	if t.Publish {
		err := tx.Exec("INSERT INTO publications (report_id, revision, content, published_at, published_by) "+
			"SELECT id, ?, content, ?, ? FROM reports WHERE id = ?", t.Revision, t.At, t.ActorID, r.ID).Error
		if err != nil {
			return err
		}
	}
	if t.Approval != nil {
		_, err := execInsert(tx, "INSERT INTO approvals (report_id, revision, step, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
			r.ID, t.Revision, t.Approval.Step, t.Approval.UserID, stamp(t.Approval.At))
		return err
	}
	return nil
}

// AuditReauthFailure records, on report id's chain, that actor gave a wrong
// password for the last approval step (the transition itself was refused
// and rolled back, so this is its own transaction).
func (s *Store) AuditReauthFailure(ctx context.Context, id int64, actor AuditActor, comment string, now time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// One locked read gives the event's fields and the chain head (it used to
		// read the row, then lock it again for the head).
		var r Report
		err := s.lock(tx).Select("id", "agency_id", "state", "revision", "step", "audit_count", "audit_head").
			Take(&r, id).Error
		if err != nil {
			return err
		}
		e := reportEvent(&r, actor, ActionReauthFailed, now)
		e.Comment = comment
		e.Data = dataJSON(map[string]int{"step": r.Step})
		owner := chainOwner{table: "reports", id: r.ID, head: audit.Head{Count: r.AuditCount, Hash: r.AuditHead}}
		return s.appendTo(tx, owner, e)
	})
	return translate(err, "报告")
}
