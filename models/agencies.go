package models

import (
	"context"
	"time"

	"gorm.io/gorm"

	"qianfa/audit"
	"qianfa/workflow"
)

// CreateAgency inserts a, with workflow.DefaultSteps when it has no steps, and
// opens its audit chain with an agency_create event by actor.
func (s *Store) CreateAgency(ctx context.Context, actor AuditActor, a *Agency) error {
	if len(a.ApprovalSteps) == 0 {
		a.ApprovalSteps = append(StepList(nil), workflow.DefaultSteps...)
	}
	a.AuditCount, a.AuditHead = 0, ""
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		e := agencyEvent(a.ID, actor, ActionAgencyCreate, s.now(),
			map[string]any{"code": a.Code, "name": a.Name, "parent_id": a.ParentID, "approval_steps": a.ApprovalSteps})
		head, err := s.insertEvent(tx, audit.Head{}, e)
		if err != nil {
			return err
		}
		a.AuditCount, a.AuditHead = head.Count, head.Hash
		return tx.Model(a).UpdateColumns(map[string]any{"audit_count": head.Count, "audit_head": head.Hash}).Error
	})
	return translate(err, "单位")
}

// AgencyByID returns the agency with that id.
func (s *Store) AgencyByID(ctx context.Context, id int64) (*Agency, error) {
	var a Agency
	return &a, translate(s.reads.WithContext(ctx).Take(&a, id).Error, "单位")
}

// AgencyByCode returns the agency with that code.
func (s *Store) AgencyByCode(ctx context.Context, code string) (*Agency, error) {
	var a Agency
	return &a, translate(s.db.WithContext(ctx).Where("code = ?", code).Take(&a).Error, "单位")
}

// ListAgencies returns every agency ordered by code.
func (s *Store) ListAgencies(ctx context.Context) ([]Agency, error) {
	var list []Agency
	return list, translate(s.db.WithContext(ctx).Order("code").Find(&list).Error, "单位")
}

// ChildAgencies returns the ids of the agencies under the office officeID,
// at any depth (the office itself excluded), in ascending order. The database
// walks the tree along idx_agencies_parent (it used to return every link of
// every agency, 10 000 rows in a region, for the walk to be done here); UNION
// rather than UNION ALL stops at an agency already seen.
func (s *Store) ChildAgencies(ctx context.Context, officeID int64) ([]int64, error) {
	var ids []int64
	err := s.reads.WithContext(ctx).Raw("WITH RECURSIVE sub(id) AS ("+
		"SELECT id FROM agencies WHERE parent_id = ? "+
		"UNION SELECT a.id FROM agencies a JOIN sub ON a.parent_id = sub.id) "+
		"SELECT id FROM sub WHERE id <> ? ORDER BY id", officeID, officeID).Scan(&ids).Error
	if err != nil {
		return nil, translate(err, "单位")
	}
	return ids, nil
}

// UpdateAgencySteps replaces the leader approval steps of agency id; reports
// already in approval keep their step index, so change steps between rounds.
func (s *Store) UpdateAgencySteps(ctx context.Context, actor AuditActor, id int64, steps []string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Agency{ID: id}).Update("approval_steps", StepList(steps))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		e := agencyEvent(id, actor, ActionAgencyUpdate, s.now(), map[string]any{"approval_steps": steps})
		return s.appendLocked(tx, e)
	})
	return translate(err, "单位")
}

// agencyEvent is an event on agency id's chain; data is encoded as JSON.
func agencyEvent(id int64, actor AuditActor, action string, at time.Time, data any) *audit.Event {
	return &audit.Event{
		At: at, ActorID: actor.ID, ActorUsername: actor.Username, Action: action,
		AgencyID: id, Data: dataJSON(data),
	}
}
