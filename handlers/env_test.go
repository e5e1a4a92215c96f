package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"qianfa/handlers/openapi"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/password"
	"qianfa/workflow"
)

// testPassword is the password of every user the tests create.
const testPassword = "password-123"

// env is a real server on a real listener over a real database, with a client that checks
// every answer against the OpenAPI document.
type env struct {
	t      *testing.T
	store  *models.Store
	srv    *httptest.Server
	server *Server
	spec   *openapi.Validator
	now    time.Time
}

func newEnv(t *testing.T, store *models.Store, tune ...func(*Options)) *env {
	t.Helper()
	opt := Options{
		BaseURL: "http://qianfa.test", BodyLimit: 1 << 20, SessionTTL: time.Hour,
		LoginFailureLimit: 5, LoginFailureWindow: 15 * time.Minute, RequireReauth: true,
		AuditKey: modelstest.AuditKey,
	}
	for _, f := range tune {
		f(&opt)
	}
	e := &env{t: t, store: store, now: time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC)}
	handler, server := New(store, opt, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return e.now })
	e.server = server
	e.srv = httptest.NewServer(handler)
	t.Cleanup(e.srv.Close)
	v, err := openapi.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	e.spec = v
	return e
}

var testHash string

// user creates an active user whose password is testPassword.
func (e *env) user(agencyID int64, username string, roles ...workflow.Role) *models.User {
	e.t.Helper()
	if testHash == "" {
		h, err := password.Hash(testPassword)
		if err != nil {
			e.t.Fatal(err)
		}
		testHash = h
	}
	u := &models.User{Username: username, Name: "测试" + username, Email: username + "@example.gov.cn",
		AgencyID: agencyID, Roles: roles, PasswordHash: testHash, Active: true}
	if err := e.store.CreateUser(context.Background(), modelstest.System, u); err != nil {
		e.t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// code is the error code of an error answer.
func (r response) code() string {
	var b struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &b)
	return b.Error.Code
}

// call sends a request; body is JSON-encoded unless it is already []byte or a string.
func (e *env) call(method, path, token string, body any, header ...string) response {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: out}
	e.checkSpec(req, raw, r)
	return r
}

// checkSpec validates the exchange against the OpenAPI document: a documented request
// must get a documented answer; a deliberately malformed request is checked on the answer.
func (e *env) checkSpec(req *http.Request, raw []byte, r response) {
	e.t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") || req.URL.Path == undocumentedPath {
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(raw))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	check := e.spec.Check
	if r.status == http.StatusBadRequest || r.status == http.StatusUnsupportedMediaType ||
		r.status == http.StatusRequestEntityTooLarge || r.status == http.StatusUnprocessableEntity {
		check = e.spec.CheckResponse
	}
	if err := check(req, r.status, r.header, r.body); err != nil {
		e.t.Errorf("OpenAPI: %v\nbody: %.400s", err, r.body)
	}
}

// undocumentedPath is a path no route serves, for the 404 test.
const undocumentedPath = "/api/v1/nothing-here"

// login returns a bearer token for username.
func (e *env) login(username string) string {
	e.t.Helper()
	r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": testPassword})
	if r.status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var out struct{ Token string }
	r.decode(e.t, &out)
	return out.Token
}

func mustStatus(t *testing.T, r response, want int, code string) {
	t.Helper()
	if r.status != want || (code != "" && r.code() != code) {
		t.Fatalf("got %d %s, want %d %s\n%.600s", r.status, r.code(), want, code, r.body)
	}
}

func seedJSON(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../demo/haiyan-minzheng-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
