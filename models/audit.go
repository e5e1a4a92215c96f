package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"qianfa/audit"
	"qianfa/workflow"
)

// Audit actions recorded besides the workflow actions (submit, approve, …).
const (
	ActionCreate       = "create"        // report created
	ActionSave         = "save"          // report content saved
	ActionReauthFailed = "reauth_failed" // wrong password on the last approval step
	ActionExport       = "export"
	ActionLogin        = "login"
	ActionLoginFailed  = "login_failed"
	ActionAgencyCreate = "agency_create"
	ActionAgencyUpdate = "agency_update"
	ActionUserCreate   = "user_create"
	ActionUserUpdate   = "user_update"
)

// AuditActor is who an audit event names. ID 0 is the system (the CLI, the
// demo loader).
type AuditActor struct {
	ID       int64
	Username string
}

// AppendAudit records an event that is not part of another change (export,
// …). It goes to the report's chain when ReportID is set, otherwise to the
// agency's chain. Chain, Pos, hashes and Seq are filled in; At defaults to now.
func (s *Store) AppendAudit(ctx context.Context, e *audit.Event) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.appendLocked(tx, e)
	})
	return translate(err, "审计链")
}

// appendLocked appends e to the chain of its report or agency inside tx.
// Use it only where the owner row is not already being updated.
func (s *Store) appendLocked(tx *gorm.DB, e *audit.Event) error {
	owner, err := s.lockOwner(tx, e)
	if err != nil {
		return err
	}
	return s.appendTo(tx, owner, e)
}

// chainOwner is the row that keeps a chain's head: a report or an agency.
type chainOwner struct {
	table string
	id    int64
	head  audit.Head
}

// lockOwner locks the row that keeps e's chain head and reads the head. Call
// it before any other write of the transaction that touches the owner's
// children: InnoDB's foreign-key checks take shared locks on parent rows,
// and upgrading one later to an exclusive lock deadlocks with a twin
// transaction.
func (s *Store) lockOwner(tx *gorm.DB, e *audit.Event) (chainOwner, error) {
	o := chainOwner{table: "agencies", id: e.AgencyID}
	if e.ReportID != 0 {
		o = chainOwner{table: "reports", id: e.ReportID}
	}
	var head struct {
		AuditCount int64
		AuditHead  string
	}
	err := s.lock(tx.Table(o.table)).Select("audit_count", "audit_head").Where("id = ?", o.id).Take(&head).Error
	o.head = audit.Head{Count: head.AuditCount, Hash: head.AuditHead}
	return o, err
}

// appendTo inserts e after the head read by lockOwner and advances the head.
func (s *Store) appendTo(tx *gorm.DB, o chainOwner, e *audit.Event) error {
	next, err := s.insertEvent(tx, o.head, e)
	if err != nil {
		return err
	}
	return tx.Table(o.table).Where("id = ?", o.id).
		Updates(map[string]any{"audit_count": next.Count, "audit_head": next.Hash}).Error
}

// insertEvent chains e after head, inserts it and returns the new head; the
// caller stores the head on the owner row in the same transaction.
func (s *Store) insertEvent(tx *gorm.DB, head audit.Head, e *audit.Event) (audit.Head, error) {
	next, err := s.chainEvent(head, e)
	if err != nil {
		return audit.Head{}, err
	}
	seq, err := execInsert(tx, insertEventSQL+" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", eventArgs(e)...)
	if err != nil {
		return audit.Head{}, err
	}
	e.Seq = seq
	return next, nil
}

// chainEvent names e's chain, stamps it and chains it after head (Pos,
// PrevHash, Hash), and returns the new head.
func (s *Store) chainEvent(head audit.Head, e *audit.Event) (audit.Head, error) {
	if e.Chain == "" {
		e.Chain = audit.AgencyChain(e.AgencyID)
		if e.ReportID != 0 {
			e.Chain = audit.ReportChain(e.ReportID)
		}
	}
	if len(s.auditKey) == 0 {
		return audit.Head{}, errNoAuditKey
	}
	e.At = stamp(e.At)
	return audit.Next(s.auditKey, head, e), nil
}

// eventArgs are the values of insertEventSQL's columns.
func eventArgs(e *audit.Event) []any {
	return []any{e.Chain, e.Pos, e.At, e.ActorID, e.ActorUsername, e.Action,
		e.AgencyID, e.ReportID, e.FromState, e.ToState, e.Comment, e.Revision, e.Data, e.PrevHash, e.Hash}
}

// eventInsert inserts e as part of a reportWrite, after its UPDATE.
func (s *Store) eventInsert(e *audit.Event) writeStmt {
	return s.insertIfOne(insertEventSQL, eventArgs(e))
}

