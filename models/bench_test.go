package models_test

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// BenchmarkTransition measures Store.Transition (one database transaction:
// locked read of the report with its agency's steps, audit insert, guarded
// update, and a revision insert on every submit), alternating submit and withdraw
// on one report per goroutine: serially, and with 8 goroutines.
func BenchmarkTransition(b *testing.B) {
	for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
		b.Run(driver, func(b *testing.B) {
			s := modelstest.NewStore(b, driver)
			team := modelstest.MustTeam(b, s, "mzj")
			var year atomic.Int64
			year.Store(1999)
			b.Run("serial", func(b *testing.B) {
				r := modelstest.MustReport(b, s, team.Agency.ID, int(year.Add(1)), `{"v":1}`)
				for range b.N {
					if err := benchStep(s, team.Drafter, r); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("c8", func(b *testing.B) {
				b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					r := modelstest.MustReport(b, s, team.Agency.ID, int(year.Add(1)), `{"v":1}`)
					for pb.Next() {
						if err := benchStep(s, team.Drafter, r); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}

// benchStep applies the next transition to r: submit from draft, withdraw from
// review.
func benchStep(s *models.Store, u *models.User, r *models.Report) error {
	action := workflow.Submit
	if r.State == workflow.InReview {
		action = workflow.Withdraw
	}
	got, _, err := s.Transition(ctx, r.ID, u.Actor(), u.Username,
		workflow.Request{Action: action, Version: r.Version}, workflow.Options{}, time.Now())
	if err == nil {
		*r = *got
	}
	return err
}

// BenchmarkFloor is the yardstick of performance.md on the same store: one
// transaction with one guarded UPDATE of the report row and one INSERT of an
// audit row, through database/sql without GORM. BenchmarkTransition ÷ this
// is the cost of the store's extra reads, GORM and the audit MAC.
func BenchmarkFloor(b *testing.B) {
	for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
		b.Run(driver, func(b *testing.B) {
			s := modelstest.NewStore(b, driver)
			team := modelstest.MustTeam(b, s, "mzj")
			r := modelstest.MustReport(b, s, team.Agency.ID, 2020, `{"v":1}`)
			db := s.RawDB()
			pos := int64(1000)
			for i := range b.N {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				pos++
				_, err = tx.ExecContext(ctx, "UPDATE reports SET version = version + 1, state = ? WHERE id = ? AND version = ?",
					workflow.InReview, r.ID, int64(i+1))
				if err == nil {
					_, err = tx.ExecContext(ctx, "INSERT INTO audit_events (chain, pos, at, action, comment, data, hash) VALUES (?, ?, ?, 'submit', '', '', 'h')",
						"report:1", pos, time.Now().UTC())
				}
				if err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
