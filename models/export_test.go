package models

import (
	"database/sql"
	"slices"
	"sync"

	"gorm.io/gorm/schema"
)

// RawDB exposes the connection pool to the tests, which tamper with rows
// behind the store's back.
func (s *Store) RawDB() *sql.DB { return s.sqlDB }

// allModels lists every GORM model with its table.
var allModels = []any{
	&Agency{}, &User{}, &Report{}, &Revision{}, &Approval{}, &Publication{},
	&auditRow{}, &Session{}, &LoginFailure{},
	&OutboxMessage{}, &InboxItem{}, &CalendarOverride{},
}

// ModelTables returns, for every model, its table and the columns the model
// maps (sorted), and the columns the migrated table has (sorted).
func (s *Store) ModelTables() (map[string][2][]string, error) {
	out := map[string][2][]string{}
	for _, m := range allModels {
		sch, err := schema.Parse(m, &sync.Map{}, s.db.NamingStrategy)
		if err != nil {
			return nil, err
		}
		var fields []string
		for _, f := range sch.Fields {
			if f.DBName != "" {
				fields = append(fields, f.DBName)
			}
		}
		types, err := s.db.Migrator().ColumnTypes(m)
		if err != nil {
			return nil, err
		}
		var cols []string
		for _, c := range types {
			cols = append(cols, c.Name())
		}
		slices.Sort(fields)
		slices.Sort(cols)
		out[sch.Table] = [2][]string{fields, cols}
	}
	return out, nil
}

// SetVerifyBatch makes VerifyAudit read n events per query until the test
// ends, so that small logs cross batch boundaries.
func SetVerifyBatch(t interface{ Cleanup(func()) }, n int) {
	old := verifyBatch
	verifyBatch = n
	t.Cleanup(func() { verifyBatch = old })
}

// GuardSQL is the WHERE of the guarded report updates (" WHERE id = ? AND …").
const GuardSQL = rowGuard

// PreparedWrites is how many report-write statements the store keeps prepared.
func (s *Store) PreparedWrites() int { return s.preparedWrites.len() }
