package handlers

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// scope is where the object of a request lives, seen from the caller.
type scope int

const (
	ownAgency   scope = iota // the caller's agency (for an office user: an agency under it)
	otherAgency              // another agency under the same supervising office
	otherOffice              // an agency under a different supervising office
	numScopes
)

var scopeNames = [numScopes]string{"own agency", "other agency", "other office"}

// anonymous is the caller without a session; the others are the roles of workflow.Roles.
const anonymous workflow.Role = "anonymous"

// callers are the rows of the matrix: anonymous and one user per role.
var callers = append([]workflow.Role{anonymous}, workflow.Roles...)

// target is one agency of the world with its in-review report and its drafter.
type target struct {
	agency  *models.Agency
	report  int64
	drafter *models.User
}

// session is a signed-in caller: bearer token for the API, cookie plus CSRF for pages.
type session struct {
	user        *models.User
	token, csrf string
}

// world is the fixed cast of the security tests: office 330424 with agencies A (the
// callers' own) and B, office 330481 with agency C; each agency has a report in review.
// Supervisor and auditor sit at office 330424; every other role sits at agency A.
type world struct {
	*env
	targets  [numScopes]target
	sessions map[workflow.Role]session
}

func newWorld(t *testing.T, store *models.Store) *world {
	t.Helper()
	e := newEnv(t, store)
	w := &world{env: e, sessions: map[workflow.Role]session{}}
	office := modelstest.MustAgency(t, store, "330424", 0)
	office2 := modelstest.MustAgency(t, store, "330481", 0)
	codes := [numScopes]string{"330424-mzj", "330424-jyj", "330481-mzj"}
	parents := [numScopes]int64{office.ID, office.ID, office2.ID}
	for i := range w.targets {
		ag := modelstest.MustAgency(t, store, codes[i], parents[i])
		w.targets[i] = target{agency: ag, drafter: e.user(ag.ID, codes[i]+"-d", workflow.RoleDrafter)}
	}
	for _, r := range workflow.Roles {
		home := w.targets[ownAgency].agency.ID
		if r == workflow.RoleSupervisor || r == workflow.RoleAuditor {
			home = office.ID
		}
		w.sessions[r] = w.newSession(e.user(home, "m-"+string(r), r))
	}
	admin := w.sessions[workflow.RoleAdmin].token
	for i := range w.targets {
		tg := &w.targets[i]
		var rep reportBody
		r := e.call("POST", "/api/v1/reports/import?agency_id="+id(tg.agency.ID), admin, seedJSON(t))
		mustStatus(t, r, http.StatusCreated, "")
		r.decode(t, &rep)
		tg.report = rep.ID
		submit := map[string]any{"action": "submit", "version": 1}
		mustStatus(t, e.call("POST", "/api/v1/reports/"+id(rep.ID)+"/transitions", w.newSession(tg.drafter).token, submit), http.StatusOK, "")
	}
	return w
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// newSession starts a session for u directly in the store: no password hashing per call.
func (w *world) newSession(u *models.User) session {
	w.t.Helper()
	token, csrf, err := w.store.CreateSession(context.Background(), u.ID, time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	return session{user: u, token: token, csrf: csrf}
}

// pageCall sends a browser request: the session cookie, Accept text/html, a form body
// (with the session's CSRF token unless noCSRF), redirects not followed.
func (w *world) pageCall(method, path string, s *session, form url.Values, noCSRF bool) response {
	w.t.Helper()
	var body io.Reader
	if method != http.MethodGet {
		if form == nil {
			form = url.Values{}
		}
		if s != nil && !noCSRF {
			form.Set("_csrf", s.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.srv.URL+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if s != nil {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.token})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: out}
}
