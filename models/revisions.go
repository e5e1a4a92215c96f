package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ListRevisions returns the revisions of report reportID without content,
// oldest first.
func (s *Store) ListRevisions(ctx context.Context, reportID int64) ([]Revision, error) {
	var list []Revision
	err := s.db.WithContext(ctx).Omit("content").Where("report_id = ?", reportID).Order("number").Find(&list).Error
	return list, translate(err, "修订版本")
}

// Revision returns revision n of report reportID, content included.
func (s *Store) Revision(ctx context.Context, reportID int64, n int) (*Revision, error) {
	var rev Revision
	err := s.db.WithContext(ctx).Where("report_id = ? AND number = ?", reportID, n).Take(&rev).Error
	return &rev, translate(err, "修订版本")
}

// LastRevisionApprovedBy returns the newest revision of report reportID that
// userID approved (at any step), and 0 when they approved none: the base of
// "what changed since I last reviewed it".
func (s *Store) LastRevisionApprovedBy(ctx context.Context, reportID, userID int64) (int, error) {
	var a Approval
	err := s.db.WithContext(ctx).Select("revision").Where("report_id = ? AND user_id = ?", reportID, userID).
		Order("revision DESC").Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	return a.Revision, translate(err, "审批记录")
}

// Approvals returns every approval of report reportID, by revision then
// step (the reviewer's step -1 first): the sign-off record.
func (s *Store) Approvals(ctx context.Context, reportID int64) ([]Approval, error) {
	var list []Approval
	err := s.db.WithContext(ctx).Where("report_id = ?", reportID).Order("revision").Order("step").Find(&list).Error
	return list, translate(err, "审批记录")
}
