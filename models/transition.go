package models

import (
	"context"
	"time"

	"gorm.io/gorm"

	"qianfa/audit"
	"qianfa/workflow"
)

// maxChainRetries bounds how often a write is decided again because only
// the report's audit chain moved since the row was read (an export or a
// wrong sign-off password appended an event without changing the report).
const maxChainRetries = 5

// Transition reads report id and applies req by actor to it (TransitionFrom).
func (s *Store) Transition(ctx context.Context, id int64, actor workflow.Actor, actorUsername string,
	req workflow.Request, opt workflow.Options, now time.Time) (*Report, workflow.Transition, error) {
	r, steps, err := s.decisionRead(ctx, id)
	if err != nil {
		return nil, workflow.Transition{}, err
	}
	return s.TransitionFrom(ctx, r, steps, actor, actorUsername, req, opt, now)
}

// TransitionFrom applies req by actor to report r as the caller read it, with
// its agency's leader steps: it decides with workflow.Decide and writes the
// decision in one transaction guarded by the version and audit head r was
// read at — the guarded update (no row → stale_version), the audit event on
// the report's chain, the frozen revision on submit, the approval, the
// publication. If the row moved on only by an event on its chain, it reads
// and decides again. It returns the updated report (r's content, which a
// transition never changes) and the decided transition.
func (s *Store) TransitionFrom(ctx context.Context, r *Report, steps StepList, actor workflow.Actor, actorUsername string,
	req workflow.Request, opt workflow.Options, now time.Time) (*Report, workflow.Transition, error) {
	now = stamp(now)
	by := AuditActor{ID: actor.UserID, Username: actorUsername}
	for attempt := 0; ; attempt++ {
		wr, err := s.workflowReport(ctx, r, steps, req.Action)
		if err != nil {
			return nil, workflow.Transition{}, err
		}
		t, err := workflow.Decide(wr, actor, req, now, opt)
		if err != nil {
			return nil, workflow.Transition{}, translate(err, "报告")
		}
		w, next, err := s.transitionWrite(r, t, by)
		if err != nil {
			return nil, workflow.Transition{}, translate(err, "报告")
		}
		written, err := s.write(ctx, w)
		if err != nil {
			return nil, workflow.Transition{}, err
		}
		if written {
			return next, t, nil
		}
		fresh, freshSteps, err := s.rereadForRetry(ctx, r, attempt)
		if err != nil {
			return nil, workflow.Transition{}, err
		}
		r, steps = fresh, freshSteps
	}
}

