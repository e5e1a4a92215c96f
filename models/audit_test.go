package models_test

import (
	"database/sql"
	"testing"
	"time"

	"qianfa/audit"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// logEvents is how many events auditLog writes: six for the team, five on
// the first report's chain, two on the second's.
const logEvents = teamEvents + 5 + 2

// auditLog writes a log mixing an agency chain and two report chains and
// returns the events of the first report, oldest first.
func auditLog(t *testing.T, s *models.Store) []audit.Event {
	t.Helper()
	team := modelstest.MustTeam(t, s, "mzj")
	r1 := modelstest.MustReport(t, s, team.Agency.ID, 2020, "{}")
	r2 := modelstest.MustReport(t, s, team.Agency.ID, 2021, "{}")
	for v, r := range []*models.Report{r1, r2, r1} {
		version := int64(1 + v/2)
		if _, err := s.SaveContent(ctx, team.Drafter.AuditActor(), r.ID, version, `{"x":1}`, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Transition(ctx, r1.ID, team.Drafter.Actor(), team.Drafter.Username,
		workflow.Request{Action: workflow.Submit, Version: 3}, workflow.Options{}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendAudit(ctx, &audit.Event{ActorID: team.Drafter.ID, ActorUsername: team.Drafter.Username,
		Action: models.ActionExport, AgencyID: team.Agency.ID, ReportID: r1.ID, Data: `{"format":"xlsx"}`}); err != nil {
		t.Fatal(err)
	}
	events, err := s.ListAudit(ctx, models.AuditFilter{ReportID: r1.ID})
	if err != nil || len(events) != 5 {
		t.Fatalf("report events %d, %v; want 5", len(events), err)
	}
	return events
}

func TestVerifyAuditDetectsTampering(t *testing.T) {
	// Each case tampers with the report's events e (create, save, save,
	// submit, export) and names the seq verification must report.
	cases := []struct {
		name   string
		tamper func(db *sql.DB, e []audit.Event) error
		bad    func(e []audit.Event) int64
		code   string
	}{
		{"modify", func(db *sql.DB, e []audit.Event) error {
			return exec(db, "UPDATE audit_events SET comment = '改过' WHERE id = ?", e[2].Seq)
		}, func(e []audit.Event) int64 { return e[2].Seq }, audit.ReasonMACMismatch},
		{"delete", func(db *sql.DB, e []audit.Event) error {
			return exec(db, "DELETE FROM audit_events WHERE id = ?", e[1].Seq)
		}, func(e []audit.Event) int64 { return e[2].Seq }, audit.ReasonMissingEvent},
		{"insert", func(db *sql.DB, e []audit.Event) error {
			return exec(db, "INSERT INTO audit_events (chain, pos, at, action, agency_id, report_id, comment, data, prev_hash, hash) "+
				"SELECT chain, 6, at, 'publish', agency_id, report_id, '', '', hash, hash FROM audit_events WHERE id = ?", e[4].Seq)
		}, func(e []audit.Event) int64 { return e[4].Seq + 1 }, audit.ReasonMACMismatch},
		{"swap positions", func(db *sql.DB, e []audit.Event) error {
			return swapPos(db, e[1].Seq, e[2].Seq, e[1].Pos, e[2].Pos)
		}, func(e []audit.Event) int64 { return e[1].Seq }, audit.ReasonMACMismatch},
		{"swap order", func(db *sql.DB, e []audit.Event) error {
			return swapSeq(db, e[1].Seq, e[2].Seq)
		}, func(e []audit.Event) int64 { return e[1].Seq }, audit.ReasonReordered},
		{"truncate", func(db *sql.DB, e []audit.Event) error {
			return exec(db, "DELETE FROM audit_events WHERE id = ?", e[4].Seq)
		}, func(e []audit.Event) int64 { return e[3].Seq }, audit.ReasonHeadMismatch},
	}
	models.SetVerifyBatch(t, 4) // the 13 events cross batch boundaries
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
				events := auditLog(t, s)
				before, err := s.VerifyAudit(ctx, modelstest.AuditKey)
				if err != nil || !before.OK || before.Events != logEvents {
					t.Fatalf("intact log: %+v, %v", before, err)
				}
				if err := c.tamper(s.RawDB(), events); err != nil {
					t.Fatal(err)
				}
				res, err := s.VerifyAudit(ctx, modelstest.AuditKey)
				if err != nil {
					t.Fatal(err)
				}
				if res.OK || res.FirstBadSeq != c.bad(events) || res.Code != c.code {
					t.Errorf("verify = %+v, want first bad seq %d (%s)", res, c.bad(events), c.code)
				}
			})
		})
	}
}

