package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"

	"qianfa/audit"
	"qianfa/models"
	"qianfa/password"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func seed(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../demo/haiyan-minzheng-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The exit codes of validate are part of the contract: 0 clean or warnings only,
// 1 errors, 2 unreadable or not a report.
func TestValidate(t *testing.T) {
	s := seed(t)
	wrongTotal := strings.Replace(s, `"total": 0
    },
    "r2_carried_over_in"`, `"total": 5
    },
    "r2_carried_over_in"`, 1)
	if wrongTotal == s {
		t.Fatal("could not mutate t3.r1_new_received.total")
	}
	edition2021 := strings.NewReplacer(`"edition": "2019"`, `"edition": "2021"`, `"year": 2020`, `"year": 2021`).Replace(s)
	stringCount := strings.Replace(s, `"new_made": 4`, `"new_made": "4"`, 1)
	cases := []struct {
		name     string
		body     string
		code     int
		contains []string
	}{
		{"seed: one warning", s, 0, []string{"警告\tT2-2019-H1", "t2.art20_5.administrative_licensing.decisions", "0 个错误，1 个警告"}},
		{"wrong total", wrongTotal, 1, []string{"错误\tT3-R1", "错误\tT3-R3", "t3.r1_new_received.total", "2 个错误"}},
		{"2021 document with art20_9", edition2021, 2, []string{"t2.art20_9", "t3.r3_6_other"}},
		{"string in a count", stringCount, 2, []string{"t2.art20_1.normative_documents.new_made"}},
		{"not JSON", "这不是报告", 2, []string{"不是有效的报告文件"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "validate", writeFile(t, "r.json", c.body))
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			for _, want := range c.contains {
				if !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", want, out, errOut)
				}
			}
		})
	}
	if code, _, _ := runCLI(t, "", "validate", filepath.Join(t.TempDir(), "missing.json")); code != 2 {
		t.Fatalf("missing file: exit %d, want 2", code)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "未知命令") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// sqliteEnv points the CLI at a fresh data directory.
func sqliteEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QIANFA_DATABASE_DRIVER", "sqlite")
	t.Setenv("QIANFA_DATABASE_DSN", filepath.Join(dir, "qianfa.db"))
	t.Setenv("QIANFA_AUDIT_KEY_FILE", filepath.Join(dir, "audit.key"))
	t.Setenv("QIANFA_SERVER_ADDR", "127.0.0.1:0")
}

// serve --demo on an empty database: the demo users log in with demo12345, the seed
// report is a draft, and SIGTERM (context cancel) stops the server gracefully.
func TestServeDemoAndGracefulShutdown(t *testing.T) {
	sqliteEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		code := run(ctx, []string{"serve", "--demo", "--config", "../../config.yaml"}, nil, pw, &errb)
		_ = pw.Close() // a server that stops early ends the scan below instead of hanging it
		done <- code
	}()
	base := ""
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "qianfa listening on "); ok {
			base = after
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if base == "" {
		t.Fatalf("server did not start (exit %d): %s", <-done, errb.String())
	}
	for _, u := range []string{"drafter", "reviewer", "leader", "publisher", "supervisor", "admin", "auditor"} {
		res, err := http.Post(base+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"username":"`+u+`","password":"demo12345"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `"roles":["`+u+`"]`) {
			t.Fatalf("login %s: %d %s", u, res.StatusCode, body)
		}
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(base + p)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, res)
		}
		res.Body.Close()
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
}

// user add reads the password from stdin; audit verify then reports the log intact,
// and exit 1 once an event has been altered.
func TestUserAddAndAuditVerify(t *testing.T) {
	sqliteEnv(t)
	if code, out, errOut := runCLI(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	code, _, errOut := runCLI(t, "s3cret-pass\n", "user", "add", "--username", "li", "--agency", "nope", "--role", "drafter")
	if code != 1 || !strings.Contains(errOut, "nope") {
		t.Fatalf("unknown agency: exit %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "user", "add", "--username", "li", "--agency", "x", "--role", "drafter")
	if code != 2 || !strings.Contains(errOut, "密码") {
		t.Fatalf("no password: exit %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "完好") {
		t.Fatalf("verify on empty log: %d %s", code, out)
	}

	dsn := os.Getenv("QIANFA_DATABASE_DSN")
	key, err := audit.LoadOrCreateKey(os.Getenv("QIANFA_AUDIT_KEY_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := models.Open(context.Background(), models.DriverSQLite, dsn, models.WithAuditKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateAgency(context.Background(), models.AuditActor{Username: "system"},
		&models.Agency{Code: "330424-mzj", Name: "海盐县民政局"}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "s3cret-pass\n", "user", "add", "--username", "li", "--agency", "330424-mzj",
		"--role", "drafter", "--role", "reviewer", "--name", "李经办")
	if code != 0 || !strings.Contains(out, "已创建用户 li") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	u, err := store.UserByUsername(context.Background(), "li")
	if err != nil || u.Name != "李经办" || len(u.Roles) != 2 || !password.Verify("s3cret-pass", u.PasswordHash) {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "共 2 条事件") {
		t.Fatalf("verify: %d %s", code, out)
	}
	_ = store.Close()
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_events SET actor_username = 'mallory' WHERE action = 'user_create'`); err != nil {
		t.Fatal(err)
	}
	_ = raw.Close()
	code, out, _ = runCLI(t, "", "audit", "verify")
	if code != 1 || !strings.Contains(out, "seq=2") {
		t.Fatalf("verify after tampering: exit %d %s", code, out)
	}
	// A tampered log is never re-signed under a new key.
	if code, _, errOut := runCLI(t, "", "audit", "rekey"); code != 1 || !strings.Contains(errOut, "不能更换密钥") {
		t.Fatalf("rekey of a tampered log: exit %d %s", code, errOut)
	}
}

// audit rekey rotates the key: the log verifies under the new key, and the retired key,
// kept beside it, no longer verifies it.
func TestAuditRekey(t *testing.T) {
	sqliteEnv(t)
	if code, out, errOut := runCLI(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	keyFile := os.Getenv("QIANFA_AUDIT_KEY_FILE")
	key, err := audit.LoadOrCreateKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	store, err := models.Open(context.Background(), models.DriverSQLite, os.Getenv("QIANFA_DATABASE_DSN"), models.WithAuditKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateAgency(context.Background(), models.AuditActor{Username: "system"},
		&models.Agency{Code: "330424-mzj", Name: "海盐县民政局"}); err != nil {
		t.Fatal(err)
	}
	_ = store.Close()
	code, out, errOut := runCLI(t, "", "audit", "rekey")
	if code != 0 || !strings.Contains(out, "1 条事件已用新密钥重新签名") {
		t.Fatalf("rekey: %d %s %s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "", "audit", "verify"); code != 0 {
		t.Fatalf("verify under the new key: %d %s", code, out)
	}
	retired, _ := filepath.Glob(keyFile + ".retired-*")
	if len(retired) != 1 {
		t.Fatalf("retired keys %v", retired)
	}
	t.Setenv("QIANFA_AUDIT_KEY_FILE", retired[0])
	if code, _, _ := runCLI(t, "", "audit", "verify"); code != 1 {
		t.Fatalf("the retired key still verifies the log (exit %d)", code)
	}
}