// rereadForRetry reads report r again after its guarded write matched no row:
// when only its audit chain moved (same version) the write is decided again,
// up to maxChainRetries times; anything else is stale_version.
func (s *Store) rereadForRetry(ctx context.Context, r *Report, attempt int) (*Report, StepList, error) {
	fresh, steps, err := s.decisionRead(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	if fresh.Version != r.Version || attempt >= maxChainRetries {
		return nil, nil, workflow.ErrStaleVersion()
	}
	fresh.Content = r.Content // same version, same content
	return fresh, steps, nil
}

// decisionReportSQL reads a report row without content and its agency's
// leader steps in one statement.
var decisionReportSQL = "SELECT " + qualified("r", reportCols[:len(reportCols)-1]) +
	", (SELECT a.approval_steps FROM agencies a WHERE a.id = r.agency_id) FROM reports r WHERE r.id = ?"

// decisionRead reads report id (without content) and its agency's leader
// steps: what a decision needs. The read is not locked; the write that
// follows is guarded by what it read.
func (s *Store) decisionRead(ctx context.Context, id int64) (*Report, StepList, error) {
	var (
		r     Report
		steps StepList
	)
	err := s.readSQL().QueryRowContext(ctx, decisionReportSQL, id).Scan(append(reportDest(&r, false), &steps)...)
	if err != nil {
		return nil, nil, translate(notFound(err), "报告")
	}
	r.utc()
	return &r, steps, nil
}

// workflowReport is what Decide needs of r: the report, its agency's leader
// steps and, only for an approval in the leaders' round (the one decision
// that looks at them), the approvals of the current revision. Approvals are
// written only with a new version, so the guarded write also pins them.
func (s *Store) workflowReport(ctx context.Context, r *Report, steps StepList, action workflow.Action) (workflow.Report, error) {
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
	approvals, err := s.revisionApprovals(ctx, r.ID, r.Revision)
	if err != nil {
		return workflow.Report{}, err
	}
	wr.Approvals = approvals
	return wr, nil
}

// transitionWrite is the write of transition t of report r, and r as it will
// be once written. The report's columns are set by fixed statements, not
// GORM's Updates(map): this runs on every transition.
func (s *Store) transitionWrite(r *Report, t workflow.Transition, actor AuditActor) (reportWrite, *Report, error) {
	e := reportEvent(r, actor, string(t.Action), t.At)
	e.FromState, e.ToState, e.Comment, e.Revision = string(t.From), string(t.To), t.Comment, t.Revision
	e.Data = dataJSON(map[string]int{"from_step": t.FromStep, "to_step": t.ToStep})
	head, err := s.chainEvent(audit.Head{Count: r.AuditCount, Hash: r.AuditHead}, e)
	if err != nil {
		return reportWrite{}, nil, err
	}
	next := *r
	next.State, next.Step, next.Version, next.Revision = t.To, t.ToStep, r.Version+1, t.Revision
	next.AuditCount, next.AuditHead, next.UpdatedAt = head.Count, head.Hash, t.At
	q := "UPDATE reports SET state = ?, step = ?, version = ?, revision = ?, audit_count = ?, audit_head = ?, updated_at = ?"
	args := []any{string(t.To), t.ToStep, next.Version, t.Revision, head.Count, head.Hash, t.At}
	if t.FreezeRevision {
		q += ", submitted_by = ?"
		args = append(args, t.ActorID)
		next.SubmittedBy = &t.ActorID
	}
	if t.Publish {
		q += ", published_at = ?"
		args = append(args, t.At)
		next.PublishedAt = &t.At
	}
	w := reportWrite{
		update:  writeStmt{q + rowGuard, append(args, r.ID, r.Version, r.AuditCount)},
		inserts: append([]writeStmt{s.eventInsert(e)}, s.sideEffects(&next, t)...),
	}
	return w, &next, nil
}

// sideEffects are the rows transition t adds to report next (as written):
// the frozen revision on submit, the publication, the approval, each run
// only after the statement before it changed one row (afterOne). Approvals
// belong to a revision, so ResetApprovals needs no delete: the next submit
// starts a new revision.
func (s *Store) sideEffects(next *Report, t workflow.Transition) []writeStmt {
	var out []writeStmt
	// The content is copied inside the database: it can be megabytes.
	fromRow := " FROM reports WHERE id = ? AND " + s.afterOne()
	if t.FreezeRevision {
		out = append(out, writeStmt{"INSERT INTO revisions (report_id, number, state_at_freeze, content, author_id, created_at) " +
			"SELECT id, ?, ?, content, ?, ?" + fromRow, []any{t.Revision, string(t.To), t.ActorID, t.At, next.ID}})
	}
	if t.Publish {
		out = append(out, writeStmt{"INSERT INTO publications (report_id, revision, content, published_at, published_by) " +
			"SELECT id, ?, content, ?, ?" + fromRow, []any{t.Revision, t.At, t.ActorID, next.ID}})
	}
	if t.Approval != nil {
		out = append(out, s.insertIfOne("INSERT INTO approvals (report_id, revision, step, user_id, created_at)",
			[]any{next.ID, t.Revision, t.Approval.Step, t.Approval.UserID, stamp(t.Approval.At)}))
	}
	return out
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
