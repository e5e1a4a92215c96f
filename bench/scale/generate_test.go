package scale_test

import (
	"context"
	"testing"

	"qianfa/bench/scale"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

var key = []byte("scale-test-key-0123456789abcdef!")

// The generated database has the asked sizes, a mix of states in the due
// year, and audit chains that verify with the key.
func TestGenerate(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		d, err := scale.Generate(ctx, s.SQLDB(), scale.Params{Agencies: 25, PerOffice: 10, Reports: 60, Events: 1000,
			DueYear: 2025, Content: `{"v":1,"title":"报告"}`, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Offices) != 3 || len(d.AgencyIDs) != 25 || d.ReportCount != 60 || d.EventCount != 1000 || len(d.Reviewers) != 25 {
			t.Fatalf("data: %d offices, %d agencies, %d reports, %d events, %d reviewers",
				len(d.Offices), len(d.AgencyIDs), d.ReportCount, d.EventCount, len(d.Reviewers))
		}
		res, err := s.VerifyAudit(ctx, key)
		if err != nil || !res.OK || res.Events != 1000 {
			t.Fatalf("VerifyAudit = %+v, %v", res, err)
		}
		due, err := s.ListReports(ctx, models.ReportFilter{Year: 2025})
		if err != nil || len(due) != 25 {
			t.Fatalf("due reports: %d, %v", len(due), err)
		}
		states := map[workflow.State]int{}
		for _, r := range due {
			states[r.State]++
			if r.Title != "报告" {
				t.Errorf("report %d: title %q, want %q", r.ID, r.Title, "报告")
			}
		}
		// agencies 0–19 take the 20-state mix (6 drafts … 6 published), agencies 20–24 start it again (5 drafts)
		want := map[workflow.State]int{workflow.Draft: 11, workflow.InReview: 3, workflow.InApproval: 3, workflow.Approved: 2, workflow.Published: 6}
		for st, n := range want {
			if states[st] != n {
				t.Errorf("due-year %s: %d, want %d (all: %v)", st, states[st], n, states)
			}
		}
		children, err := s.ChildAgencies(ctx, d.Offices[2])
		if err != nil || len(children) != 5 {
			t.Errorf("children of the last office: %v, %v", children, err)
		}
	})
}
