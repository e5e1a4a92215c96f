// Package models is Qianfa's storage: the GORM models, the goose migrations
// (one SQL directory per dialect), Open, and the Store methods. It is the only
// package that imports GORM or knows the SQL dialect; every error it returns
// is a *workflow.Error.
package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"qianfa/workflow"
)

// The database drivers Open accepts.
const (
	DriverSQLite = "sqlite"
	DriverMySQL  = "mysql"
)

// Store is the database behind Qianfa. It is safe for concurrent use.
type Store struct {
	db       *gorm.DB
	sqlDB    *sql.DB
	reads    *gorm.DB            // hot reads outside transactions (see openReads)
	readsDB  *sql.DB             // SQLite only: the readers' pool
	batchDB  *sql.DB             // MySQL only: the pool of one-round-trip writes (see openBatch)
	prepared *preparedStatements // the hot reads
	// preparedWrites are the report writes on SQLite's writer connection.
	preparedWrites *preparedStatements
	// readGate and writeGate order the hot reads and the report writes
	// waiting for a connection (see gate).
	readGate, writeGate gate
	driver              string
	dsn                 string // the normalised DSN, reused by Migrate
	auditKey            []byte
	now                 func() time.Time
	pool                poolConfig
}

type poolConfig struct {
	maxOpen, maxIdle int
	maxLifetime      time.Duration
}

// Option configures a Store at Open.
type Option func(*Store)

// WithAuditKey sets the HMAC key of the audit hash chains. models never reads
// the key file; the caller loads it.
func WithAuditKey(key []byte) Option {
	return func(s *Store) { s.auditKey = append([]byte(nil), key...) }
}

// WithClock replaces time.Now for the times the store stamps itself
// (session expiry, created_at of new rows).
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// WithMySQLPool sets the MySQL pool size and the connection lifetime, which
// must stay below the server's wait_timeout (default 8 h; proxies often cut
// idle connections much sooner, hence the 3-minute default).
func WithMySQLPool(maxOpen, maxIdle int, maxLifetime time.Duration) Option {
	return func(s *Store) { s.pool = poolConfig{maxOpen, maxIdle, maxLifetime} }
}

// Open connects to the database: driver "sqlite" with dsn a file path, or
// "mysql" with a go-sql-driver DSN. It does not migrate; call Migrate.
func Open(ctx context.Context, driver, dsn string, opts ...Option) (*Store, error) {
	s := &Store{driver: driver, now: time.Now, pool: poolConfig{16, 16, 3 * time.Minute}, prepared: &preparedStatements{},
		preparedWrites: &preparedStatements{}}
	for _, o := range opts {
		o(s)
	}
	dialector, err := s.dialector(dsn)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		TranslateError: true,
		// No GORM statement cache on either database. MySQL: see mysqlConfig. SQLite: the
		// driver prepares every statement again anyway, and the cache deadlocked the one
		// writer connection under load: a statement first prepared outside a transaction
		// waits for the connection while a transaction holding it waits for that very
		// statement, until the request times out (found by cmd/qianfa-bench at c = 8).
		PrepareStmt: false,
		Logger:      logger.Default.LogMode(logger.Silent),
		NowFunc:     func() time.Time { return stamp(s.now()) },
		// Transactions are opened explicitly where a change needs one.
		SkipDefaultTransaction: true,
	})
	if err != nil {
		_ = s.Close()
		return nil, translate(fmt.Errorf("open %s: %w", driver, err), "数据库")
	}
	s.db = db
	if s.sqlDB, err = db.DB(); err != nil {
		return nil, workflow.ErrInternal(err)
	}
	s.configurePool()
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.openReads(); err != nil {
		_ = s.Close()
		return nil, err
	}
	s.openGates()
	return s, nil
}

func (s *Store) dialector(dsn string) (gorm.Dialector, error) {
	switch s.driver {
	case DriverSQLite:
		s.dsn = sqliteDSN(dsn)
		return sqlite.Open(s.dsn), nil
	case DriverMySQL:
		cfg, err := mysqlConfig(dsn)
		if err != nil {
			return nil, workflow.Errorf(workflow.KindInternal, workflow.CodeInternal,
				"数据库连接串无效：%v", err)
		}
		s.dsn = cfg.FormatDSN()
		if err := s.openBatch(cfg); err != nil {
			return nil, workflow.ErrInternal(err)
		}
		return gormmysql.New(gormmysql.Config{DSN: s.dsn}), nil
	}
	return nil, workflow.Errorf(workflow.KindInternal, workflow.CodeInternal,
		"不支持的数据库驱动 %q（可选 sqlite 或 mysql）", s.driver)
}

// sqliteDSN builds the glebarez DSN for a file path. WAL lets readers run
// beside the writer; busy_timeout waits instead of failing with SQLITE_BUSY;
// foreign keys are off by default in SQLite; synchronous=FULL fsyncs every
// commit, so a committed decision survives a power cut; _txlock=immediate
// takes the write lock at BEGIN, so a read that upgrades to a write in a
// transaction cannot deadlock.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// mysqlConfig forces the settings the store relies on: times as time.Time
// in UTC, and utf8mb4 so that 4-byte characters such as 𠮷 round-trip.
// Parameters are interpolated on the client (safe with utf8mb4) instead of
// using server-side prepared statements: GORM's statement cache (v1.31.2)
// keeps statements first prepared inside a transaction bound to it, so every
// statement of every transaction was prepared and closed again — measured
// 5.5 extra prepare round trips per Store.Transition. One round trip per
// statement is what a transaction on MySQL costs.
func mysqlConfig(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = true
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_unicode_ci")); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (s *Store) configurePool() {
	if s.driver == DriverSQLite {
		// One connection: SQLite serialises writers anyway, and a pool only
		// adds SQLITE_BUSY waits and a higher p99 (performance.md).
		s.sqlDB.SetMaxOpenConns(1)
		s.sqlDB.SetMaxIdleConns(1)
		s.sqlDB.SetConnMaxLifetime(0)
		return
	}
	s.sqlDB.SetMaxOpenConns(s.pool.maxOpen)
	s.sqlDB.SetMaxIdleConns(s.pool.maxIdle)
	s.sqlDB.SetConnMaxLifetime(s.pool.maxLifetime)
}

// openGates makes the gates as wide as the pools behind them: SQLite's
// readers and its one writer; on MySQL the main pool and the write batches'.
func (s *Store) openGates() {
	switch {
	case s.driver == DriverMySQL:
		s.readGate, s.writeGate = newGate(s.pool.maxOpen), newGate(s.pool.maxOpen)
	case s.readsDB != nil:
		s.readGate, s.writeGate = newGate(sqliteReaders), newGate(1)
	default: // in-memory SQLite: one connection for everything
		s.readGate = newGate(1)
		s.writeGate = s.readGate
	}
}

// Dialect returns the driver name: "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.driver }

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return workflow.ErrUnavailable(err)
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.prepared.close()
	s.preparedWrites.close()
	if s.readsDB != nil {
		_ = s.readsDB.Close()
	}
	if s.batchDB != nil {
		_ = s.batchDB.Close()
	}
	if s.sqlDB == nil {
		return nil
	}
	return s.sqlDB.Close()
}

// stamp is how every time is stored: UTC, truncated to the microsecond that
// DATETIME(6) keeps, so that the value hashed into the audit chain is the
// value read back.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// clock returns the store's current time, stamped.
func (s *Store) clock() time.Time { return stamp(s.now()) }
