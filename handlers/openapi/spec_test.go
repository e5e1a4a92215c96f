package openapi

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestLoadValidates(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	onDisk, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Spec(), onDisk) {
		t.Error("Spec() differs from openapi.json")
	}
}

func TestSpecIsACopy(t *testing.T) {
	a := Spec()
	a[0] = 'x'
	if Spec()[0] != '{' {
		t.Error("changing the result of Spec changed the embedded document")
	}
}

// contractOperations is every operation of contract/api.md plus the
// operational paths, the reminder extensions (notifications, outbox,
// preview, calendar overrides) and the supervision extensions (dashboard,
// roll-up), written out so that removing one from the
// document fails.
var contractOperations = []string{
	"DELETE /api/v1/calendar/overrides/{date}",
	"GET /api/openapi.json",
	"GET /api/v1/agencies",
	"GET /api/v1/audit",
	"GET /api/v1/audit/verify",
	"GET /api/v1/calendar/overrides",
	"GET /api/v1/dashboard",
	"GET /api/v1/me",
	"GET /api/v1/notifications",
	"GET /api/v1/outbox",
	"GET /api/v1/reminders/preview",
	"GET /api/v1/reports",
	"GET /api/v1/reports/{id}",
	"GET /api/v1/reports/{id}/audit",
	"GET /api/v1/reports/{id}/diff",
	"GET /api/v1/reports/{id}/export",
	"GET /api/v1/reports/{id}/revisions",
	"GET /api/v1/reports/{id}/revisions/{n}",
	"GET /api/v1/rollup",
	"GET /api/v1/users",
	"GET /healthz",
	"GET /metrics",
	"GET /public/reports",
	"GET /public/reports/{agency_code}/{year}",
	"GET /public/reports/{agency_code}/{year}.json",
	"GET /readyz",
	"PATCH /api/v1/users/{id}",
	"POST /api/v1/agencies",
	"POST /api/v1/auth/login",
	"POST /api/v1/auth/logout",
	"POST /api/v1/notifications/read",
	"POST /api/v1/reports",
	"POST /api/v1/reports/import",
	"POST /api/v1/reports/{id}/transitions",
	"POST /api/v1/rollup/report",
	"POST /api/v1/users",
	"POST /api/v1/validate",
	"PUT /api/v1/calendar/overrides/{date}",
	"PUT /api/v1/reports/{id}/content",
}

func TestOperationsAreTheContract(t *testing.T) {
	got := Operations()
	if !slices.Equal(got, contractOperations) {
		t.Errorf("Operations() =\n%q\nwant\n%q", got, contractOperations)
	}
}

func TestPaths(t *testing.T) {
	var want []string
	for _, op := range contractOperations {
		_, path, _ := strings.Cut(op, " ")
		want = append(want, path)
	}
	slices.Sort(want)
	want = slices.Compact(want)
	if got := Paths(); !slices.Equal(got, want) {
		t.Errorf("Paths() =\n%q\nwant\n%q", got, want)
	}
}

func TestEveryOperationHasAnID(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
			if op.Summary == "" {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}
}

// TestProtectedOperationsAnswer401 checks that every operation that needs a
// login documents the 401 answer, every public one opts out of security, and
// every API operation documents 503 (database unreachable).
func TestProtectedOperationsAnswer401(t *testing.T) {
	public := map[string]bool{
		"GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
		"GET /api/openapi.json": true, "GET /public/reports": true,
		"GET /public/reports/{agency_code}/{year}":      true,
		"GET /public/reports/{agency_code}/{year}.json": true,
		"POST /api/v1/auth/login":                       true,
	}
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			isPublic := op.Security != nil && len(*op.Security) == 0
			if isPublic != public[name] {
				t.Errorf("%s: public = %v, want %v", name, isPublic, public[name])
			}
			if !public[name] && op.Responses.Status(401) == nil {
				t.Errorf("%s: no 401 response", name)
			}
			if strings.HasPrefix(path, "/api/v1/") && op.Responses.Status(503) == nil {
				t.Errorf("%s: no 503 response", name)
			}
		}
	}
}

func TestErrorCodesPerStatus(t *testing.T) {
	tests := []struct {
		schema string
		codes  []string
	}{
		{"ErrorBadRequest", []string{"bad_request"}},
		{"ErrorUnauthenticated", []string{"unauthenticated", "invalid_credentials"}},
		{"ErrorForbidden", []string{"forbidden", "reauth_failed"}},
		{"ErrorNotFound", []string{"not_found"}},
		{"ErrorConflict", []string{"stale_version", "invalid_transition", "duplicate"}},
		{"ErrorTooLarge", []string{"too_large"}},
		{"ErrorUnsupportedMediaType", []string{"unsupported_media_type"}},
		{"ErrorValidationFailed", []string{"validation_failed"}},
		{"ErrorRateLimited", []string{"rate_limited"}},
		{"ErrorUnavailable", []string{"unavailable"}},
	}
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		s := doc.Components.Schemas[tt.schema]
		if s == nil {
			t.Errorf("schema %s missing", tt.schema)
			continue
		}
		code := s.Value.Properties["error"].Value.AllOf[1].Value.Properties["code"].Value
		var got []string
		for _, e := range code.Enum {
			got = append(got, e.(string))
		}
		if !slices.Equal(got, tt.codes) {
			t.Errorf("%s codes = %q, want %q", tt.schema, got, tt.codes)
		}
	}
}

func TestSecuritySchemes(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bearer := doc.Components.SecuritySchemes["bearerAuth"].Value
	if bearer.Type != "http" || bearer.Scheme != "bearer" {
		t.Errorf("bearerAuth = %s/%s, want http/bearer", bearer.Type, bearer.Scheme)
	}
	cookie := doc.Components.SecuritySchemes["cookieAuth"].Value
	if cookie.Type != "apiKey" || cookie.In != "cookie" || cookie.Name != "qianfa_session" {
		t.Errorf("cookieAuth = %s/%s/%s, want apiKey/cookie/qianfa_session", cookie.Type, cookie.In, cookie.Name)
	}
}
