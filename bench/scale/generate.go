// Package scale generates a region-sized Qianfa database for the scale
// measurements of BENCHMARKS.md: supervising offices of many agencies, their
// users, reports of many years in mixed states, and long audit chains whose
// MACs verify. It writes through database/sql in large multi-row INSERTs with
// explicit ids (the generator owns a fresh database), so that millions of rows
// take a minute, not an hour.
package scale

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"qianfa/audit"
	"qianfa/models"
	"qianfa/workflow"
)

// Params sizes the data.
type Params struct {
	Agencies  int    // reporting agencies (10 000)
	PerOffice int    // agencies per supervising office (500)
	Reports   int    // agency reports, spread over years ending at DueYear (100 000)
	Events    int    // audit events in total (2 000 000)
	DueYear   int    // the report year due this January: its reports are in mixed states
	Content   string // the content of every report (the interchange JSON)
	Key       []byte // the audit HMAC key
	Log       io.Writer
}

// Data is what the measurements need to know about the generated rows.
type Data struct {
	Offices      []int64 // office agency ids
	AgencyIDs    []int64 // reporting agency ids, office by office
	Supervisors  []int64 // user id of each office's supervisor, by office
	Reviewers    []int64 // user id of each agency's reviewer, by agency
	ReportCount  int
	EventCount   int
	PasswordHash string
}

// roles of every reporting agency's users, in id order.
var agencyRoles = []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleLeader, workflow.RolePublisher}

// dueStates is the mix of the due year's reports (per 20 agencies).
var dueStates = []workflow.State{
	workflow.Draft, workflow.Draft, workflow.Draft, workflow.Draft, workflow.Draft, workflow.Draft,
	workflow.InReview, workflow.InReview, workflow.InReview,
	workflow.InApproval, workflow.InApproval, workflow.InApproval,
	workflow.Approved, workflow.Approved,
	workflow.Published, workflow.Published, workflow.Published, workflow.Published, workflow.Published, workflow.Published,
}

