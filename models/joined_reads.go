package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"gorm.io/gorm"

	"qianfa/workflow"
)

// The hot reads of a request, each one statement scanned with database/sql:
// a request used to read the session, then its user, the report, then its
// agency, each a statement (on MariaDB a round trip) and each through GORM's
// reflection (BENCHMARKS.md, "fewer statements per request").

// reportCols are the columns of reports as scanReport reads them, content last.
var reportCols = []string{"id", "agency_id", "year", "kind", "edition", "state", "version", "step",
	"revision", "submitted_by", "error_count", "warning_count", "audit_count", "audit_head",
	"created_at", "updated_at", "published_at", "carried", "title", "content"}

// agencyCols are the columns of agencies as scanAgency reads them.
var agencyCols = []string{"id", "code", "name", "level", "parent_id", "approval_steps",
	"audit_count", "audit_head", "created_at", "updated_at"}

// userCols are the columns of users as scanUser reads them.
var userCols = []string{"id", "username", "name", "email", "agency_id", "roles", "password_hash",
	"active", "created_at", "updated_at"}

// sessionCols are the columns of sessions as scanSession reads them.
var sessionCols = []string{"token_hash", "user_id", "csrf_token", "created_at", "expires_at", "last_seen_at"}

// qualified prefixes every column with alias ("r" → "r.id, r.agency_id, …").
func qualified(alias string, cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(alias + "." + c)
	}
	return b.String()
}

func reportDest(r *Report, withContent bool) []any {
	d := []any{&r.ID, &r.AgencyID, &r.Year, &r.Kind, &r.Edition, &r.State, &r.Version, &r.Step,
		&r.Revision, &r.SubmittedBy, &r.ErrorCount, &r.WarningCount, &r.AuditCount, &r.AuditHead,
		&r.CreatedAt, &r.UpdatedAt, &r.PublishedAt, &r.Carried, &r.Title}
	if withContent {
		d = append(d, &r.Content)
	}
	return d
}

func agencyDest(a *Agency) []any {
	return []any{&a.ID, &a.Code, &a.Name, &a.Level, &a.ParentID, &a.ApprovalSteps,
		&a.AuditCount, &a.AuditHead, &a.CreatedAt, &a.UpdatedAt}
}

func userDest(u *User) []any {
	return []any{&u.ID, &u.Username, &u.Name, &u.Email, &u.AgencyID, &u.Roles, &u.PasswordHash,
		&u.Active, &u.CreatedAt, &u.UpdatedAt}
}

func sessionDest(s *Session) []any {
	return []any{&s.TokenHash, &s.UserID, &s.CSRFToken, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt}
}

// readRow reads the one row of a hot read (a prepared statement of the
// readers' pool) into dest; sql.ErrNoRows when there is none.
func (s *Store) readRow(ctx context.Context, query string, args []any, dest ...any) error {
	if err := s.readGate.enter(ctx); err != nil {
		return err
	}
	defer s.readGate.leave()
	return s.prepared.scan(ctx, s.readSQL(), query, args, dest...)
}

// readSQL is the database/sql pool of the hot reads (see openReads).
func (s *Store) readSQL() *sql.DB {
	if s.readsDB != nil {
		return s.readsDB
	}
	return s.sqlDB
}

var (
	reportWithAgencySQL = "SELECT " + qualified("r", reportCols) + ", " + qualified("a", agencyCols) +
		" FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.id = ?"
	sessionWithUserSQL = "SELECT " + qualified("s", sessionCols) + ", " + qualified("u", userCols) +
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
	sessionAndReportSQL = "SELECT " + qualified("s", sessionCols) + ", " + qualified("u", userCols) + ", " +
		qualified("r", reportCols) + ", " + qualified("a", agencyCols) +
		" FROM sessions s JOIN users u ON u.id = s.user_id JOIN reports r ON r.id = ?" +
		" JOIN agencies a ON a.id = r.agency_id WHERE s.token_hash = ?"
)

