package openapi

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func seedDocument(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("testdata/haiyan-minzheng-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// sampleReport is a Report as GET /api/v1/reports/{id} answers it.
func sampleReport(t *testing.T) map[string]any {
	return map[string]any{
		"id":                7,
		"agency":            map[string]any{"id": 3, "code": "330424-mzj", "name": "海盐县民政局"},
		"year":              2020,
		"edition":           "2019",
		"kind":              "agency",
		"state":             "in_approval",
		"version":           4,
		"deadline":          "2021-01-31",
		"working_days_left": 12,
		"approval_step":     map[string]any{"index": 0, "name": "分管领导审核", "of": 2},
		"content":           seedDocument(t),
		"findings": []any{map[string]any{
			"rule": "T3-A33", "severity": "warning", "cells": []string{"t3.r3_3_3_three_safeties_one_stability.total"},
			"message": "“三安全一稳定”不予公开较多", "expected": 0, "actual": 3,
		}},
		"created_at":   "2021-01-04T09:00:00+08:00",
		"updated_at":   "2021-01-10T10:30:00+08:00",
		"published_at": nil,
	}
}

// with returns a copy of m with key set to value (or removed when value is
// the string "<delete>").
func with(m map[string]any, key string, value any) map[string]any {
	c := maps.Clone(m)
	if value == "<delete>" {
		delete(c, key)
		return c
	}
	c[key] = value
	return c
}

func errorBody(code string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": "报告已被他人修改，请刷新后重试", "details": []any{}}}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type exchange struct {
	name        string
	method      string
	target      string
	reqBody     any
	status      int
	contentType string
	body        any // marshalled to JSON unless a string
	wantErr     string
}

func (x exchange) request(t *testing.T) *http.Request {
	t.Helper()
	var body *bytes.Reader
	if x.reqBody != nil {
		body = bytes.NewReader(mustJSON(t, x.reqBody))
	} else {
		body = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(x.method, "http://localhost"+x.target, body)
	if err != nil {
		t.Fatal(err)
	}
	if x.reqBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer token")
	return req
}

func (x exchange) response(t *testing.T) (http.Header, []byte) {
	h := http.Header{}
	if x.contentType != "" {
		h.Set("Content-Type", x.contentType)
	}
	switch b := x.body.(type) {
	case nil:
		return h, nil
	case string:
		return h, []byte(b)
	default:
		return h, mustJSON(t, b)
	}
}

func runExchanges(t *testing.T, tests []exchange, check func(*Validator, *http.Request, int, http.Header, []byte) error) {
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tests {
		t.Run(x.name, func(t *testing.T) {
			h, body := x.response(t)
			err := check(v, x.request(t), x.status, h, body)
			switch {
			case x.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case x.wantErr != "" && err == nil:
				t.Errorf("no error, want one containing %q", x.wantErr)
			case x.wantErr != "" && !strings.Contains(err.Error(), x.wantErr):
				t.Errorf("error %q does not contain %q", err, x.wantErr)
			}
		})
	}
}

const jsonType = "application/json"

func TestCheckReports(t *testing.T) {
	report := sampleReport(t)
	summary := with(with(with(report, "content", "<delete>"), "findings", "<delete>"), "error_count", 0)
	summary["warning_count"] = 1
	runExchanges(t, []exchange{
		{name: "valid report", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType, body: report},
		{name: "charset parameter", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: "application/json; charset=UTF-8", body: report},
		{name: "draft without approval step", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(with(report, "approval_step", nil), "state", "draft")},
		{name: "published", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(with(report, "state", "published"), "published_at", "2021-01-20T08:00:00Z")},
		{name: "unknown state", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "state", "unknown"), wantErr: `Error at "/state"`},
		{name: "missing version", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "version", "<delete>"), wantErr: "version"},
		{name: "deadline not a date", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "deadline", "31/01/2021"), wantErr: `Error at "/deadline"`},
		{name: "created_at without offset", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "created_at", "2021-01-04 09:00:00"), wantErr: `Error at "/created_at"`},
		{name: "string in a cell", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "content", with(seedDocument(t), "t4", map[string]any{"review": map[string]any{"total": "三"}})), wantErr: `Error at "/content/t4/review/total"`},
		{name: "unknown key in document", method: "GET", target: "/api/v1/reports/7", status: 200, contentType: jsonType,
			body: with(report, "content", with(seedDocument(t), "t5", map[string]any{})), wantErr: `property "t5" is unsupported`},
		{name: "list", method: "GET", target: "/api/v1/reports?year=2020&state=draft", status: 200, contentType: jsonType,
			body: map[string]any{"items": []any{summary}}},
		{name: "list without counts", method: "GET", target: "/api/v1/reports", status: 200, contentType: jsonType,
			body: map[string]any{"items": []any{with(summary, "error_count", "<delete>")}}, wantErr: "error_count"},
		{name: "bad state filter", method: "GET", target: "/api/v1/reports?state=lost", status: 200, contentType: jsonType,
			body: map[string]any{"items": []any{}}, wantErr: "state"},
		{name: "save content", method: "PUT", target: "/api/v1/reports/7/content",
			reqBody: map[string]any{"version": 4, "content": seedDocument(t)}, status: 200, contentType: jsonType, body: report},
		{name: "save without version", method: "PUT", target: "/api/v1/reports/7/content",
			reqBody: map[string]any{"content": seedDocument(t)}, status: 400, contentType: jsonType, body: errorBody("bad_request"), wantErr: "version"},
		{name: "transition", method: "POST", target: "/api/v1/reports/7/transitions",
			reqBody: map[string]any{"action": "approve", "version": 4, "password": "demo12345"}, status: 200, contentType: jsonType, body: report},
		{name: "unknown action", method: "POST", target: "/api/v1/reports/7/transitions",
			reqBody: map[string]any{"action": "sign", "version": 4}, status: 400, contentType: jsonType, body: errorBody("bad_request"), wantErr: "action"},
		{name: "import is not a report id", method: "POST", target: "/api/v1/reports/import",
			reqBody: seedDocument(t), status: 201, contentType: jsonType, body: report},
		{name: "validate", method: "POST", target: "/api/v1/validate", reqBody: seedDocument(t), status: 200, contentType: jsonType,
			body: map[string]any{"findings": report["findings"]}},
		{name: "diff", method: "GET", target: "/api/v1/reports/7/diff?from=1&to=2", status: 200, contentType: jsonType,
			body: map[string]any{"changes": []any{
				map[string]any{"path": "t3.r1_new_received.total", "from": 4, "to": 5},
				map[string]any{"path": "sections.problems", "from": nil, "to": "无"},
			}}},
		{name: "revision content", method: "GET", target: "/api/v1/reports/7/revisions/1", status: 200, contentType: jsonType, body: seedDocument(t)},
		{name: "revisions", method: "GET", target: "/api/v1/reports/7/revisions", status: 200, contentType: jsonType,
			body: map[string]any{"items": []any{map[string]any{"number": 1, "state": "in_review", "created_at": "2021-01-05T09:00:00+08:00",
				"author": map[string]any{"id": 1, "username": "drafter"}}}}},
	}, (*Validator).Check)
}