// Generate fills db (migrated and empty) with p's data.
func Generate(ctx context.Context, db *sql.DB, p Params) (*Data, error) {
	if p.Agencies < 1 || p.PerOffice < 1 || p.Reports < p.Agencies {
		return nil, fmt.Errorf("scale: need agencies ≥ 1, per-office ≥ 1 and reports ≥ agencies")
	}
	g := &gen{db: db, p: p, d: &Data{PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2NhbGU$c2NhbGU"}, base: time.Date(p.DueYear, 1, 1, 0, 0, 0, 0, time.UTC)}
	defer g.rollback()
	steps := []func(context.Context) error{g.agencies, g.users, g.reports}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return g.d, g.commit()
}

type gen struct {
	db    *sql.DB
	p     Params
	d     *Data
	base  time.Time
	tx    *sql.Tx
	execs int
}

// commitEvery is how many batch statements share one transaction.
const commitEvery = 100

// exec runs one batch statement in the current transaction, committing every
// commitEvery statements (one fsync per few thousand rows).
func (g *gen) exec(ctx context.Context, query string, args []any) error {
	if g.tx == nil {
		tx, err := g.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		g.tx = tx
	}
	if _, err := g.tx.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	if g.execs++; g.execs%commitEvery == 0 {
		return g.commit()
	}
	return nil
}

func (g *gen) commit() error {
	if g.tx == nil {
		return nil
	}
	err := g.tx.Commit()
	g.tx = nil
	return err
}

func (g *gen) rollback() {
	if g.tx != nil {
		_ = g.tx.Rollback()
	}
}

func (g *gen) logf(format string, args ...any) {
	if g.p.Log != nil {
		fmt.Fprintf(g.p.Log, format+"\n", args...)
	}
}

// agencies inserts the offices, then their agencies; each has a one-event chain.
func (g *gen) agencies(ctx context.Context) error {
	start := time.Now()
	offices := (g.p.Agencies + g.p.PerOffice - 1) / g.p.PerOffice
	ins := g.inserter(ctx, "agencies", "id, code, name, level, parent_id, approval_steps, audit_count, audit_head, created_at, updated_at")
	ev := g.inserter(ctx, "audit_events", auditColumns)
	id := int64(0)
	add := func(code, name, level string, parent any) error {
		id++
		e := &audit.Event{Chain: audit.AgencyChain(id), At: g.base, ActorUsername: "system", Action: "agency_create",
			AgencyID: id, Data: `{"code":"` + code + `"}`}
		head := audit.Next(g.p.Key, audit.Head{}, e)
		g.d.EventCount++
		if err := ev.add(eventValues(e)...); err != nil {
			return err
		}
		return ins.add(id, code, name, level, parent, `["签发"]`, head.Count, head.Hash, g.base, g.base)
	}
	for o := range offices {
		if err := add(fmt.Sprintf("office-%03d", o), fmt.Sprintf("第%03d区人民政府办公室", o), "county_government", nil); err != nil {
			return err
		}
		g.d.Offices = append(g.d.Offices, id)
	}
	for a := range g.p.Agencies {
		office := g.d.Offices[a/g.p.PerOffice]
		if err := add(fmt.Sprintf("agency-%05d", a), fmt.Sprintf("第%03d区第%05d单位", a/g.p.PerOffice, a), "county_department", office); err != nil {
			return err
		}
		g.d.AgencyIDs = append(g.d.AgencyIDs, id)
	}
	if err := ins.flush(); err != nil {
		return err
	}
	g.logf("agencies: %d offices, %d agencies in %s", offices, g.p.Agencies, time.Since(start).Round(time.Millisecond))
	return ev.flush()
}

// users inserts a supervisor per office and four users per agency.
func (g *gen) users(ctx context.Context) error {
	start := time.Now()
	ins := g.inserter(ctx, "users", "id, username, name, email, agency_id, roles, password_hash, active, created_at, updated_at")
	id := int64(0)
	add := func(agency int64, role workflow.Role) error {
		id++
		name := "u" + strconv.FormatInt(id, 10)
		return ins.add(id, name, role.Label(), name+"@example.gov.cn", agency, string(role), g.d.PasswordHash, true, g.base, g.base)
	}
	for _, o := range g.d.Offices {
		if err := add(o, workflow.RoleSupervisor); err != nil {
			return err
		}
		g.d.Supervisors = append(g.d.Supervisors, id)
	}
	for _, a := range g.d.AgencyIDs {
		for _, role := range agencyRoles {
			if err := add(a, role); err != nil {
				return err
			}
			if role == workflow.RoleReviewer {
				g.d.Reviewers = append(g.d.Reviewers, id)
			}
		}
	}
	if err := ins.flush(); err != nil {
		return err
	}
	g.logf("users: %d in %s", id, time.Since(start).Round(time.Millisecond))
	return nil
}

// reports inserts Reports reports, year by year back from DueYear, agency by
// agency, with their audit chains (Events spread evenly over the reports).
func (g *gen) reports(ctx context.Context) error {
	start := time.Now()
	years := (g.p.Reports + g.p.Agencies - 1) / g.p.Agencies
	perReport := max(1, (g.p.Events-g.d.EventCount)/g.p.Reports)
	extra := max(0, g.p.Events-g.d.EventCount-perReport*g.p.Reports) // the first reports get one more
	ins := g.inserter(ctx, "reports", "id, agency_id, year, kind, edition, state, version, step, revision, content, "+
		"title, error_count, warning_count, audit_count, audit_head, created_at, updated_at, published_at")
	title := models.TitleOf(g.p.Content) // as the store writes it with the content
	ev := g.inserter(ctx, "audit_events", auditColumns)
	id := int64(0)
	for y := range years {
		year := g.p.DueYear - y
		for i, agency := range g.d.AgencyIDs {
			if int(id) == g.p.Reports {
				break
			}
			id++
			state := workflow.Published
			if y == 0 {
				state = dueStates[i%len(dueStates)]
			}
			n := perReport
			if int(id) <= extra {
				n++
			}
			head, err := g.chain(ev, id, agency, state, n, year)
			if err != nil {
				return err
			}
			at := time.Date(year+1, 1, 10, 8, 0, 0, 0, time.UTC)
			var published any
			if state == workflow.Published {
				published = at
			}
			rev := 0
			if state != workflow.Draft {
				rev = 1
			}
			if err := ins.add(id, agency, year, "agency", "2021", string(state), int64(n), 0, rev, g.p.Content,
				title, 0, 0, head.Count, head.Hash, time.Date(year, 12, 1, 0, 0, 0, 0, time.UTC), at, published); err != nil {
				return err
			}
		}
		g.logf("reports: year %d done, %d reports, %d events, %s", year, id, g.d.EventCount, time.Since(start).Round(time.Millisecond))
	}
	g.d.ReportCount = int(id)
	if err := ins.flush(); err != nil {
		return err
	}
	return ev.flush()
}

// chain appends n events to report id's chain: created, saved, then the
// transitions to state.
func (g *gen) chain(ev *inserter, id, agency int64, state workflow.State, n, year int) (audit.Head, error) {
	var head audit.Head
	at := time.Date(year, 12, 1, 0, 0, 0, 0, time.UTC)
	for k := range n {
		action, from, to := "save", "draft", "draft"
		switch {
		case k == 0:
			action, from = "create", ""
		case k == n-1 && state != workflow.Draft:
			action, to = "submit", string(state)
		}
		e := &audit.Event{Chain: audit.ReportChain(id), At: at.Add(time.Duration(k) * time.Minute), ActorID: 1,
			ActorUsername: "u1", Action: action, AgencyID: agency, ReportID: id, FromState: from, ToState: to,
			Data: `{"version":` + strconv.Itoa(k+1) + `}`}
		head = audit.Next(g.p.Key, head, e)
		g.d.EventCount++
		if err := ev.add(eventValues(e)...); err != nil {
			return head, err
		}
	}
	return head, nil
}

const auditColumns = "chain, pos, at, actor_id, actor_username, action, agency_id, report_id, from_state, to_state, comment, revision, data, prev_hash, hash"

func eventValues(e *audit.Event) []any {
	return []any{e.Chain, e.Pos, e.At, e.ActorID, e.ActorUsername, e.Action, e.AgencyID, e.ReportID,
		e.FromState, e.ToState, e.Comment, e.Revision, e.Data, e.PrevHash, e.Hash}
}

// inserter batches rows into multi-row INSERTs, a transaction per batch.
type inserter struct {
	ctx   context.Context
	g     *gen
	head  string
	cols  int
	rows  int
	args  []any
	batch int
}

func (g *gen) inserter(ctx context.Context, table, columns string) *inserter {
	cols := strings.Count(columns, ",") + 1
	// Small statements: the SQLite driver binds parameters in time quadratic in
	// their number (measured: 2 000-row statements ran at 2 400 rows/s).
	batch := 50
	return &inserter{ctx: ctx, g: g, head: "INSERT INTO " + table + " (" + columns + ") VALUES ", cols: cols, batch: batch}
}

func (in *inserter) add(values ...any) error {
	if len(values) != in.cols {
		return fmt.Errorf("scale: %d values for %d columns", len(values), in.cols)
	}
	in.args = append(in.args, values...)
	in.rows++
	if in.rows >= in.batch {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if in.rows == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", in.cols), ",") + ")"
	var b strings.Builder
	b.WriteString(in.head)
	for i := range in.rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	if err := in.g.exec(in.ctx, b.String(), in.args); err != nil {
		return fmt.Errorf("scale: %s…: %w", in.head[:min(len(in.head), 40)], err)
	}
	in.args, in.rows = in.args[:0], 0
	return nil
}
