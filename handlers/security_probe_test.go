package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/workflow"
)

// Short names for the matrix rows.
const (
	an = anonymous
	dr = workflow.RoleDrafter
	rv = workflow.RoleReviewer
	ld = workflow.RoleLeader
	pb = workflow.RolePublisher
	sv = workflow.RoleSupervisor
	ad = workflow.RoleAdmin
	au = workflow.RoleAuditor
)

// cells are the statuses for an object of the caller's own agency, of another agency under
// the same office, and of an agency under another office.
type cells [numScopes]int

// row is one route of the matrix: the expected status per caller and scope.
type row map[workflow.Role]cells

func all(status int) cells            { return cells{status, status, status} }
func of(own, other, office int) cells { return cells{own, other, office} }

// probe says how the matrix calls a route: its query, and a request body that an
// authorised caller sees rejected after the authorisation checks, or that does not change
// what the other cells rely on (the world's reports stay in review at version 2).
type probe struct {
	query string
	json  func(w *world, tg target) any // API body; nil sends none
	form  func(tg target) url.Values    // page form, the CSRF token is added
	ends  bool                          // the call ends the session: use a fresh one
}

var probes = map[string]probe{
	"POST /api/v1/auth/login":  {json: func(*world, target) any { return map[string]any{} }},
	"POST /api/v1/auth/logout": {ends: true},
	"POST /api/v1/reports": {json: func(_ *world, tg target) any {
		return map[string]any{"year": 2020, "edition": "2019", "agency_id": tg.agency.ID}
	}},
	"POST /api/v1/reports/import": {query: "agency_id={agency}", json: func(w *world, _ target) any { return seedJSON(w.t) }},
	"PUT /api/v1/reports/:id/content": {json: func(w *world, _ target) any {
		return fmt.Sprintf(`{"version": 999, "content": %s}`, seedJSON(w.t))
	}},
	// A return without a comment: 400 for the one role that may return a report in review,
	// 403 for the others, and nothing changes.
	"POST /api/v1/reports/:id/transitions": {json: func(*world, target) any { return map[string]any{"action": "return", "version": 2} }},
	"GET /api/v1/reports/:id/diff":         {query: "from=1&to=1"},
	"GET /api/v1/reports/:id/export":       {query: "format=json"},
	"POST /api/v1/validate":                {json: func(w *world, _ target) any { return seedJSON(w.t) }},
	"POST /api/v1/rollup/report":           {json: func(*world, target) any { return map[string]any{"year": 2015} }},
	"GET /api/v1/reminders/preview":        {query: "date=2022-01-25"},
	"POST /api/v1/agencies": {json: func(_ *world, tg target) any {
		return map[string]any{"code": tg.agency.Code, "name": "重复的单位"}
	}},
	"POST /api/v1/users": {json: func(_ *world, tg target) any {
		return map[string]any{"username": tg.drafter.Username, "name": "重复的用户", "email": "dup@example.gov.cn",
			"agency_id": tg.agency.ID, "roles": []string{"drafter"}, "password": "password-123456"}
	}},
	"PATCH /api/v1/users/:id":              {json: func(*world, target) any { return map[string]any{"roles": []string{}} }},
	"POST /api/v1/notifications/read":      {json: func(*world, target) any { return map[string]any{"all": true} }},
	"PUT /api/v1/calendar/overrides/:date": {json: func(*world, target) any { return map[string]any{"work": false, "name": "测试"} }},
	"POST /logout":                         {ends: true},
	"POST /reports": {form: func(tg target) url.Values {
		return url.Values{"year": {"2020"}, "edition": {"2019"}, "agency_id": {id(tg.agency.ID)}}
	}},
	"POST /reports/:id/edit":       {form: func(target) url.Values { return url.Values{"version": {"999"}} }},
	"POST /reports/:id/transition": {form: func(target) url.Values { return url.Values{"action": {"return"}, "version": {"2"}} }},
	"POST /rollup/report":          {form: func(target) url.Values { return url.Values{"year": {"2015"}} }},
}

