package models

import (
	"context"
	"database/sql"
	"sync"
)

// preparedStatements keeps statements prepared, by their text, on one pool:
// the hot reads on the readers' pool, and on SQLite the report writes on the
// writer connection (Store.writeStatements). database/sql prepares each on a
// connection the first time it runs there. On MariaDB that spares the server parsing and preparing the
// statement on every request (the session, its user, the report and its
// agency: 157 → 115 µs of server CPU each, BENCHMARKS.md fix 23) and brings
// the row in the binary protocol; on SQLite it spares compiling it.
type preparedStatements struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// scan runs query through its prepared statement on db and scans its one row
// into dest; sql.ErrNoRows when there is none.
func (p *preparedStatements) scan(ctx context.Context, db *sql.DB, query string, args []any, dest ...any) error {
	stmt, err := p.stmt(ctx, db, query)
	if err != nil {
		return err
	}
	return stmt.QueryRowContext(ctx, args...).Scan(dest...)
}

// query runs query through its prepared statement on db.
func (p *preparedStatements) query(ctx context.Context, db *sql.DB, query string, args ...any) (*sql.Rows, error) {
	stmt, err := p.stmt(ctx, db, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(ctx, args...)
}

// stmt returns the prepared statement of query, preparing it on first use.
// The lock is not held while preparing: with the database slow or gone, each
// request waits on its own context, not behind another's prepare.
func (p *preparedStatements) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	st, ok := p.stmts[query]
	p.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if have, ok := p.stmts[query]; ok { // prepared meanwhile by another request
		_ = st.Close()
		return have, nil
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[query] = st
	return st, nil
}

// has reports whether query is prepared.
func (p *preparedStatements) has(query string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.stmts[query]
	return ok
}

// len is the number of statements prepared.
func (p *preparedStatements) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.stmts)
}

func (p *preparedStatements) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.stmts {
		_ = st.Close()
	}
	p.stmts = nil
}
