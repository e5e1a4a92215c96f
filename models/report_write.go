package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// A change of one report row (a save or a transition) is decided on the row as
// read at some version and audit head, then written as a reportWrite: the
// guarded UPDATE first, which takes the row lock and matches only if the row
// is still at that version and head, then inserts that each run only if the
// statement before them changed one row (afterOne), so they insert nothing
// when the UPDATE matched nothing. Nothing is decided from memory: the
// database applies all of it or none, and a refused write is retried or
// answered 409.
//
// The UPDATE comes first because the inserts' foreign-key checks take shared
// locks on the report row: taken before the exclusive lock, two twin writers
// would deadlock upgrading them.

// writeStmt is one statement with its arguments.
type writeStmt struct {
	sql  string
	args []any
}

// reportWrite is the guarded UPDATE of a report row and the inserts that go
// with it.
type reportWrite struct {
	update  writeStmt
	inserts []writeStmt
}

// rowGuard is the WHERE of every guarded write: the row as it was read. Every
// change of the report increments the version, so the version also pins the
// state; the state is not in this WHERE because with "state = ?" MariaDB
// picks a range scan of idx_reports_state, whose gap locks deadlock
// concurrent writes of different reports moving within that index. The audit
// count pins the chain head the new event is chained to.
const rowGuard = " WHERE id = ? AND version = ? AND audit_count = ?"

// afterOne is the condition of every insert of a reportWrite: the statement
// before it (the UPDATE, or the insert before) changed exactly one row.
// MySQL's ROW_COUNT() and SQLite's changes() are that count until the
// statement that reads them completes.
func (s *Store) afterOne() string {
	if s.driver == DriverMySQL {
		return "ROW_COUNT() = 1"
	}
	return "changes() = 1"
}

// insertIfOne turns "INSERT INTO t (cols)" and its values into an insert
// that runs only after a statement that changed one row.
func (s *Store) insertIfOne(insert string, values []any) writeStmt {
	q := insert + " SELECT " + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")
	if s.driver == DriverMySQL {
		q += " FROM DUAL" // MySQL wants a FROM before WHERE
	}
	return writeStmt{q + " WHERE " + s.afterOne(), values}
}

// statements are w's statements in the order they run: the UPDATE, then
// the inserts.
func (w reportWrite) statements() []writeStmt {
	return append([]writeStmt{w.update}, w.inserts...)
}

// errStaleWrite is internal: the guard matched no row.
var errStaleWrite = errors.New("report row changed since it was read")

// write runs w in one transaction and reports whether the guard matched (and
// so everything was written). On MySQL the whole transaction is one round
// trip (a multi-statement batch on the batch pool); elsewhere the statements
// run one by one in a transaction. A write that loses a race matches no row
// in its UPDATE and then inserts nothing (afterOne), even when the winner
// wrote an identical event in the same microsecond.
func (s *Store) write(ctx context.Context, w reportWrite) (bool, error) {
	if err := s.writeGate.enter(ctx); err != nil {
		return false, translate(err, "报告")
	}
	defer s.writeGate.leave()
	if s.batchDB != nil {
		return s.execBatch(ctx, w)
	}
	stmts := w.statements()
	prepared := s.writeStatements(ctx, stmts)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i, st := range stmts {
			n, _, err := execPrepared(tx, st, prepared[i])
			switch {
			case err != nil:
				return err
			case n != 1 && i == 0:
				return errStaleWrite
			case n != 1:
				return errInsertMissed
			}
		}
		return nil
	})
	if errors.Is(err, errStaleWrite) {
		return false, nil
	}
	return err == nil, translate(err, "报告")
}

// errInsertMissed means an insert changed no row after an UPDATE that changed
// one: the write is rolled back.
var errInsertMissed = errors.New("report write: an insert matched no row after the update")

// maxPreparedWrites bounds the write statements kept prepared: the report
// writes are a few fixed texts (see transitionWrite, saveWrite), so the bound
// only guards against a text that varies by mistake.
const maxPreparedWrites = 32

// writeStatements returns stmts (a reportWrite's, in order) prepared on the
// writer pool, nil where a statement is not prepared. They are prepared
// before the transaction, which holds SQLite's one writer connection:
// preparing inside it would wait for that very connection. Inside, each
// runs through Tx.StmtContext, which reuses what was prepared on the
// connection; the pure-Go driver would otherwise compile every statement
// again while every other writer waits (BENCHMARKS.md, fix 30).
func (s *Store) writeStatements(ctx context.Context, stmts []writeStmt) []*sql.Stmt {
	out := make([]*sql.Stmt, len(stmts))
	for i, st := range stmts {
		if !s.preparedWrites.has(st.sql) && s.preparedWrites.len() >= maxPreparedWrites {
			continue
		}
		if stmt, err := s.preparedWrites.stmt(ctx, s.sqlDB, st.sql); err == nil {
			out[i] = stmt
		}
	}
	return out
}