// routeKey is how the matrix names a route: method and Echo path pattern.
func routeKey(r *echo.Route) string { return r.Method + " " + r.Path }

// servedRoutes lists the routes of the real server (not the catch-alls of groups).
func servedRoutes(w *world) []string {
	w.t.Helper()
	e, ok := w.srv.Config.Handler.(*echo.Echo)
	if !ok {
		w.t.Fatalf("handler is %T, want *echo.Echo", w.srv.Config.Handler)
	}
	var keys []string
	seen := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound || seen[routeKey(r)] {
			continue
		}
		seen[routeKey(r)] = true
		keys = append(keys, routeKey(r))
	}
	sort.Strings(keys)
	return keys
}

// isAPI tells the routes called with a bearer token from the pages called by a browser.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// fill substitutes the route's parameters for target tg.
func fill(pattern string, tg target, w *world) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		switch {
		case p == "*":
			parts[i] = "app.css"
		case p == ":id" && i > 0 && parts[i-1] == "users":
			parts[i] = id(tg.drafter.ID)
		case p == ":id" && i > 0 && parts[i-1] == "agencies":
			parts[i] = id(tg.agency.ID)
		case p == ":id":
			parts[i] = id(tg.report)
		case p == ":n":
			parts[i] = "1"
		case p == ":date":
			parts[i] = "2029-01-01"
		case p == ":code":
			parts[i] = tg.agency.Code
		case p == ":year":
			parts[i] = "2020"
		case strings.HasPrefix(p, ":"):
			w.t.Fatalf("route %s: no value for parameter %s; teach fill about it", pattern, p)
		}
	}
	return strings.Join(parts, "/")
}

// hit performs one cell of the matrix and returns the status.
func (w *world) hit(key string, caller workflow.Role, sc scope) response {
	w.t.Helper()
	method, pattern, _ := strings.Cut(key, " ")
	tg := w.targets[sc]
	pr := probes[key]
	path := fill(pattern, tg, w)
	if pr.query != "" {
		path += "?" + strings.ReplaceAll(pr.query, "{agency}", id(tg.agency.ID))
	}
	var s *session
	if caller != anonymous {
		cur := w.sessions[caller]
		if pr.ends {
			cur = w.newSession(cur.user)
		}
		s = &cur
	}
	if !isAPI(pattern) {
		var form url.Values
		if pr.form != nil {
			form = pr.form(tg)
		}
		return w.pageCall(method, path, s, form, false)
	}
	var body any
	if pr.json != nil {
		body = pr.json(w, tg)
	} else if method != http.MethodGet && method != http.MethodDelete {
		body = map[string]any{}
	}
	token := ""
	if s != nil {
		token = s.token
	}
	return w.call(method, path, token, body)
}

// printMatrix writes the observed statuses as Go source for the table (QIANFA_MATRIX_PRINT=1),
// to be reviewed cell by cell before it replaces the expectations.
func printMatrix(observed map[string]row, keys []string) {
	if os.Getenv("QIANFA_MATRIX_PRINT") == "" {
		return
	}
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\t%q: {", k)
		for i, c := range callers {
			if i > 0 {
				b.WriteString(", ")
			}
			cs := observed[k][c]
			if cs[0] == cs[1] && cs[1] == cs[2] {
				fmt.Fprintf(&b, "%s: all(%d)", short(c), cs[0])
			} else {
				fmt.Fprintf(&b, "%s: of(%d, %d, %d)", short(c), cs[0], cs[1], cs[2])
			}
		}
		b.WriteString("},\n")
	}
	fmt.Print(b.String())
}

func short(r workflow.Role) string {
	return map[workflow.Role]string{an: "an", dr: "dr", rv: "rv", ld: "ld", pb: "pb", sv: "sv", ad: "ad", au: "au"}[r]
}
