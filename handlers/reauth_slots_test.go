package handlers

import (
	"net/http"
	"strconv"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// A sign-off that cannot succeed — at an old version, or by someone who is not a
// leader — is answered by the store (409, 403 forbidden) before any password check,
// and leaves no reauth_failed event; the real sign-off then works.
func TestSignOffRefusedBeforePasswordCheck(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		ag := modelstest.MustAgency(t, store, "330424-mzj", 0)
		e.user(ag.ID, "jingban", workflow.RoleDrafter)
		e.user(ag.ID, "baomi", workflow.RoleReviewer)
		e.user(ag.ID, "zhuyao", workflow.RoleLeader)
		e.user(ag.ID, "shenji", workflow.RoleAuditor)
		drafter, reviewer, leader := e.login("jingban"), e.login("baomi"), e.login("zhuyao")
		r := e.call("POST", "/api/v1/reports/import", drafter, seedJSON(t))
		mustStatus(t, r, http.StatusCreated, "")
		var rep reportBody
		r.decode(t, &rep)
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10) + "/transitions"
		act := func(token, action string, version int64, pw string) response {
			body := map[string]any{"action": action, "version": version}
			if pw != "" {
				body["password"] = pw
			}
			return e.call("POST", path, token, body)
		}
		mustStatus(t, act(drafter, "submit", 1, ""), http.StatusOK, "")
		mustStatus(t, act(reviewer, "approve", 2, ""), http.StatusOK, "")
		mustStatus(t, act(leader, "approve", 2, "wrong-password"), http.StatusConflict, "stale_version")
		mustStatus(t, act(reviewer, "approve", 3, "wrong-password"), http.StatusForbidden, "forbidden")
		var events struct{ Items []struct{ Action string } }
		e.call("GET", "/api/v1/reports/"+strconv.FormatInt(rep.ID, 10)+"/audit", e.login("shenji"), nil).decode(t, &events)
		for _, ev := range events.Items {
			if ev.Action == models.ActionReauthFailed {
				t.Errorf("a refused request left a %s event", ev.Action)
			}
		}
		mustStatus(t, act(leader, "approve", 3, "wrong-password"), http.StatusForbidden, "reauth_failed")
		mustStatus(t, act(leader, "approve", 3, testPassword), http.StatusOK, "")
	})
}
