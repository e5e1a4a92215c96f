package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"qianfa/handlers/openapi"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// Every error status of the contract, provoked for real, with its code.
func TestAPIErrors(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store, func(o *Options) { o.BodyLimit = 64 << 10 })
		office := modelstest.MustAgency(t, store, "330424", 0)
		own := modelstest.MustAgency(t, store, "330424-mzj", office.ID)
		other := modelstest.MustAgency(t, store, "330481-mzj", 0)
		e.user(own.ID, "jingban", workflow.RoleDrafter)
		e.user(other.ID, "other", workflow.RoleDrafter)
		e.user(own.ID, "baomi", workflow.RoleReviewer)
		e.user(office.ID, "zfgkb", workflow.RoleSupervisor)
		drafter, stranger := e.login("jingban"), e.login("other")

		r := e.call("POST", "/api/v1/reports/import", drafter, seedJSON(t))
		mustStatus(t, r, http.StatusCreated, "")
		var rep reportBody
		r.decode(t, &rep)
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10)

		cases := []struct {
			name         string
			method, path string
			token        string
			body         any
			header       []string
			status       int
			code         string
		}{
			{"no token", "GET", "/api/v1/me", "", nil, nil, 401, "unauthenticated"},
			{"bad token", "GET", "/api/v1/me", "not-a-token", nil, nil, 401, "unauthenticated"},
			{"wrong password", "POST", "/api/v1/auth/login", "", map[string]string{"username": "jingban", "password": "nope-nope"}, nil, 401, "invalid_credentials"},
			{"unknown user", "POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "nope-nope"}, nil, 401, "invalid_credentials"},
			{"other agency's report is hidden", "GET", path, stranger, nil, nil, 404, "not_found"},
			{"other agency's revisions are hidden", "GET", path + "/revisions", stranger, nil, nil, 404, "not_found"},
			{"guessed id", "GET", "/api/v1/reports/999999", drafter, nil, nil, 404, "not_found"},
			{"duplicate year", "POST", "/api/v1/reports", drafter, map[string]any{"year": 2020, "edition": "2019"}, nil, 409, "duplicate"},
			{"stale version", "PUT", path + "/content", drafter, map[string]any{"version": 9, "content": map[string]any{}}, nil, 422, "validation_failed"},
			{"invalid transition", "POST", path + "/transitions", drafter, map[string]any{"action": "publish", "version": 1}, nil, 409, "invalid_transition"},
			{"wrong role", "POST", path + "/transitions", e.login("baomi"), map[string]any{"action": "submit", "version": 1}, nil, 403, "forbidden"},
			{"unknown action", "POST", path + "/transitions", drafter, map[string]any{"action": "sign", "version": 1}, nil, 400, "bad_request"},
			{"unknown field", "POST", "/api/v1/reports", drafter, map[string]any{"year": 2020, "edition": "2019", "colour": "red"}, nil, 400, "bad_request"},
			{"wrong type", "POST", "/api/v1/reports", drafter, `{"year": "2020"}`, nil, 400, "bad_request"},
			{"malformed JSON", "POST", "/api/v1/reports", drafter, `{"year": 20`, nil, 400, "bad_request"},
			{"not JSON", "POST", "/api/v1/reports", drafter, `year=2020`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"},
			{"too large", "POST", "/api/v1/validate", drafter, `{"title": "` + strings.Repeat("字", 30000) + `"}`, nil, 413, "too_large"},
			{"edition of another year", "POST", "/api/v1/reports", drafter, map[string]any{"year": 2019, "edition": "2021"}, nil, 422, "validation_failed"},
			{"admin only", "GET", "/api/v1/users", drafter, nil, nil, 403, "forbidden"},
			{"auditor only", "GET", "/api/v1/audit/verify", drafter, nil, nil, 403, "forbidden"},
			{"no route", "GET", "/api/v1/nothing-here", drafter, nil, nil, 404, "not_found"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.call(c.method, c.path, c.token, c.body, c.header...)
				mustStatus(t, r, c.status, c.code)
				if c.name == "no route" {
					return
				}
				var b struct {
					Error struct {
						Message string
						Details []any
					}
				}
				r.decode(t, &b)
				if b.Error.Message == "" || b.Error.Details == nil {
					t.Fatalf("error body lacks message or details: %s", r.body)
				}
			})
		}

		// The supervisor reads the reports of every agency under its office.
		r = e.call("GET", path, e.login("zfgkb"), nil)
		mustStatus(t, r, http.StatusOK, "")
	})
}

// A document that is not a report is refused with every problem's path named.
func TestValidateEndpoint(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	e.user(ag.ID, "u1", workflow.RoleDrafter)
	tok := e.login("u1")

	r := e.call("POST", "/api/v1/validate", tok, seedJSON(t))
	mustStatus(t, r, http.StatusOK, "")
	var ok struct {
		Findings []struct {
			Rule, Severity string
			Cells          []string
		}
	}
	r.decode(t, &ok)
	if len(ok.Findings) != 1 || ok.Findings[0].Rule != "T2-2019-H1" || ok.Findings[0].Cells[0] != "t2.art20_5.administrative_licensing.decisions" {
		t.Fatalf("seed findings = %+v", ok.Findings)
	}

	bad := strings.Replace(string(seedJSON(t)), `"edition": "2019"`, `"edition": "2021"`, 1)
	bad = strings.Replace(bad, `"year": 2020`, `"year": 2021`, 1)
	bad = strings.Replace(bad, `"new_made": 4`, `"new_made": "4"`, 1)
	r = e.call("POST", "/api/v1/validate", tok, bad)
	mustStatus(t, r, http.StatusUnprocessableEntity, "validation_failed")
	for _, p := range []string{"t2.art20_9", "t3.r3_6_other"} {
		if !strings.Contains(string(r.body), `"path":"`+p) {
			t.Errorf("422 details do not name %s: %s", p, r.body)
		}
	}
}

