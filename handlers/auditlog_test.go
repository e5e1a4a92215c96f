package handlers

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// The audit log is filtered by report, actor and action, scoped to what the caller may
// see, and exported as CSV with formula-looking text neutralised.
func TestAuditListingAndCSV(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	office := modelstest.MustAgency(t, store, "office", 0)
	a1 := modelstest.MustAgency(t, store, "a1", office.ID)
	a2 := modelstest.MustAgency(t, store, "a2", 0)
	e.user(a1.ID, "d1", workflow.RoleDrafter)
	e.user(a2.ID, "d2", workflow.RoleDrafter)
	e.user(a1.ID, "aud", workflow.RoleAuditor)
	e.user(office.ID, "sup", workflow.RoleSupervisor)
	d1, d2 := e.login("d1"), e.login("d2")
	var r1, r2 reportBody
	e.call("POST", "/api/v1/reports/import", d1, seedJSON(t)).decode(t, &r1)
	e.call("POST", "/api/v1/reports/import", d2, seedJSON(t)).decode(t, &r2)
	p1 := "/api/v1/reports/" + strconv.FormatInt(r1.ID, 10)
	mustStatus(t, e.call("POST", p1+"/transitions", d1, map[string]any{"action": "submit", "version": 1}), 200, "")
	mustStatus(t, e.call("POST", p1+"/transitions", e.login("aud"), map[string]any{"action": "withdraw", "version": 2}), 403, "forbidden")

	type list struct {
		Items []struct {
			Action   string
			ReportID *int64 `json:"report_id"`
			Actor    struct{ Username string }
		}
	}
	aud := e.login("aud")
	var l list
	e.call("GET", "/api/v1/audit?action=create", aud, nil).decode(t, &l)
	if len(l.Items) != 1 || *l.Items[0].ReportID != r1.ID {
		t.Fatalf("auditor of a1 sees creates %+v, want only report %d", l.Items, r1.ID)
	}
	e.call("GET", "/api/v1/audit?actor=d1&action=submit", aud, nil).decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].Actor.Username != "d1" {
		t.Fatalf("filter by actor and action: %+v", l.Items)
	}
	mustStatus(t, e.call("GET", "/api/v1/audit?report_id="+strconv.FormatInt(r2.ID, 10), aud, nil), http.StatusNotFound, "not_found")
	e.call("GET", "/api/v1/audit?action=create", e.login("sup"), nil).decode(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("supervisor of office sees %d creates, want 1 (a1 only)", len(l.Items))
	}
	mustStatus(t, e.call("GET", "/api/v1/audit?from=yesterday", aud, nil), http.StatusBadRequest, "bad_request")

	// A comment that looks like a formula is exported as text.
	mustStatus(t, e.call("POST", p1+"/transitions", d1, map[string]any{"action": "withdraw", "version": 2}), 200, "")
	e.user(a1.ID, "rv", workflow.RoleReviewer)
	mustStatus(t, e.call("POST", p1+"/transitions", d1, map[string]any{"action": "submit", "version": 3}), 200, "")
	mustStatus(t, e.call("POST", p1+"/transitions", e.login("rv"), map[string]any{"action": "return", "version": 4,
		"comment": `=HYPERLINK("http://evil.example","点我")`}), 200, "")
	r := e.call("GET", "/api/v1/audit?report_id="+strconv.FormatInt(r1.ID, 10), aud, nil, "Accept", "text/csv")
	mustStatus(t, r, http.StatusOK, "")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.body), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][4] != "action" || len(rows) != 6 {
		t.Fatalf("csv rows = %q", rows)
	}
	last := rows[len(rows)-1]
	if last[4] != "return" || last[8] != `'=HYPERLINK("http://evil.example","点我")` {
		t.Fatalf("return row = %q", last)
	}
}
