package models_test

import (
	"context"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// Rotating the audit key re-signs every chain: afterwards the log verifies under the new
// key only, new events are signed with it, and a tampered log is refused.
func TestRekeyAudit(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		if _, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, r.CreatedAt); err != nil {
			t.Fatal(err)
		}
		newKey := []byte("qianfa-rotated-audit-key-9876543")
		before, err := s.VerifyAudit(ctx, modelstest.AuditKey)
		if err != nil || !before.OK {
			t.Fatalf("before: %+v %v", before, err)
		}
		res, err := s.RekeyAudit(ctx, modelstest.AuditKey, newKey)
		if err != nil || !res.OK || res.Events != before.Events {
			t.Fatalf("rekey: %+v %v (before %d events)", res, err, before.Events)
		}
		if old, _ := s.VerifyAudit(ctx, modelstest.AuditKey); old.OK {
			t.Fatal("the log still verifies under the retired key")
		}
		// The store now signs with the new key.
		if _, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
			workflow.Request{Action: workflow.Withdraw, Version: 2}, workflow.Options{}, r.CreatedAt); err != nil {
			t.Fatal(err)
		}
		if after, _ := s.VerifyAudit(ctx, newKey); !after.OK || after.Events != before.Events+1 {
			t.Fatalf("after a new event: %+v", after)
		}
		if _, err := s.RekeyAudit(ctx, modelstest.AuditKey, newKey); workflow.CodeOf(err) != "audit_tampered" {
			t.Fatalf("rekey with the wrong old key: %v, want audit_tampered", err)
		}
	})
}
