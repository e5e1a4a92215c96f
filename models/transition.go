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
		if err := s.lock(tx).Omit("content").Take(&r, id).Error; err != nil {
			return err
		}
		wr, err := s.workflowReport(tx, &r)
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

// workflowReport loads what Decide needs beside the report row: the
// agency's leader steps and the approvals of the current revision.
func (s *Store) workflowReport(tx *gorm.DB, r *Report) (workflow.Report, error) {
	var ag Agency
	if err := tx.Select("id", "approval_steps").Take(&ag, r.AgencyID).Error; err != nil {
		return workflow.Report{}, err
	}
	var rows []Approval
	if r.Revision > 0 {
		err := tx.Where("report_id = ? AND revision = ?", r.ID, r.Revision).Order("step").Find(&rows).Error
		if err != nil {
			return workflow.Report{}, err
		}
	}
	wr := workflow.Report{
		ID: r.ID, AgencyID: r.AgencyID, State: r.State, Version: r.Version, Step: r.Step,
		Steps: ag.ApprovalSteps, Revision: r.Revision, ErrorFindings: r.ErrorCount,
	}
	if r.SubmittedBy != nil {
		wr.SubmittedBy = *r.SubmittedBy
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
	set := map[string]any{
		"state": t.To, "step": t.ToStep, "version": r.Version + 1, "revision": t.Revision,
		"audit_count": head.Count, "audit_head": head.Hash, "updated_at": t.At,
	}
	if t.FreezeRevision {
		set["submitted_by"] = t.ActorID
	}
	if t.Publish {
		set["published_at"] = t.At
	}
	res := tx.Model(&Report{}).Where(guard, r.ID, r.Version).Updates(set)
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
		a := Approval{ReportID: r.ID, Revision: t.Revision, Step: t.Approval.Step, UserID: t.Approval.UserID, CreatedAt: stamp(t.Approval.At)}
		return tx.Create(&a).Error
	}
	return nil
}

// AuditReauthFailure records, on report id's chain, that actor gave a wrong
// password for the last approval step (the transition itself was refused
// and rolled back, so this is its own transaction).
func (s *Store) AuditReauthFailure(ctx context.Context, id int64, actor AuditActor, comment string, now time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Report
		if err := tx.Select("id", "agency_id", "state", "revision", "step").Take(&r, id).Error; err != nil {
			return err
		}
		e := reportEvent(&r, actor, ActionReauthFailed, now)
		e.Comment = comment
		e.Data = dataJSON(map[string]int{"step": r.Step})
		return s.appendLocked(tx, e)
	})
	return translate(err, "报告")
}
