package models_test

import (
	"slices"
	"testing"

	"qianfa/audit"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// A write decided on a read whose version is still current but whose audit
// chain moved on (an export event) is decided again on a fresh read and
// lands after that event; the chains still verify.
func TestWriteRetriesWhenOnlyTheChainMoved(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		created := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		r, ag, err := s.ReportWithAgency(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		appendExport := func() {
			t.Helper()
			err := s.AppendAudit(ctx, &audit.Event{Action: models.ActionExport, AgencyID: r.AgencyID, ReportID: r.ID, At: t0})
			if err != nil {
				t.Fatal(err)
			}
		}
		appendExport()
		saved, err := s.SaveContentFrom(ctx, team.Drafter.AuditActor(), r, 1, `{"v":2}`, 0, 0)
		if err != nil {
			t.Fatalf("save after an export: %v", err)
		}
		if saved.Version != 2 || saved.AuditCount != 3 || saved.Content != `{"v":2}` {
			t.Errorf("saved = version %d, audit count %d, content %q; want 2, 3, {\"v\":2}", saved.Version, saved.AuditCount, saved.Content)
		}
		appendExport()
		got, _, err := s.TransitionFrom(ctx, saved, ag.ApprovalSteps, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 2}, workflow.Options{}, t0)
		if err != nil {
			t.Fatalf("submit after an export: %v", err)
		}
		if got.State != workflow.InReview || got.Version != 3 || got.AuditCount != 5 || got.Content != `{"v":2}` {
			t.Errorf("submitted = %s v%d count %d content %q", got.State, got.Version, got.AuditCount, got.Content)
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil || read.Version != 3 || read.AuditCount != 5 || read.AuditHead != got.AuditHead {
			t.Fatalf("stored = %+v, %v", read, err)
		}
		rev, err := s.Revision(ctx, r.ID, 1)
		if err != nil || rev.Content != `{"v":2}` {
			t.Errorf("revision 1 = %+v, %v", rev, err)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{ReportID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		actions := make([]string, len(events))
		for i, e := range events {
			actions[i] = e.Action
		}
		if want := []string{"create", "export", "save", "export", "submit"}; !slices.Equal(actions, want) {
			t.Fatalf("actions = %v, want %v", actions, want)
		}
		mustVerify(t, s)
	})
}

// A write decided on a read whose version has moved on writes nothing.
func TestWriteOnAStaleReadWritesNothing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		created := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		old, ag, err := s.ReportWithAgency(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveContent(ctx, team.Drafter.AuditActor(), old.ID, 1, `{"v":2}`, 0, 0); err != nil {
			t.Fatal(err)
		}
		// The client saw version 1 and so did the read: the decision is valid on
		// the read, and only the guard can refuse it.
		_, _, err = s.TransitionFrom(ctx, old, ag.ApprovalSteps, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, t0)
		if workflow.CodeOf(err) != workflow.CodeStaleVersion {
			t.Fatalf("submit on a stale read: %v, want stale_version", err)
		}
		if _, err := s.SaveContentFrom(ctx, team.Drafter.AuditActor(), old, 1, `{"v":3}`, 0, 0); workflow.CodeOf(err) != workflow.CodeStaleVersion {
			t.Fatalf("save on a stale read: %v, want stale_version", err)
		}
		read, err := s.ReportByID(ctx, old.ID)
		if err != nil || read.Version != 2 || read.State != workflow.Draft || read.AuditCount != 2 || read.Content != `{"v":2}` {
			t.Fatalf("stored = %+v, %v", read, err)
		}
		if revs, err := s.ListRevisions(ctx, old.ID); err != nil || len(revs) != 0 {
			t.Errorf("revisions = %+v, %v", revs, err)
		}
		mustVerify(t, s)
	})
}

// A write whose insert fails after its update ran (here: an event already
// sits at the chain position the new one takes) is rolled back whole, and
// the connection it used serves the next write normally.
func TestWriteFailingMidwayIsRolledBack(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		_, err := s.RawDB().ExecContext(ctx, "INSERT INTO audit_events (chain, pos, at, actor_id, actor_username, action, "+
			"agency_id, report_id, from_state, to_state, comment, revision, data, prev_hash, hash) "+
			"VALUES (?, 2, ?, 0, '', 'squat', ?, ?, '', '', '', 0, '', '', '')", audit.ReportChain(r.ID), t0, r.AgencyID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Repeated: a connection left inside a failed transaction would serve the next write.
		for range 20 {
			_, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
				workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, t0)
			if err == nil || workflow.CodeOf(err) == workflow.CodeStaleVersion {
				t.Fatalf("submit onto a taken chain position: %v, want an error", err)
			}
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil || read.Version != 1 || read.State != workflow.Draft || read.AuditCount != 1 || read.SubmittedBy != nil {
			t.Fatalf("after the failed writes: %+v, %v", read, err)
		}
		if revs, err := s.ListRevisions(ctx, r.ID); err != nil || len(revs) != 0 {
			t.Fatalf("revisions after the failed writes = %+v, %v", revs, err)
		}
		if _, err := s.RawDB().ExecContext(ctx, "DELETE FROM audit_events WHERE action = 'squat'"); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			other := modelstest.MustReport(t, s, team.Agency.ID, 1990+i, `{}`)
			if _, _, err := s.Transition(ctx, other.ID, team.Drafter.Actor(), team.Drafter.Username,
				workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, t0); err != nil {
				t.Fatalf("submit %d after the failures: %v", i, err)
			}
		}
		got, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, t0)
		if err != nil || got.Version != 2 || got.AuditCount != 2 {
			t.Fatalf("submit once the position is free: %+v, %v", got, err)
		}
		mustVerify(t, s)
	})
}

// Content with quotes, backslashes, statement separators and comment markers
// is stored byte for byte: on MySQL a write is one multi-statement batch, so
// its arguments must never end a statement.
func TestWriteKeepsHostileContentVerbatim(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{}`)
		content := "{\"x\":\"'; DROP TABLE reports; -- \\\\' \\\" \\u0000 ; COMMIT; /* */ `x` 𠮷\"}"
		saved, err := s.SaveContent(ctx, team.Drafter.AuditActor(), r.ID, 1, content, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		comment := "退回'); DELETE FROM audit_events; -- \\"
		if _, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: saved.Version, Comment: comment}, workflow.Options{}, t0); err != nil {
			t.Fatal(err)
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil || read.Content != content || read.Version != 3 {
			t.Fatalf("stored content %q (version %d), %v; want %q", read.Content, read.Version, err, content)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{ReportID: r.ID})
		if err != nil || len(events) != 3 || events[2].Comment != comment {
			t.Fatalf("events = %+v, %v", events, err)
		}
		mustVerify(t, s)
	})
}

func mustVerify(t *testing.T, s *models.Store) {
	t.Helper()
	res, err := s.VerifyAudit(ctx, modelstest.AuditKey)
	if err != nil || !res.OK {
		t.Fatalf("audit verification: %+v, %v", res, err)
	}
}