func TestCheckErrorsAndMediaTypes(t *testing.T) {
	finding := sampleReport(t)["findings"].([]any)[0]
	runExchanges(t, []exchange{
		{name: "stale version", method: "GET", target: "/api/v1/reports/7", status: 409, contentType: jsonType, body: errorBody("stale_version"),
			wantErr: "状态码未在"},
		{name: "stale version on save", method: "PUT", target: "/api/v1/reports/7/content", reqBody: map[string]any{"version": 3, "content": seedDocument(t)},
			status: 409, contentType: jsonType, body: errorBody("stale_version")},
		{name: "wrong code for status", method: "PUT", target: "/api/v1/reports/7/content", reqBody: map[string]any{"version": 3, "content": seedDocument(t)},
			status: 409, contentType: jsonType, body: errorBody("not_found"), wantErr: `Error at "/code": value is not one of the allowed values`},
		{name: "error without details", method: "GET", target: "/api/v1/reports/8", status: 404, contentType: jsonType,
			body: map[string]any{"error": map[string]any{"code": "not_found", "message": "报告不存在"}}, wantErr: "details"},
		{name: "not found", method: "GET", target: "/api/v1/reports/8", status: 404, contentType: jsonType, body: errorBody("not_found")},
		{name: "findings in details", method: "POST", target: "/api/v1/reports/7/transitions", reqBody: map[string]any{"action": "submit", "version": 4},
			status: 422, contentType: jsonType, body: map[string]any{"error": map[string]any{"code": "validation_failed", "message": "报告有错误", "details": []any{finding}}}},
		{name: "problems in details", method: "POST", target: "/api/v1/validate", reqBody: seedDocument(t),
			status: 422, contentType: jsonType, body: map[string]any{"error": map[string]any{"code": "validation_failed", "message": "文档不符合格式",
				"details": []any{map[string]any{"path": "t3.r3_6_other", "message": "2021 版没有该行"}}}}},
		{name: "reauth failed", method: "POST", target: "/api/v1/reports/7/transitions", reqBody: map[string]any{"action": "approve", "version": 4, "password": "x"},
			status: 403, contentType: jsonType, body: errorBody("reauth_failed")},
		{name: "rate limited", method: "POST", target: "/api/v1/auth/login", reqBody: map[string]any{"username": "drafter", "password": "x"},
			status: 429, contentType: jsonType, body: errorBody("rate_limited")},
		{name: "login", method: "POST", target: "/api/v1/auth/login", reqBody: map[string]any{"username": "drafter", "password": "demo12345"},
			status: 200, contentType: jsonType, body: map[string]any{"token": "t", "expires_at": "2021-01-05T09:00:00+08:00",
				"user": map[string]any{"id": 1, "username": "drafter", "name": "经办人", "email": "d@example.cn", "agency_id": 2, "roles": []string{"drafter"}}}},
		{name: "unknown role", method: "GET", target: "/api/v1/me", status: 200, contentType: jsonType,
			body: map[string]any{"id": 1, "username": "x", "name": "x", "email": "", "agency_id": 2, "roles": []string{"boss"}}, wantErr: `Error at "/roles/0"`},
		{name: "logout", method: "POST", target: "/api/v1/auth/logout", status: 204},
		{name: "logout with body", method: "POST", target: "/api/v1/auth/logout", status: 204, contentType: jsonType, body: map[string]any{}, wantErr: "无响应体"},
		{name: "xlsx export", method: "GET", target: "/api/v1/reports/7/export?format=xlsx", status: 200,
			contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: "PK\x03\x04"},
		{name: "json export", method: "GET", target: "/api/v1/reports/7/export?format=json", status: 200, contentType: jsonType, body: seedDocument(t)},
		{name: "pdf export", method: "GET", target: "/api/v1/reports/7/export?format=pdf", status: 200, contentType: "application/pdf", body: "%PDF",
			wantErr: "format"},
		{name: "audit csv", method: "GET", target: "/api/v1/audit?actor=drafter", status: 200, contentType: "text/csv; charset=utf-8", body: "seq,at\n1,x\n"},
		{name: "audit", method: "GET", target: "/api/v1/audit?report_id=7", status: 200, contentType: jsonType, body: map[string]any{"items": []any{
			map[string]any{"seq": 1, "at": "2021-01-05T09:00:00+08:00", "actor": map[string]any{"id": 1, "username": "drafter"}, "action": "submit",
				"report_id": 7, "from_state": "draft", "to_state": "in_review", "comment": nil, "revision": 1, "prev_hash": "", "hash": "ab12"},
		}}},
		{name: "verify", method: "GET", target: "/api/v1/audit/verify", status: 200, contentType: jsonType,
			body: map[string]any{"ok": false, "events": 12, "first_bad_seq": 5, "reason": "哈希不符"}},
		{name: "public page", method: "GET", target: "/public/reports/330424-mzj/2020", status: 200, contentType: "text/html; charset=UTF-8", body: "<html></html>"},
		{name: "public document", method: "GET", target: "/public/reports/330424-mzj/2020.json", status: 200, contentType: jsonType, body: seedDocument(t)},
		{name: "page as json", method: "GET", target: "/public/reports", status: 200, contentType: jsonType, body: map[string]any{}, wantErr: "媒体类型"},
		{name: "undocumented path", method: "GET", target: "/api/v1/reports/7/comments", status: 200, contentType: jsonType, body: map[string]any{}, wantErr: "未在 OpenAPI 文档中声明"},
		{name: "undocumented method", method: "DELETE", target: "/api/v1/reports/7", status: 204, wantErr: "未在 OpenAPI 文档中声明"},
		{name: "agency", method: "POST", target: "/api/v1/agencies", reqBody: map[string]any{"code": "330424-jyj", "name": "海盐县教育局", "parent_code": "330424"},
			status: 201, contentType: jsonType, body: map[string]any{"id": 4, "code": "330424-jyj", "name": "海盐县教育局", "level": "county_department",
				"parent_id": 1, "approval_steps": []string{"签发"}}},
		{name: "patch user", method: "PATCH", target: "/api/v1/users/3", reqBody: map[string]any{"active": false}, status: 200, contentType: jsonType,
			body: map[string]any{"id": 3, "username": "x", "name": "x", "email": "", "agency_id": 2, "roles": []string{}, "active": false}},
	}, (*Validator).Check)
}

