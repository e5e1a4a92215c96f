package models

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"qianfa/workflow"
)

// migrations holds one directory of goose SQL files per dialect. The two
// directories must keep the same version numbers and the same meaning.
//
//go:embed migrations/sqlite/*.sql migrations/mysql/*.sql
var migrations embed.FS

// Migrate brings the schema up to date. On MySQL it holds a named server lock
// for the duration, so replicas starting together migrate one after another.
func (s *Store) Migrate(ctx context.Context) error {
	return s.withProvider(ctx, func(p *goose.Provider) error {
		_, err := p.Up(ctx)
		return err
	})
}

// MigrateDown rolls the schema back to version (0 removes every table).
func (s *Store) MigrateDown(ctx context.Context, version int64) error {
	return s.withProvider(ctx, func(p *goose.Provider) error {
		_, err := p.DownTo(ctx, version)
		return err
	})
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.withProvider(ctx, func(p *goose.Provider) (err error) {
		v, err = p.GetDBVersion(ctx)
		return err
	})
	return v, err
}

// withProvider runs fn with a goose provider on a connection pool of its own:
// the store's SQLite pool has one connection (which a Go migration would
// wait for while goose holds it), and MySQL migrations need multiStatements,
// which the store's pool must not allow. An in-memory SQLite database exists
// only on the store's connection, so it is migrated there.
func (s *Store) withProvider(ctx context.Context, fn func(*goose.Provider) error) error {
	db, dialect, opts, closeDB, err := s.migrationDB()
	if err != nil {
		return workflow.ErrInternal(err)
	}
	defer closeDB()
	dir, err := fs.Sub(migrations, "migrations/"+s.driver)
	if err != nil {
		return workflow.ErrInternal(err)
	}
	if s.driver == DriverMySQL {
		unlock, err := lockWholeRun(ctx, db, s.dsn)
		if err != nil {
			return translate(fmt.Errorf("migrate: %w", err), "数据库结构")
		}
		defer unlock()
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(dialect, db, dir, opts...)
	if err != nil {
		return workflow.ErrInternal(fmt.Errorf("goose: %w", err))
	}
	if err := fn(p); err != nil {
		return translate(fmt.Errorf("migrate: %w", err), "数据库结构")
	}
	return nil
}

func (s *Store) migrationDB() (*sql.DB, goose.Dialect, []goose.ProviderOption, func(), error) {
	if s.driver == DriverSQLite {
		if strings.Contains(s.dsn, ":memory:") || strings.Contains(s.dsn, "mode=memory") {
			return s.sqlDB, goose.DialectSQLite3, nil, func() {}, nil
		}
		db, err := sql.Open("sqlite", s.dsn)
		if err != nil {
			return nil, "", nil, nil, err
		}
		db.SetMaxOpenConns(1)
		return db, goose.DialectSQLite3, nil, func() { _ = db.Close() }, nil
	}
	cfg, err := mysql.ParseDSN(s.dsn)
	if err != nil {
		return nil, "", nil, nil, err
	}
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, "", nil, nil, err
	}
	opt := goose.WithSessionLocker(mysqlLocker{name: "qianfa_migrate:" + cfg.DBName})
	return db, goose.DialectMySQL, []goose.ProviderOption{opt}, func() { _ = db.Close() }, nil
}

// lockWholeRun holds a named lock of its own around a whole goose run. goose
// (v3.30) creates its version table before it takes its session lock, and on
// MySQL, where DDL commits at once, a replica starting beside another could
// see that table before its first row and fail with "missing zero version
// migration" (found by TestMySQLConcurrentMigrate under -race). The name
// differs from the session locker's, which goose then takes uncontended.
func lockWholeRun(ctx context.Context, db *sql.DB, dsn string) (func(), error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	l := mysqlLocker{name: "qianfa_migrate_run:" + cfg.DBName}
	if err := l.SessionLock(ctx, conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return func() {
		_ = l.SessionUnlock(context.WithoutCancel(ctx), conn)
		_ = conn.Close()
	}, nil
}

// mysqlLocker is a goose session locker on MySQL's named locks (GET_LOCK),
// which belong to the connection and vanish if the migrating process dies.
type mysqlLocker struct{ name string }

var _ lock.SessionLocker = mysqlLocker{}

// errLockTimeout says another process held the migration lock too long.
var errLockTimeout = errors.New("timed out waiting for the migration lock")

// SessionLock waits up to 5 minutes for the lock.
func (l mysqlLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 300)", l.name).Scan(&got); err != nil {
		return err
	}
	if !got.Valid || got.Int64 != 1 {
		return errLockTimeout
	}
	return nil
}

// SessionUnlock releases the lock.
func (l mysqlLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", l.name)
	return err
}