// Five failed logins for one username within the window: the sixth attempt is refused
// with 429 even with the right password.
func TestLoginThrottle(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	e.user(ag.ID, "u1", workflow.RoleDrafter)
	for i := 0; i < 5; i++ {
		r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u1", "password": "guess-" + strconv.Itoa(i)})
		mustStatus(t, r, http.StatusUnauthorized, "invalid_credentials")
	}
	r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u1", "password": testPassword})
	mustStatus(t, r, http.StatusTooManyRequests, "rate_limited")
	events, err := store.ListAudit(context.Background(), models.AuditFilter{Action: models.ActionLoginFailed})
	if err != nil || len(events) != 5 {
		t.Fatalf("login_failed events = %d (%v), want 5", len(events), err)
	}
}

// Cookie-authenticated writes need the CSRF token; bearer writes do not. Logout and
// deactivation end a session at once.
func TestSessionsAndCSRF(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	e.user(ag.ID, "u1", workflow.RoleDrafter)
	admin := e.user(ag.ID, "root", workflow.RoleAdmin)

	r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u1", "password": testPassword})
	var login struct {
		Token     string `json:"token"`
		CSRFToken string `json:"csrf_token"`
	}
	r.decode(t, &login)
	setCookie := r.header.Get("Set-Cookie")
	for _, attr := range []string{"qianfa_session=" + login.Token, "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(setCookie, attr) {
			t.Fatalf("Set-Cookie %q lacks %q", setCookie, attr)
		}
	}
	cookie := "qianfa_session=" + login.Token
	body := map[string]any{"year": 2020, "edition": "2019"}
	mustStatus(t, e.call("POST", "/api/v1/reports", "", body, "Cookie", cookie), http.StatusForbidden, "forbidden")
	mustStatus(t, e.call("POST", "/api/v1/reports", "", body, "Cookie", cookie, "X-CSRF-Token", "forged"), http.StatusForbidden, "forbidden")
	mustStatus(t, e.call("POST", "/api/v1/reports", "", body, "Cookie", cookie, "X-CSRF-Token", login.CSRFToken), http.StatusCreated, "")
	mustStatus(t, e.call("GET", "/api/v1/me", "", nil, "Cookie", cookie), http.StatusOK, "")

	// Logout ends the session for the bearer token and the cookie alike.
	mustStatus(t, e.call("POST", "/api/v1/auth/logout", login.Token, nil), http.StatusNoContent, "")
	mustStatus(t, e.call("GET", "/api/v1/me", login.Token, nil), http.StatusUnauthorized, "unauthenticated")

	// Deactivation takes effect on the very next request.
	tok := e.login("u1")
	mustStatus(t, e.call("GET", "/api/v1/me", tok, nil), http.StatusOK, "")
	r = e.call("PATCH", "/api/v1/users/"+strconv.FormatInt(findUser(t, store, "u1"), 10), e.login(admin.Username), map[string]any{"active": false})
	mustStatus(t, r, http.StatusOK, "")
	mustStatus(t, e.call("GET", "/api/v1/me", tok, nil), http.StatusUnauthorized, "unauthenticated")
	mustStatus(t, e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u1", "password": testPassword}), http.StatusUnauthorized, "invalid_credentials")
}

func findUser(t *testing.T, s *models.Store, username string) int64 {
	t.Helper()
	u, err := s.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Two clients acting on the same version over HTTP: exactly one wins.
func TestConcurrentTransitionsOverHTTP(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		ag := modelstest.MustAgency(t, store, "a1", 0)
		e.user(ag.ID, "u1", workflow.RoleDrafter)
		tok := e.login("u1")
		r := e.call("POST", "/api/v1/reports/import", tok, seedJSON(t))
		var rep reportBody
		r.decode(t, &rep)
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10) + "/transitions"
		const n = 20
		codes := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.call("POST", path, tok, map[string]any{"action": "submit", "version": 1})
				codes[i] = strconv.Itoa(r.status) + r.code()
			}()
		}
		wg.Wait()
		won, stale := 0, 0
		for _, c := range codes {
			switch c {
			case "200":
				won++
			case "409stale_version":
				stale++
			default:
				t.Errorf("unexpected answer %s", c)
			}
		}
		if won != 1 || stale != n-1 {
			t.Fatalf("%d won, %d stale; want 1 and %d", won, stale, n-1)
		}
	})
}

// Every API route Echo serves is in the OpenAPI document.
func TestRoutesAreDocumented(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	h, _ := New(store, Options{BodyLimit: 1 << 20}, nil, nil)
	n := 0
	for _, rt := range h.(*echo.Echo).Routes() {
		if rt.Method == echo.RouteNotFound {
			continue
		}
		if !strings.HasPrefix(rt.Path, "/api/") && rt.Path != "/healthz" && rt.Path != "/readyz" && rt.Path != "/metrics" {
			continue
		}
		n++
		if !openapi.HasRoute(rt.Method, rt.Path) {
			t.Errorf("%s %s is served but not in openapi.json", rt.Method, rt.Path)
		}
	}
	if n < 25 {
		t.Fatalf("only %d API routes found", n)
	}
}
