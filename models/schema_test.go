package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

var ctx = context.Background()

func TestMigrateUpDownUp(t *testing.T) {
	latest := latestVersion(t)
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		steps := []struct {
			name string
			run  func() error
			want int64
		}{
			{"down to 1", func() error { return s.MigrateDown(ctx, 1) }, 1},
			{"down", func() error { return s.MigrateDown(ctx, 0) }, 0},
			{"up", func() error { return s.Migrate(ctx) }, latest},
			{"up again", func() error { return s.Migrate(ctx) }, latest},
		}
		for _, st := range steps {
			if err := st.run(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			v, err := s.SchemaVersion(ctx)
			if err != nil || v != st.want {
				t.Fatalf("%s: version %d, %v; want %d", st.name, v, err, st.want)
			}
		}
		a := modelstest.MustAgency(t, s, "330424", 0)
		if a.ID != 1 {
			t.Errorf("first agency after up/down/up has id %d, want 1", a.ID)
		}
	})
}

func TestModelsMatchTables(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		tables, err := s.ModelTables()
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range schemaTables {
			if _, ok := tables[table]; !ok {
				t.Errorf("no model for table %s", table)
			}
		}
		for table, fc := range tables {
			if !slices.Equal(fc[0], fc[1]) {
				t.Errorf("%s: model columns %v, table columns %v", table, fc[0], fc[1])
			}
		}
	})
}

func TestChineseRoundTrip(t *testing.T) {
	const text = "海盐县民政局 𠮷野家 😀 政府信息公开工作年度报告"
	content := `{"title":"` + text + `"}`
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		a := &models.Agency{Code: "330424-mzj", Name: text, ApprovalSteps: models.StepList{"分管领导审核𠮷", "主要负责人签发😀"}}
		if err := s.CreateAgency(ctx, modelstest.System, a); err != nil {
			t.Fatal(err)
		}
		u := modelstest.MustUser(t, s, a.ID, "drafter", workflow.RoleDrafter)
		r := modelstest.MustReport(t, s, a.ID, 2020, content)
		if _, err := s.SaveContent(ctx, u.AuditActor(), r.ID, 1, content+" ", 0, 0); err != nil {
			t.Fatal(err)
		}
		gotA, err := s.AgencyByCode(ctx, "330424-mzj")
		if err != nil {
			t.Fatal(err)
		}
		if gotA.Name != text || !slices.Equal(gotA.ApprovalSteps, a.ApprovalSteps) {
			t.Errorf("agency = %q %q, want %q %q", gotA.Name, gotA.ApprovalSteps, text, a.ApprovalSteps)
		}
		gotR, err := s.ReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gotR.Content != content+" " {
			t.Errorf("content = %q, want %q", gotR.Content, content+" ")
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{Action: models.ActionAgencyCreate})
		if err != nil || len(events) != 1 || events[0].Data == "" {
			t.Fatalf("agency_create events %v, %v", events, err)
		}
		if res, err := s.VerifyAudit(ctx, modelstest.AuditKey); err != nil || !res.OK {
			t.Errorf("verify = %+v, %v", res, err)
		}
	})
}

func TestTimesAreUTC(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2021, 1, 31, 23, 59, 58, 123456789, shanghai)
	want := time.Date(2021, 1, 31, 15, 59, 58, 123456000, time.UTC)
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		if err := s.RecordLoginFailure(ctx, "nobody", "10.0.0.1", at); err != nil {
			t.Fatal(err)
		}
		team := modelstest.MustTeam(t, s, "a1")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, "{}")
		got, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, at)
		if err != nil {
			t.Fatal(err)
		}
		if !got.UpdatedAt.Equal(want) {
			t.Errorf("returned updated_at %v, want %v", got.UpdatedAt, want)
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{ReportID: r.ID, Action: "submit"})
		if err != nil || len(events) != 1 {
			t.Fatalf("events %v, %v", events, err)
		}
		revs, err := s.ListRevisions(ctx, r.ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions %v, %v", revs, err)
		}
		for name, got := range map[string]time.Time{
			"report.updated_at": read.UpdatedAt, "audit.at": events[0].At, "revision.created_at": revs[0].CreatedAt,
		} {
			if got.Location() != time.UTC || !got.Equal(want) {
				t.Errorf("%s = %v (%v), want %v in UTC", name, got, got.Location(), want)
			}
		}
		if read.CreatedAt.Location() != time.UTC {
			t.Errorf("created_at in %v, want UTC", read.CreatedAt.Location())
		}
		n, err := s.CountLoginFailures(ctx, "nobody", want)
		if err != nil || n != 1 {
			t.Errorf("failures since the instant = %d, %v; want 1", n, err)
		}
		n, err = s.CountLoginFailures(ctx, "nobody", want.Add(time.Microsecond))
		if err != nil || n != 0 {
			t.Errorf("failures since 1µs later = %d, %v; want 0", n, err)
		}
	})
}
