package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// /metrics counts requests by route, transitions by action and result, and findings by rule.
func TestMetrics(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	e.user(ag.ID, "u1", workflow.RoleDrafter)
	tok := e.login("u1")
	r := e.call("POST", "/api/v1/reports/import", tok, seedJSON(t))
	var rep reportBody
	r.decode(t, &rep)
	path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10) + "/transitions"
	mustStatus(t, e.call("POST", path, tok, map[string]any{"action": "submit", "version": 1}), 200, "")
	mustStatus(t, e.call("POST", path, tok, map[string]any{"action": "submit", "version": 1}), 409, "stale_version")

	r = e.call("GET", "/metrics", "", nil)
	mustStatus(t, r, http.StatusOK, "")
	for _, want := range []string{
		`qianfa_transitions_total{action="submit",result="ok"} 1`,
		`qianfa_transitions_total{action="submit",result="stale_version"} 1`,
		`qianfa_findings_total{rule="T2-2019-H1",severity="warning"} 1`,
		`qianfa_http_requests_total{method="POST",route="/api/v1/reports/:id/transitions",status="409"} 1`,
		`qianfa_http_request_duration_seconds_bucket{method="POST",route="/api/v1/auth/login"`,
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// /readyz fails while the database is unreachable; /healthz only says the process is up.
func TestReadiness(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		mustStatus(t, e.call("GET", "/readyz", "", nil), http.StatusOK, "")
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
		mustStatus(t, e.call("GET", "/readyz", "", nil), http.StatusServiceUnavailable, "unavailable")
		mustStatus(t, e.call("GET", "/healthz", "", nil), http.StatusOK, "")
	})
}

// Security headers are on every answer.
func TestSecurityHeaders(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	r := e.call("GET", "/healthz", "", nil)
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	} {
		if !strings.Contains(r.header.Get(h), want) {
			t.Errorf("%s = %q, want it to contain %q", h, r.header.Get(h), want)
		}
	}
	if r.header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}
}
