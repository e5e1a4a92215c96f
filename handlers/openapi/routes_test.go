package openapi

import "testing"

func TestHasRoute(t *testing.T) {
	tests := []struct {
		method, echoPath string
		want             bool
	}{
		{"GET", "/api/v1/reports/:id", true},
		{"get", "/api/v1/reports/:report_id", true},
		{"PUT", "/api/v1/reports/:id/content", true},
		{"POST", "/api/v1/reports/import", true},
		{"GET", "/api/v1/reports/:id/revisions/:n", true},
		{"PATCH", "/api/v1/users/:id", true},
		{"GET", "/public/reports/:agency_code/:year", true},
		{"GET", "/public/reports/:agency_code/:year.json", true},
		{"GET", "/healthz", true},
		{"DELETE", "/api/v1/reports/:id", false},
		{"GET", "/api/v1/reports/:id/comments", false},
		{"GET", "/api/v1/report/:id", false},
		{"GET", "/public/reports/:agency_code/:year.pdf", false},
	}
	for _, tt := range tests {
		if got := HasRoute(tt.method, tt.echoPath); got != tt.want {
			t.Errorf("HasRoute(%q, %q) = %v, want %v", tt.method, tt.echoPath, got, tt.want)
		}
	}
}

func TestPathSyntaxConversion(t *testing.T) {
	tests := []struct{ echo, openapi string }{
		{"/api/v1/reports/:id", "/api/v1/reports/{id}"},
		{"/api/v1/reports/:id/revisions/:n", "/api/v1/reports/{id}/revisions/{n}"},
		{"/public/reports/:agency_code/:year.json", "/public/reports/{agency_code}/{year}.json"},
		{"/healthz", "/healthz"},
	}
	for _, tt := range tests {
		if got := EchoToOpenAPI(tt.echo); got != tt.openapi {
			t.Errorf("EchoToOpenAPI(%q) = %q, want %q", tt.echo, got, tt.openapi)
		}
		if got := OpenAPIToEcho(tt.openapi); got != tt.echo {
			t.Errorf("OpenAPIToEcho(%q) = %q, want %q", tt.openapi, got, tt.echo)
		}
	}
}

func TestFindRoutePrefersLiterals(t *testing.T) {
	tests := []struct {
		path, want string
		params     map[string]string
	}{
		{"/api/v1/reports/import", "/api/v1/reports/import", map[string]string{}},
		{"/api/v1/reports/7", "/api/v1/reports/{id}", map[string]string{"id": "7"}},
		{"/api/v1/reports/7/revisions/2", "/api/v1/reports/{id}/revisions/{n}", map[string]string{"id": "7", "n": "2"}},
		{"/public/reports/330424-mzj/2020.json", "/public/reports/{agency_code}/{year}.json", map[string]string{"agency_code": "330424-mzj", "year": "2020"}},
		{"/public/reports/330424-mzj/2020", "/public/reports/{agency_code}/{year}", map[string]string{"agency_code": "330424-mzj", "year": "2020"}},
	}
	ts := templates(mustLoad())
	for _, tt := range tests {
		got, params, ok := findRoute(ts, tt.path)
		if !ok {
			t.Errorf("findRoute(%q) found nothing", tt.path)
			continue
		}
		if got.path != tt.want {
			t.Errorf("findRoute(%q) = %q, want %q", tt.path, got.path, tt.want)
		}
		if len(params) != len(tt.params) {
			t.Errorf("findRoute(%q) params = %v, want %v", tt.path, params, tt.params)
		}
		for k, v := range tt.params {
			if params[k] != v {
				t.Errorf("findRoute(%q) params[%s] = %q, want %q", tt.path, k, params[k], v)
			}
		}
	}
	if _, _, ok := findRoute(ts, "/api/v2/reports"); ok {
		t.Error("findRoute(/api/v2/reports) matched an undocumented path")
	}
}