// insertEventSQL appends one event; every write transaction runs it, so it is a
// fixed statement rather than GORM's Create (reflection and statement building
// on every call).
const insertEventSQL = "INSERT INTO audit_events (chain, pos, at, actor_id, actor_username, action, agency_id, " +
	"report_id, from_state, to_state, comment, revision, data, prev_hash, hash)"

// execInsert runs an INSERT on tx's connection and returns the new row's id
// (GORM's Exec does not return it).
func execInsert(tx *gorm.DB, query string, args ...any) (int64, error) {
	_, id, err := execOn(tx, writeStmt{query, args})
	return id, err
}

// lock adds FOR UPDATE on MySQL; SQLite's BEGIN IMMEDIATE already holds the
// database's write lock for the whole transaction.
func (s *Store) lock(tx *gorm.DB) *gorm.DB {
	if s.driver == DriverMySQL {
		return tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return tx
}

func (r auditRow) event() audit.Event {
	return audit.Event{
		Seq: r.ID, Chain: r.Chain, Pos: r.Pos, At: r.At.UTC(), ActorID: r.ActorID,
		ActorUsername: r.ActorUsername, Action: r.Action, AgencyID: r.AgencyID,
		ReportID: r.ReportID, FromState: r.FromState, ToState: r.ToState, Comment: r.Comment,
		Revision: r.Revision, Data: r.Data, PrevHash: r.PrevHash, Hash: r.Hash,
	}
}

// dataJSON encodes the Data field of an event; v is a small map or struct.
func dataJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit data: %v", err)) // only fixed, encodable types are passed
	}
	return string(b)
}

// AuditFilter selects events for ListAudit; zero fields do not filter.
// AgencyIDs limits the events to those agencies (a supervisor's region).
type AuditFilter struct {
	ReportID      int64
	ActorUsername string
	Action        string
	From, To      time.Time // From inclusive, To exclusive
	AgencyIDs     []int64
	Limit         int // default 1000
}

// ListAudit returns the matching events, oldest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Event, error) {
	q := s.db.WithContext(ctx).Model(&auditRow{})
	if f.ReportID != 0 {
		q = q.Where("report_id = ?", f.ReportID)
	}
	if f.ActorUsername != "" {
		q = q.Where("actor_username = ?", f.ActorUsername)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", stamp(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", stamp(f.To))
	}
	if f.AgencyIDs != nil {
		q = q.Where("agency_id IN ?", f.AgencyIDs)
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	var rows []auditRow
	if err := q.Order("id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "审计记录")
	}
	events := make([]audit.Event, len(rows))
	for i, r := range rows {
		events[i] = r.event()
	}
	return events, nil
}

// verifyBatch is how many events VerifyAudit reads per query.
var verifyBatch = 5000

// VerifyAudit checks every chain with key: each event's MAC and link, and
// that each chain ends at the head kept on its agency or report row. It
// streams the log in seq order, verifyBatch events at a time.
func (s *Store) VerifyAudit(ctx context.Context, key []byte) (audit.Result, error) {
	heads, err := s.chainHeads(ctx)
	if err != nil {
		return audit.Result{}, err
	}
	v := audit.NewVerifier(key, heads)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches, errc := s.auditBatches(ctx, verifyBatch)
	for events := range batches {
		for i := range events {
			v.Add(events[i])
		}
	}
	if err := <-errc; err != nil {
		return audit.Result{}, translate(err, "审计记录")
	}
	return v.Result(), nil
}

// chainHeads reads the head of every chain from the agency and report rows.
func (s *Store) chainHeads(ctx context.Context) (map[string]audit.Head, error) {
	type headRow struct {
		ID         int64
		AuditCount int64
		AuditHead  string
	}
	heads := map[string]audit.Head{}
	for _, t := range []struct {
		table string
		chain func(int64) string
	}{{"agencies", audit.AgencyChain}, {"reports", audit.ReportChain}} {
		var rows []headRow
		err := s.db.WithContext(ctx).Table(t.table).Select("id", "audit_count", "audit_head").Find(&rows).Error
		if err != nil {
			return nil, translate(err, "审计链")
		}
		for _, r := range rows {
			heads[t.chain(r.ID)] = audit.Head{Count: r.AuditCount, Hash: r.AuditHead}
		}
	}
	return heads, nil
}

// reportEvent is the audit event of a change to report r by actor.
func reportEvent(r *Report, actor AuditActor, action string, at time.Time) *audit.Event {
	return &audit.Event{
		At: at, ActorID: actor.ID, ActorUsername: actor.Username, Action: action,
		AgencyID: r.AgencyID, ReportID: r.ID, FromState: string(r.State), ToState: string(r.State),
		Revision: r.Revision,
	}
}

// errNoAuditKey guards against chaining events with an empty key.
var errNoAuditKey = workflow.Errorf(workflow.KindInternal, workflow.CodeInternal, "未配置审计密钥")