func TestVerifyAuditWrongKey(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		auditLog(t, s)
		res, err := s.VerifyAudit(ctx, []byte("another key"))
		if err != nil || res.OK || res.FirstBadSeq != 1 {
			t.Errorf("verify with another key = %+v, %v", res, err)
		}
	})
}

func TestListAuditFilters(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		events := auditLog(t, s)
		cases := []struct {
			name string
			f    models.AuditFilter
			want int
		}{
			{"all", models.AuditFilter{}, logEvents},
			{"action", models.AuditFilter{Action: models.ActionSave}, 3},
			{"actor", models.AuditFilter{ActorUsername: "mzj-drafter"}, 5},
			{"report and actor", models.AuditFilter{ReportID: events[0].ReportID, ActorUsername: "mzj-drafter"}, 4},
			{"other agency", models.AuditFilter{AgencyIDs: []int64{events[0].AgencyID + 1}}, 0},
			{"from submit", models.AuditFilter{ReportID: events[0].ReportID, From: t0, To: t0.Add(time.Microsecond)}, 1},
			{"limit", models.AuditFilter{Limit: 2}, 2},
		}
		for _, c := range cases {
			got, err := s.ListAudit(ctx, c.f)
			if err != nil || len(got) != c.want {
				t.Errorf("%s: %d events, %v; want %d", c.name, len(got), err, c.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Seq <= got[i-1].Seq {
					t.Errorf("%s: not oldest first", c.name)
				}
			}
		}
	})
}

func exec(db *sql.DB, query string, args ...any) error {
	_, err := db.ExecContext(ctx, query, args...)
	return err
}

// swapPos exchanges the positions a and b of rows seqA and seqB through a
// free value, as a tamperer must under UNIQUE(chain, pos).
func swapPos(db *sql.DB, seqA, seqB, a, b int64) error {
	return execAll(db, "UPDATE audit_events SET pos = ? WHERE id = ?", [][2]int64{{-1, seqA}, {a, seqB}, {b, seqA}})
}

// swapSeq exchanges the ids (seqs) of rows a and b: the two events change
// places in the log's order.
func swapSeq(db *sql.DB, a, b int64) error {
	const free = 999999
	return execAll(db, "UPDATE audit_events SET id = ? WHERE id = ?", [][2]int64{{free, a}, {a, b}, {b, free}})
}

func execAll(db *sql.DB, query string, args [][2]int64) error {
	for _, a := range args {
		if err := exec(db, query, a[0], a[1]); err != nil {
			return err
		}
	}
	return nil
}

// TestVerifyAuditReadsAwkwardValues: verification rebuilds every field byte
// for byte (the MAC covers them all), whatever the text holds; SQLite reads
// each row packed into one value, so separators, digits, NUL bytes and
// multi-byte characters must not shift a field.
func TestVerifyAuditReadsAwkwardValues(t *testing.T) {
	texts := []string{"", " ", "12 34 ", "-5 ", "a\x00b", "\x00", "𠮷野家 中文", "'; DROP TABLE audit_events; --",
		`{"k":"v w","n":[1,2]}`, "line\nbreak\ttab", "\u00a0\ufeff"}
	models.SetVerifyBatch(t, 3)
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "awk")
		for i, text := range texts {
			e := &audit.Event{ActorID: team.Drafter.ID, ActorUsername: team.Drafter.Username + text,
				Action: models.ActionExport, AgencyID: team.Agency.ID, Comment: text, Data: text}
			if i%2 == 1 {
				e.Comment, e.Data = text+text, ""
			}
			if err := s.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		want := teamEvents + len(texts)
		res, err := s.VerifyAudit(ctx, modelstest.AuditKey)
		if err != nil || !res.OK || res.Events != want {
			t.Fatalf("verify = %+v, %v; want ok with %d events", res, err, want)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{Action: models.ActionExport})
		if err != nil || len(events) != len(texts) {
			t.Fatalf("export events %d, %v", len(events), err)
		}
		// Tampering with a number or the time of one of them is found at that event.
		for _, q := range []string{"UPDATE audit_events SET actor_id = actor_id + 1 WHERE id = ?",
			"UPDATE audit_events SET revision = 7 WHERE id = ?"} {
			if err := exec(s.RawDB(), q, events[4].Seq); err != nil {
				t.Fatal(err)
			}
			res, err := s.VerifyAudit(ctx, modelstest.AuditKey)
			if err != nil || res.OK || res.FirstBadSeq != events[4].Seq || res.Code != audit.ReasonMACMismatch {
				t.Errorf("after %q: verify = %+v, %v; want mac_mismatch at %d", q, res, err, events[4].Seq)
			}
		}
	})
}
