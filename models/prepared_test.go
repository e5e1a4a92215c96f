package models_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// The hot reads run as statements prepared per connection: they keep answering
// after the server drops the pool's connections (MariaDB forgets a connection's
// prepared statements with it), and a missing row is still KindNotFound.
func TestPreparedReadsSurviveLostConnections(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team, r, token := draftWithSession(t, s, `{"title":"甲"}`)
		read := func(when string) {
			t.Helper()
			_, u, got, ag, err := s.SessionAndReport(ctx, token, r.ID)
			if err != nil || u.ID != team.Drafter.ID || got == nil || got.Content != `{"title":"甲"}` || got.Title != "甲" ||
				ag.ID != team.Agency.ID {
				t.Fatalf("%s: user %+v report %+v, %v", when, u, got, err)
			}
			if _, err := s.LatestPublication(ctx, team.Agency.ID, 2020, models.KindAgency); workflow.CodeOf(err) != workflow.CodeNotFound {
				t.Fatalf("%s: publication of an unpublished report: %v", when, err)
			}
		}
		read("first")
		if s.Dialect() == models.DriverMySQL {
			killConnections(t, s)
		}
		read("after the connections were dropped")
		read("again")
	})
}

// draftWithSession creates a team, its 2020 report with content, and a session
// of its drafter.
func draftWithSession(t *testing.T, s *models.Store, content string) (modelstest.Team, *models.Report, string) {
	t.Helper()
	team := modelstest.MustTeam(t, s, "mzj")
	r := modelstest.MustReport(t, s, team.Agency.ID, 2020, content)
	token, _, err := s.CreateSession(ctx, team.Drafter.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return team, r, token
}

// killConnections ends every connection to the store's database, from a
// connection of its own.
func killConnections(t *testing.T, s *models.Store) {
	t.Helper()
	var name string
	if err := s.SQLDB().QueryRowContext(ctx, "SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("mysql", modelstest.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	rows, err := admin.QueryContext(ctx, "SELECT id FROM information_schema.processlist WHERE db = ?", name)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		t.Fatal("no connection to drop")
	}
	for _, id := range ids {
		if _, err := admin.ExecContext(ctx, "KILL ?", id); err != nil {
			t.Fatal(err)
		}
	}
}

// Requests that meet a statement before it is prepared prepare it side by side
// (under -race in CI); every one of them answers.
func TestPreparedReadsFirstUseConcurrently(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		_, r, token := draftWithSession(t, s, `{"title":"乙"}`)
		const n = 16
		errs := make(chan error, n)
		for range n {
			go func() {
				_, _, got, _, err := s.SessionAndReport(ctx, token, r.ID)
				if err == nil && (got == nil || got.Content != `{"title":"乙"}` || got.Title != "乙") {
					err = fmt.Errorf("report %+v", got)
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	})
}

// On SQLite the report writes run as statements prepared on the writer
// connection, once per statement text, and a write refused by its guard still
// writes nothing; on MySQL they go as one batch and nothing is prepared.
func TestReportWritesArePreparedOnSQLite(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team, r, _ := draftWithSession(t, s, `{"title":"甲"}`)
		saved, err := s.SaveContentFrom(ctx, team.Drafter.AuditActor(), r, 1, `{"title":"乙"}`, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		afterSave := s.PreparedWrites()
		again, err := s.SaveContentFrom(ctx, team.Drafter.AuditActor(), saved, 2, `{"title":"丙"}`, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveContentFrom(ctx, team.Drafter.AuditActor(), saved, 2, `{"title":"丁"}`, 0, 0); workflow.CodeOf(err) != workflow.CodeStaleVersion {
			t.Fatalf("save on a stale read: %v", err)
		}
		submitted, _, err := s.TransitionFrom(ctx, again, nil, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 3}, workflow.Options{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		// A save prepares its UPDATE and the event insert; a second save reuses them;
		// a submit adds its own UPDATE and the revision insert.
		want := map[string][2]int{"sqlite": {2, 4}, "mysql": {0, 0}}[s.Dialect()]
		if afterSave != want[0] || s.PreparedWrites() != want[1] {
			t.Fatalf("prepared after a save %d, after a second save and a submit %d; want %v", afterSave, s.PreparedWrites(), want)
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil || read.Version != 4 || read.Content != `{"title":"丙"}` || read.State != workflow.InReview ||
			read.AuditHead != submitted.AuditHead {
			t.Fatalf("stored %+v, %v", read, err)
		}
		if rev, err := s.Revision(ctx, r.ID, 1); err != nil || rev.Content != `{"title":"丙"}` {
			t.Fatalf("revision 1 = %+v, %v", rev, err)
		}
		if res, err := s.VerifyAudit(ctx, modelstest.AuditKey); err != nil || !res.OK {
			t.Fatalf("audit: %+v, %v", res, err)
		}
	})
}
