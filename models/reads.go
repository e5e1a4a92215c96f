package models

import (
	"fmt"
	"strings"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// sqliteReaders is the number of read connections beside SQLite's one writer.
const sqliteReaders = 4

// openReads sets s.reads, the pool that serves the hot reads made outside a
// transaction (session, report and agency by id). On SQLite it is a few
// query-only connections of their own: WAL lets them read beside the writer,
// so a read no longer queues behind another request's transaction and its
// commit fsync on the single writer connection (measured with
// cmd/qianfa-bench, see BENCHMARKS.md). A read outside a transaction sees
// every committed change either way; decisions are still taken inside the
// writer's transaction. On MySQL the store's pool already serves both.
func (s *Store) openReads() error {
	if s.driver != DriverSQLite || inMemory(s.dsn) {
		s.reads = s.db // an in-memory database exists only on its one connection
		return nil
	}
	sep := "?"
	if strings.Contains(s.dsn, "?") {
		sep = "&"
	}
	db, err := gorm.Open(sqlite.Open(s.dsn+sep+"_pragma=query_only(1)"), &gorm.Config{
		TranslateError: true, SkipDefaultTransaction: true, // no statement cache: see Open
		Logger: logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		return translate(fmt.Errorf("open sqlite readers: %w", err), "数据库")
	}
	sqlDB, err := db.DB()
	if err != nil {
		return translate(err, "数据库")
	}
	sqlDB.SetMaxOpenConns(sqliteReaders)
	sqlDB.SetMaxIdleConns(sqliteReaders)
	sqlDB.SetConnMaxLifetime(0)
	s.reads, s.readsDB = db, sqlDB
	return nil
}

// inMemory reports whether a SQLite DSN names an in-memory database.
func inMemory(dsn string) bool {
	return strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
}
