package models

import (
	"context"
	"time"
)

// InboxItem is a row of inbox: an in-app notification, made from the outbox
// row OutboxID when it was planned, whether or not the mail goes out.
type InboxItem struct {
	ID        int64
	UserID    int64
	OutboxID  int64
	ReportID  int64
	Kind      string
	Title     string
	Body      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// TableName is the table of InboxItem.
func (InboxItem) TableName() string { return "inbox" }

// ListInbox returns the newest limit notifications of userID (50 when limit
// is not positive), newest first.
func (s *Store) ListInbox(ctx context.Context, userID int64, limit int) ([]InboxItem, error) {
	if limit <= 0 {
		limit = 50
	}
	var list []InboxItem
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(limit).Find(&list).Error
	return list, translate(err, "通知")
}

// UnreadCount returns how many notifications of userID are unread.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&InboxItem{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, translate(err, "通知")
}

// MarkInboxRead marks the unread notifications ids of userID as read, or all
// of them when all is set, and returns how many changed. Ids of other users
// are ignored.
func (s *Store) MarkInboxRead(ctx context.Context, userID int64, ids []int64, all bool) (int64, error) {
	if !all && len(ids) == 0 {
		return 0, nil
	}
	q := s.db.WithContext(ctx).Model(&InboxItem{}).Where("user_id = ? AND read_at IS NULL", userID)
	if !all {
		q = q.Where("id IN ?", ids)
	}
	res := q.Update("read_at", s.clock())
	return res.RowsAffected, translate(res.Error, "通知")
}