// execOn runs st on tx's connection and returns the rows affected and the
// last insert id; errors are translated by the dialect as GORM's own calls
// translate them (duplicate key, foreign key).
func execOn(tx *gorm.DB, st writeStmt) (int64, int64, error) {
	return execPrepared(tx, st, nil)
}

// execPrepared is execOn through prepared (a statement of st.sql prepared on
// the pool tx belongs to) when there is one.
func execPrepared(tx *gorm.DB, st writeStmt, prepared *sql.Stmt) (int64, int64, error) {
	ctx := tx.Statement.Context
	var (
		res sql.Result
		err error
	)
	if sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx); ok && prepared != nil {
		res, err = sqlTx.StmtContext(ctx, prepared).ExecContext(ctx, st.args...)
	} else {
		res, err = tx.Statement.ConnPool.ExecContext(ctx, st.sql, st.args...)
	}
	if err != nil {
		if t, ok := tx.Dialector.(gorm.ErrorTranslator); ok {
			err = t.Translate(err)
		}
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	id, _ := res.LastInsertId()
	return n, id, nil
}

// execBatch sends w as "UPDATE …; INSERT …; COMMIT" in one round trip on a
// connection without autocommit. The server stops at a failing statement, inside the
// transaction: it is rolled back on the same connection, and a connection
// that cannot roll back is discarded (the server then aborts the transaction).
func (s *Store) execBatch(ctx context.Context, w reportWrite) (bool, error) {
	stmts := w.statements()
	var (
		q    strings.Builder
		args []driver.NamedValue
	)
	for i, st := range stmts {
		if i > 0 {
			q.WriteString(";\n")
		}
		q.WriteString(st.sql)
		for _, a := range st.args {
			v, err := driver.DefaultParameterConverter.ConvertValue(a)
			if err != nil {
				return false, err
			}
			args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: v})
		}
	}
	q.WriteString(";\nCOMMIT")
	conn, err := s.batchDB.Conn(ctx)
	if err != nil {
		return false, translate(err, "报告")
	}
	defer conn.Close()
	var (
		written bool
		execErr error
	)
	rawErr := conn.Raw(func(dc any) error {
		ex := dc.(driver.ExecerContext)
		res, err := ex.ExecContext(ctx, q.String(), args)
		if err != nil {
			execErr = err
			if _, rbErr := ex.ExecContext(context.WithoutCancel(ctx), "ROLLBACK", nil); rbErr != nil {
				return driver.ErrBadConn
			}
			return nil
		}
		affected := res.(mysql.Result).AllRowsAffected()
		// Results: the UPDATE, each insert, COMMIT.
		if len(affected) != len(stmts)+1 {
			execErr = errors.New("report write: unexpected number of results")
			return nil
		}
		if affected[0] != 1 {
			return nil
		}
		for i := range w.inserts {
			if affected[1+i] != 1 {
				execErr = errInsertMissed
				return nil
			}
		}
		written = true
		return nil
	})
	if execErr != nil {
		return false, translate(s.translateDriver(execErr), "报告")
	}
	if rawErr != nil && !errors.Is(rawErr, driver.ErrBadConn) {
		return false, translate(rawErr, "报告")
	}
	return written, nil
}

// translateDriver maps a driver error as GORM's calls would.
func (s *Store) translateDriver(err error) error {
	if t, ok := s.db.Dialector.(gorm.ErrorTranslator); ok {
		return t.Translate(err)
	}
	return err
}

// openBatch opens the MySQL pool that runs reportWrites as multi-statement
// batches. It is a pool of its own so that no other statement can ever be
// sent as several: only the fixed statements of reportWrite, with their
// arguments escaped by the driver, go through it.
func (s *Store) openBatch(cfg *mysql.Config) error {
	bc := cfg.Clone()
	bc.MultiStatements = true
	// Without autocommit the batch's first statement opens its transaction:
	// one statement less than START TRANSACTION per write. Every batch ends
	// in COMMIT, or in ROLLBACK on error.
	if bc.Params == nil {
		bc.Params = map[string]string{}
	}
	bc.Params["autocommit"] = "0"
	connector, err := mysql.NewConnector(bc)
	if err != nil {
		return err
	}
	s.batchDB = sql.OpenDB(connector)
	s.batchDB.SetMaxOpenConns(s.pool.maxOpen)
	s.batchDB.SetMaxIdleConns(s.pool.maxIdle)
	s.batchDB.SetConnMaxLifetime(s.pool.maxLifetime)
	return nil
}
