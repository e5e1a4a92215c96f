package models_test

import (
	"testing"

	"qianfa/bench/scale"
	"qianfa/models"
	"qianfa/models/modelstest"
)

// BenchmarkVerifyAudit measures Store.VerifyAudit from the database, 200 000
// events (the scale data's mix of chains, 1 000 reports), in events/s.
func BenchmarkVerifyAudit(b *testing.B) {
	for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
		b.Run(driver, func(b *testing.B) {
			s := modelstest.NewStore(b, driver)
			d, err := scale.Generate(ctx, s.SQLDB(), scale.Params{Agencies: 500, PerOffice: 100, Reports: 1000,
				Events: 200_000, DueYear: 2025, Content: `{"v":1}`, Key: modelstest.AuditKey})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				res, err := s.VerifyAudit(ctx, modelstest.AuditKey)
				if err != nil || !res.OK || res.Events != d.EventCount {
					b.Fatalf("VerifyAudit = %+v, %v", res, err)
				}
			}
			b.ReportMetric(float64(d.EventCount)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