// TestCheckResponseIgnoresTheRequest covers answers to deliberately wrong
// requests: only the response is held against the document.
func TestCheckResponseIgnoresTheRequest(t *testing.T) {
	runExchanges(t, []exchange{
		{name: "bad action answered 400", method: "POST", target: "/api/v1/reports/7/transitions",
			reqBody: map[string]any{"action": "sign"}, status: 400, contentType: jsonType, body: errorBody("bad_request")},
		{name: "wrong code still fails", method: "POST", target: "/api/v1/reports/7/transitions",
			reqBody: map[string]any{"action": "sign"}, status: 400, contentType: jsonType, body: errorBody("invalid_transition"), wantErr: `Error at "/code": value is not one of the allowed values`},
	}, (*Validator).CheckResponse)
}

func TestCheckNonJSONRequestBody(t *testing.T) {
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", "http://localhost/api/v1/reports", strings.NewReader("year=2020"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h := http.Header{"Content-Type": {jsonType}}
	if err := v.Check(req, 415, h, mustJSON(t, errorBody("unsupported_media_type"))); err != nil {
		t.Errorf("415 for a form body: %v", err)
	}
}

// TestCheckReadsBodyWithoutGetBody makes sure a request built by
// httptest.NewRequest (no GetBody) is validated from its unread body.
func TestCheckReadsBodyWithoutGetBody(t *testing.T) {
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {jsonType}}
	tests := []struct {
		name, body string
		wantErr    bool
	}{
		{"complete", `{"username":"drafter","password":"demo12345"}`, false},
		{"no password", `{"username":"drafter"}`, true},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(tt.body))
		req.Header.Set("Content-Type", jsonType)
		err := v.Check(req, 401, h, mustJSON(t, errorBody("invalid_credentials")))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}
