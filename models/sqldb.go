package models

import "database/sql"

// SQLDB returns the store's connection pool. The load generator's floor server
// uses it so that the floor runs on the same database with the same DSN and
// pool settings as the product; nothing in the product writes through it.
func (s *Store) SQLDB() *sql.DB { return s.sqlDB }
