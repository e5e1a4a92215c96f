package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"gorm.io/gorm"

	"qianfa/audit"
	"qianfa/workflow"
)

// CreateReport inserts r as a draft at version 1 (Kind defaults to "agency")
// and opens its audit chain with a create event. A second report of the
// same agency, year and kind is KindConflict "duplicate".
func (s *Store) CreateReport(ctx context.Context, actor AuditActor, r *Report) error {
	if r.Kind == "" {
		r.Kind = KindAgency
	}
	r.State, r.Version, r.Step, r.Revision, r.SubmittedBy = workflow.Draft, 1, 0, 0, nil
	r.AuditCount, r.AuditHead, r.PublishedAt = 0, "", nil
	r.Title = TitleOf(r.Content)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		e := reportEvent(r, actor, ActionCreate, s.now())
		e.FromState = ""
		e.Data = dataJSON(map[string]any{"year": r.Year, "kind": r.Kind, "edition": r.Edition, "content_sha256": sha256Hex(r.Content)})
		head, err := s.insertEvent(tx, audit.Head{}, e)
		if err != nil {
			return err
		}
		r.AuditCount, r.AuditHead = head.Count, head.Hash
		return tx.Model(r).UpdateColumns(map[string]any{"audit_count": head.Count, "audit_head": head.Hash}).Error
	})
	if workflow.CodeOf(translate(err, "")) == workflow.CodeDuplicate {
		return workflow.ErrDuplicate("该单位该年度的报告已存在").WithCause(err)
	}
	return translate(err, "报告")
}

// ReportByID returns the report with that id, content included.
func (s *Store) ReportByID(ctx context.Context, id int64) (*Report, error) {
	var r Report
	return &r, translate(s.reads.WithContext(ctx).Take(&r, id).Error, "报告")
}

// ReportByAgencyYear returns the report of that agency, year and kind.
func (s *Store) ReportByAgencyYear(ctx context.Context, agencyID int64, year int, kind string) (*Report, error) {
	var r Report
	err := s.db.WithContext(ctx).Where("agency_id = ? AND year = ? AND kind = ?", agencyID, year, kind).Take(&r).Error
	return &r, translate(err, "报告")
}

// ReportFilter selects reports for ListReports; zero fields do not filter.
// A non-nil empty AgencyIDs matches nothing (a scope without agencies).
type ReportFilter struct {
	AgencyIDs []int64
	Year      int
	State     workflow.State
	Kind      string
}

// ListReports returns the matching reports without their content, newest
// year first, then by agency.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]Report, error) {
	q := s.db.WithContext(ctx).Omit("content")
	if f.AgencyIDs != nil {
		q = q.Where("agency_id IN ?", f.AgencyIDs)
	}
	if f.Year != 0 {
		q = q.Where("year = ?", f.Year)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	var list []Report
	err := q.Order("year DESC").Order("agency_id").Order("id").Find(&list).Error
	return list, translate(err, "报告")
}

// SaveContent reads report id and replaces its content (SaveContentFrom).
func (s *Store) SaveContent(ctx context.Context, actor AuditActor, id, expectVersion int64, content string, errorCount, warningCount int, opts ...SaveOption) (*Report, error) {
	r, _, err := s.decisionRead(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.SaveContentFrom(ctx, actor, r, expectVersion, content, errorCount, warningCount, opts...)
}

// SaveContentFrom replaces the content of report r, as the caller read it, if
// it is a draft at expectVersion (else stale_version or invalid_transition):
// one transaction guarded by the version and audit head r was read at, with
// the save event on the report's chain. If the row moved on only by an event
// on its chain, it reads and tries again. It returns the saved report.
func (s *Store) SaveContentFrom(ctx context.Context, actor AuditActor, r *Report, expectVersion int64, content string, errorCount, warningCount int, opts ...SaveOption) (*Report, error) {
	var so saveOptions
	for _, o := range opts {
		o(&so)
	}
	for attempt := 0; ; attempt++ {
		if r.Version != expectVersion {
			return nil, workflow.ErrStaleVersion()
		}
		if r.State != workflow.Draft {
			return nil, workflow.Errorf(workflow.KindConflict, workflow.CodeInvalidTransition,
				"报告处于「%s」状态，不能修改内容", r.State.Label())
		}
		w, next, err := s.saveWrite(actor, r, content, errorCount, warningCount, so)
		if err != nil {
			return nil, translate(err, "报告")
		}
		written, err := s.write(ctx, w)
		if err != nil {
			return nil, err
		}
		if written {
			return next, nil
		}
		if r, _, err = s.rereadForRetry(ctx, r, attempt); err != nil {
			return nil, err
		}
	}
}

// saveWrite is the write of a save of report r, and r as it will be once
// written: fixed statements, not GORM's Updates(map): every save runs it.
func (s *Store) saveWrite(actor AuditActor, r *Report, content string, errorCount, warningCount int, so saveOptions) (reportWrite, *Report, error) {
	now := s.clock()
	e := reportEvent(r, actor, ActionSave, now)
	e.Data = dataJSON(map[string]any{"version": r.Version + 1, "content_sha256": sha256Hex(content),
		"errors": errorCount, "warnings": warningCount})
	head, err := s.chainEvent(audit.Head{Count: r.AuditCount, Hash: r.AuditHead}, e)
	if err != nil {
		return reportWrite{}, nil, err
	}
	next := *r
	next.Content, next.Title, next.ErrorCount, next.WarningCount = content, TitleOf(content), errorCount, warningCount
	next.Version, next.AuditCount, next.AuditHead, next.UpdatedAt = r.Version+1, head.Count, head.Hash, now
	q := "UPDATE reports SET content = ?, title = ?, error_count = ?, warning_count = ?, version = ?, " +
		"audit_count = ?, audit_head = ?, updated_at = ?"
	args := []any{content, next.Title, errorCount, warningCount, next.Version, head.Count, head.Hash, now}
	if so.carried != nil {
		q += ", carried = ?"
		args = append(args, *so.carried)
		next.Carried = *so.carried
	}
	return reportWrite{
		update:  writeStmt{q + rowGuard, append(args, r.ID, r.Version, r.AuditCount)},
		inserts: []writeStmt{s.eventInsert(e)},
	}, &next, nil
}

// SaveOption changes what SaveContent writes besides the content.
type SaveOption func(*saveOptions)

type saveOptions struct{ carried *string }

// WithCarried also replaces the record of carried values and override reasons, in the
// same transaction as the content.
func WithCarried(carried string) SaveOption {
	return func(o *saveOptions) { o.carried = &carried }
}

// Publications returns every publication of report id, oldest first.
func (s *Store) Publications(ctx context.Context, reportID int64) ([]Publication, error) {
	var list []Publication
	err := s.db.WithContext(ctx).Where("report_id = ?", reportID).Order("id").Find(&list).Error
	return list, translate(err, "公开记录")
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
