package models_test

import (
	"strconv"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// clock is a settable time source for the store.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func TestSessionExpiry(t *testing.T) {
	c := &clock{now: t0}
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		c.now = t0
		team := modelstest.MustTeam(t, s, "mzj")
		token, csrf, err := s.CreateSession(ctx, team.Drafter.ID, time.Hour)
		if err != nil || len(token) != 43 || len(csrf) != 43 || token == csrf {
			t.Fatalf("create session = %q %q, %v", token, csrf, err)
		}
		var stored int
		if err := s.RawDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", token).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the raw token is stored (%d rows, %v)", stored, err)
		}
		cases := []struct {
			at   time.Duration
			want string // "" = valid
		}{
			{0, ""},
			{59*time.Minute + 59*time.Second, ""},
			{time.Hour, workflow.CodeUnauthenticated},
		}
		for _, cs := range cases {
			c.now = t0.Add(cs.at)
			sess, u, err := s.SessionByToken(ctx, token)
			if workflow.CodeOf(err) != cs.want {
				t.Errorf("at +%v: %v, want %q", cs.at, err, cs.want)
			}
			if cs.want == "" && (u.ID != team.Drafter.ID || sess.CSRFToken != csrf || !sess.ExpiresAt.Equal(t0.Add(time.Hour))) {
				t.Errorf("at +%v: session %+v user %d", cs.at, sess, u.ID)
			}
		}
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Errorf("expired sessions deleted: %d, %v; want 1", n, err)
		}
		if _, _, err := s.SessionByToken(ctx, "no such token"); workflow.CodeOf(err) != workflow.CodeUnauthenticated {
			t.Errorf("unknown token: %v", err)
		}
	}, models.WithClock(c.Now))
}

func TestDeactivationEndsSessions(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		admin := modelstest.MustUser(t, s, team.Agency.ID, "admin", workflow.RoleAdmin)
		token, _, err := s.CreateSession(ctx, team.Drafter.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.CreateSession(ctx, team.Reviewer.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		off, name, roles := false, "新名字𠮷", models.RoleList{workflow.RoleDrafter, workflow.RoleReviewer}
		u, err := s.UpdateUser(ctx, admin.AuditActor(), team.Drafter.ID, models.UserChanges{Active: &off, Name: &name, Roles: &roles})
		if err != nil || u.Active || u.Name != name {
			t.Fatalf("update = %+v, %v", u, err)
		}
		if _, _, err := s.SessionByToken(ctx, token); workflow.CodeOf(err) != workflow.CodeUnauthenticated {
			t.Errorf("session of a deactivated user: %v", err)
		}
		if _, _, err := s.SessionByToken(ctx, other); err != nil {
			t.Errorf("another user's session: %v", err)
		}
		read, err := s.UserByUsername(ctx, "mzj-drafter")
		if err != nil || read.Active || read.Name != name || !read.Roles.Has(workflow.RoleReviewer) || len(read.Roles) != 2 {
			t.Errorf("read back %+v, %v", read, err)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{Action: models.ActionUserUpdate})
		want := `{"active":false,"name":"新名字𠮷","roles":["drafter","reviewer"],"user_id":` + strconv.FormatInt(team.Drafter.ID, 10) + `,"username":"mzj-drafter"}`
		if err != nil || len(events) != 1 || events[0].Data != want || events[0].ActorUsername != "admin" {
			t.Errorf("user_update events %+v, %v; want data %s", events, err, want)
		}
		// A session of an active user whose flag is cleared behind the store's
		// back is refused too: the check reads the user on every request.
		if _, err := s.RawDB().ExecContext(ctx, "UPDATE users SET active = ? WHERE id = ?", false, team.Reviewer.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByToken(ctx, other); workflow.CodeOf(err) != workflow.CodeUnauthenticated {
			t.Errorf("session of an inactive user: %v", err)
		}
		if _, err := s.UpdateUser(ctx, admin.AuditActor(), 999, models.UserChanges{Name: &name}); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("update of a missing user: %v", err)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		for i := range 5 {
			at := t0.Add(time.Duration(i) * 5 * time.Minute)
			for _, name := range []string{"mzj-drafter", "ghost"} {
				if err := s.RecordLoginFailure(ctx, name, "192.0.2.7", at); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.RecordLogin(ctx, team.Drafter, "192.0.2.7", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			since time.Time
			want  int64
		}{
			{"mzj-drafter", t0, 5},
			{"mzj-drafter", t0.Add(10 * time.Minute), 3},
			{"ghost", t0.Add(20 * time.Minute), 1},
			{"mzj-reviewer", t0, 0},
		}
		for _, c := range cases {
			n, err := s.CountLoginFailures(ctx, c.name, c.since)
			if err != nil || n != c.want {
				t.Errorf("%s since %v: %d, %v; want %d", c.name, c.since, n, err, c.want)
			}
		}
		failed, err := s.ListAudit(ctx, models.AuditFilter{Action: models.ActionLoginFailed})
		if err != nil || len(failed) != 5 || failed[0].ActorUsername != "mzj-drafter" || failed[0].AgencyID != team.Agency.ID {
			t.Errorf("login_failed events: %d, %v (unknown usernames are not audited)", len(failed), err)
		}
		logins, err := s.ListAudit(ctx, models.AuditFilter{Action: models.ActionLogin})
		if err != nil || len(logins) != 1 || logins[0].Data != `{"ip":"192.0.2.7"}` {
			t.Errorf("login events %+v, %v", logins, err)
		}
		if res, err := s.VerifyAudit(ctx, modelstest.AuditKey); err != nil || !res.OK || res.Events != teamEvents+6 {
			t.Errorf("verify = %+v, %v", res, err)
		}
	})
}

// SessionAndReport answers exactly what SessionByToken answers for the
// session, with the report and its agency when the report exists.
func TestSessionAndReport(t *testing.T) {
	c := &clock{now: t0}
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		c.now = t0
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":"𠮷"}`)
		token, csrf, err := s.CreateSession(ctx, team.Drafter.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		sess, u, got, ag, err := s.SessionAndReport(ctx, token, r.ID)
		if err != nil || u.ID != team.Drafter.ID || sess.CSRFToken != csrf {
			t.Fatalf("session = %+v %+v, %v", sess, u, err)
		}
		if got == nil || got.ID != r.ID || got.Content != `{"v":"𠮷"}` || got.Version != 1 || got.AuditHead != r.AuditHead ||
			ag == nil || ag.ID != team.Agency.ID || ag.Code != "mzj" {
			t.Fatalf("report = %+v, agency %+v", got, ag)
		}
		if _, u, got, ag, err := s.SessionAndReport(ctx, token, r.ID+100); err != nil || u.ID != team.Drafter.ID || got != nil || ag != nil {
			t.Errorf("missing report: user %+v report %+v agency %+v, %v; want the user alone", u, got, ag, err)
		}
		if _, _, got, _, err := s.SessionAndReport(ctx, "no such token", r.ID); workflow.CodeOf(err) != workflow.CodeUnauthenticated || got != nil {
			t.Errorf("unknown token: %+v, %v", got, err)
		}
		c.now = t0.Add(time.Hour)
		if _, _, got, _, err := s.SessionAndReport(ctx, token, r.ID); workflow.CodeOf(err) != workflow.CodeUnauthenticated || got != nil {
			t.Errorf("expired session: %+v, %v", got, err)
		}
	}, models.WithClock(c.Now))
}