// ReportWithAgency returns the report with that id, content included, and
// its agency, in one statement.
func (s *Store) ReportWithAgency(ctx context.Context, id int64) (*Report, *Agency, error) {
	var (
		r Report
		a Agency
	)
	dest := append(reportDest(&r, true), agencyDest(&a)...)
	if err := s.readRow(ctx, reportWithAgencySQL, []any{id}, dest...); err != nil {
		return nil, nil, translate(notFound(err), "报告")
	}
	r.utc()
	a.utc()
	return &r, &a, nil
}

// sessionWithUser reads the session of tokenHash and its user in one statement.
func (s *Store) sessionWithUser(ctx context.Context, tokenHash string) (*Session, *User, error) {
	var (
		sess Session
		u    User
	)
	dest := append(sessionDest(&sess), userDest(&u)...)
	if err := s.readRow(ctx, sessionWithUserSQL, []any{tokenHash}, dest...); err != nil {
		return nil, nil, notFound(err)
	}
	sess.utc()
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &sess, &u, nil
}

// AgenciesByIDs returns the agencies with those ids, by id, in one statement
// per 500 ids; ids without an agency are absent from the map.
func (s *Store) AgenciesByIDs(ctx context.Context, ids []int64) (map[int64]*Agency, error) {
	out := make(map[int64]*Agency, len(ids))
	const chunk = 500 // well below SQLite's and MariaDB's limits on bound parameters
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		var list []Agency
		if err := s.reads.WithContext(ctx).Where("id IN ?", part).Find(&list).Error; err != nil {
			return nil, translate(err, "单位")
		}
		for i := range list {
			out[list[i].ID] = &list[i]
		}
	}
	return out, nil
}

// LatestPublication returns the newest publication of the report of that
// agency, year and kind, in one statement; KindNotFound when there is none.
func (s *Store) LatestPublication(ctx context.Context, agencyID int64, year int, kind string) (*Publication, error) {
	var p Publication
	err := s.readRow(ctx, latestPublicationSQL, []any{agencyID, year, kind},
		&p.ID, &p.ReportID, &p.Revision, &p.Content, &p.PublishedAt, &p.PublishedBy)
	p.PublishedAt = p.PublishedAt.UTC()
	return &p, translate(notFound(err), "公开记录")
}

// latestPublicationSQL reads the newest publication of a report given by agency, year and kind.
const latestPublicationSQL = "SELECT p.id, p.report_id, p.revision, p.content, p.published_at, p.published_by " +
	"FROM publications p JOIN reports r ON r.id = p.report_id " +
	"WHERE r.agency_id = ? AND r.year = ? AND r.kind = ? ORDER BY p.id DESC LIMIT 1"

// approvalsSQL reads the approvals of one revision of a report, in step order.
const approvalsSQL = "SELECT step, user_id, created_at FROM approvals WHERE report_id = ? AND revision = ? ORDER BY step"

// revisionApprovals returns the approvals of revision rev of report id.
func (s *Store) revisionApprovals(ctx context.Context, id int64, rev int) ([]workflow.Approval, error) {
	if err := s.readGate.enter(ctx); err != nil {
		return nil, translate(err, "报告")
	}
	defer s.readGate.leave()
	rows, err := s.prepared.query(ctx, s.readSQL(), approvalsSQL, id, rev)
	if err != nil {
		return nil, translate(err, "报告")
	}
	defer rows.Close()
	var out []workflow.Approval
	for rows.Next() {
		var a workflow.Approval
		if err := rows.Scan(&a.Step, &a.UserID, &a.At); err != nil {
			return nil, translate(err, "报告")
		}
		a.At = a.At.UTC()
		out = append(out, a)
	}
	return out, translate(rows.Err(), "报告")
}

// notFound turns database/sql's no-rows error into GORM's, which translate maps.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return gorm.ErrRecordNotFound
	}
	return err
}

func (s *Session) utc() {
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), s.LastSeenAt.UTC()
}

func (r *Report) utc() {
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if r.PublishedAt != nil {
		t := r.PublishedAt.UTC()
		r.PublishedAt = &t
	}
}

func (a *Agency) utc() { a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC() }
