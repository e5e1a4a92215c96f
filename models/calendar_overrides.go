package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"qianfa/calendar"
	"qianfa/workflow"
)

// CalendarOverride is a row of calendar_overrides: a working day or a day off
// set by an admin, for a State Council notice newer than the built-in data.
type CalendarOverride struct {
	Date      string `gorm:"primaryKey"` // YYYY-MM-DD
	Work      bool
	Name      string
	UpdatedBy int64
	UpdatedAt time.Time
}

// TableName is the table of CalendarOverride.
func (CalendarOverride) TableName() string { return "calendar_overrides" }

// Override is the row as the calendar takes it.
func (o CalendarOverride) Override() (calendar.Override, error) {
	d, err := calendar.ParseDate(o.Date)
	return calendar.Override{Date: d, Work: o.Work, Name: o.Name}, err
}

// CalendarOverrides returns every override, by date.
func (s *Store) CalendarOverrides(ctx context.Context) ([]CalendarOverride, error) {
	var list []CalendarOverride
	return list, translate(s.db.WithContext(ctx).Order("date").Find(&list).Error, "节假日调整")
}

// CalendarOverrideList returns the overrides as the calendar takes them.
func (s *Store) CalendarOverrideList(ctx context.Context) ([]calendar.Override, error) {
	rows, err := s.CalendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]calendar.Override, 0, len(rows))
	for _, r := range rows {
		o, err := r.Override()
		if err != nil {
			return nil, workflow.ErrInternal(err)
		}
		out = append(out, o)
	}
	return out, nil
}

// SetCalendarOverride creates or replaces the override of o.Date, recording
// the admin byUserID.
func (s *Store) SetCalendarOverride(ctx context.Context, o calendar.Override, byUserID int64) (*CalendarOverride, error) {
	if o.Date.IsZero() {
		return nil, workflow.Errorf(workflow.KindValidation, workflow.CodeValidation, "日期不能为空")
	}
	row := CalendarOverride{Date: o.Date.String(), Work: o.Work, Name: o.Name, UpdatedBy: byUserID, UpdatedAt: s.clock()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "date"}},
		DoUpdates: clause.AssignmentColumns([]string{"work", "name", "updated_by", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return nil, translate(err, "节假日调整")
	}
	return &row, nil
}

// DeleteCalendarOverride removes the override of d; none is not_found.
func (s *Store) DeleteCalendarOverride(ctx context.Context, d calendar.Date) error {
	res := s.db.WithContext(ctx).Where("date = ?", d.String()).Delete(&CalendarOverride{})
	if res.Error != nil {
		return translate(res.Error, "节假日调整")
	}
	if res.RowsAffected == 0 {
		return workflow.ErrNotFound("节假日调整")
	}
	return nil
}
