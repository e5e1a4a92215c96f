package models

import (
	"context"
	"slices"
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
// at any depth (the office itself excluded), in ascending order.
func (s *Store) ChildAgencies(ctx context.Context, officeID int64) ([]int64, error) {
	type link struct{ ID, ParentID int64 }
	var links []link
	err := s.db.WithContext(ctx).Model(&Agency{}).Select("id", "parent_id").
		Where("parent_id IS NOT NULL").Order("id").Find(&links).Error
	if err != nil {
		return nil, translate(err, "单位")
	}
	children := map[int64][]int64{}
	for _, l := range links {
		children[l.ParentID] = append(children[l.ParentID], l.ID)
	}
	var ids []int64
	seen := map[int64]bool{officeID: true}
	queue := []int64{officeID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range children[id] {
			if !seen[c] {
				seen[c] = true
				ids = append(ids, c)
				queue = append(queue, c)
			}
		}
	}
	sortIDs(ids)
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

func sortIDs(ids []int64) { slices.Sort(ids) }
