package config

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func environ(kv ...string) func() []string { return func() []string { return kv } }

func writeYAML(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDefaultsWhenNothingSet(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "absent.yaml"), false, environ())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Fatalf("got %+v, want defaults", c)
	}
}

func TestLoadFileThenEnvironment(t *testing.T) {
	p := writeYAML(t, `
server:
  addr: ":9090"
database:
  driver: mysql
  dsn: "root@tcp(127.0.0.1:3306)/qianfa"
reminders:
  days_before: [5, 1]
smtp:
  host: mail.example.gov.cn
`)
	c, err := Load(p, true, environ(
		"QIANFA_SERVER_BASE_URL=https://gk.example.gov.cn",
		"QIANFA_SMTP_PORT=2525",
		"QIANFA_AUTH_SESSION_TTL=2h",
		"QIANFA_AUDIT_KEY_FILE=/run/secrets/audit.key",
		"OTHER_SERVER_ADDR=:1",
	))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"server.addr", c.Server.Addr, ":9090"},
		{"server.base_url", c.Server.BaseURL, "https://gk.example.gov.cn"},
		{"database.driver", c.Database.Driver, "mysql"},
		{"smtp.port", c.SMTP.Port, 2525},
		{"smtp.host", c.SMTP.Host, "mail.example.gov.cn"},
		{"auth.session_ttl", c.Auth.SessionTTL, 2 * time.Hour},
		{"audit.key_file", c.Audit.KeyFile, "/run/secrets/audit.key"},
		{"reminders.days_before", c.Reminders.DaysBefore, []int{5, 1}},
		{"reminders.idle_workdays (default kept)", c.Reminders.IdleWorkdays, 3},
	}
	for _, ck := range checks {
		if !reflect.DeepEqual(ck.got, ck.want) {
			t.Errorf("%s = %#v, want %#v", ck.name, ck.got, ck.want)
		}
	}
}

func TestLoadReportsEveryBadKey(t *testing.T) {
	p := writeYAML(t, `
database:
  driver: postgres
smtp:
  tls: maybe
serverr:
  addr: ":1"
`)
	_, err := Load(p, true, environ("QIANFA_SERVER_BASE_URL=ftp://x", "QIANFA_SERVER_ADRR=:1", "QIANFA_REMINDERS_SEND_AT=25:00",
		"QIANFA_TEST_MYSQL_DSN=root@tcp(127.0.0.1:3306)/test"))
	if err == nil {
		t.Fatal("expected an error")
	}
	cerr, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v, want *config.Error", err, err)
	}
	want := []string{"serverr", "database.driver", "smtp.tls", "server.base_url", "reminders.send_at", "server.adrr"}
	if len(cerr.Problems) != len(want) {
		t.Fatalf("problems %q, want one each for %q", cerr.Problems, want)
	}
	for _, key := range want {
		found := false
		for _, p := range cerr.Problems {
			if strings.HasPrefix(p, key) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem names %s in %q", key, cerr.Problems)
		}
	}
}

func TestLoadMissingRequiredFile(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), true, environ()); err == nil {
		t.Fatal("a named config file that does not exist must be an error")
	}
}

func TestEnvKey(t *testing.T) {
	cases := map[string]string{
		"QIANFA_SERVER_ADDR":             "server.addr",
		"QIANFA_SERVER_BASE_URL":         "server.base_url",
		"QIANFA_DATABASE_DSN":            "database.dsn",
		"QIANFA_AUDIT_KEY_FILE":          "audit.key_file",
		"QIANFA_REGION__INTERNAL_SUBMIT": "region.internal_submit",
		"QIANFA_TEST_MYSQL_DSN":          "",
		"QIANFA_SCREENSHOTS":             "",
		"QIANFA_SERVER":                  "",
	}
	for in, want := range cases {
		if got, _ := envKey(in, ""); got != want {
			t.Errorf("envKey(%s) = %s, want %s", in, got, want)
		}
	}
}

// The shipped config.yaml documents the defaults; it must load and say exactly what
// Default says, so the two cannot drift apart.
func TestShippedConfigMatchesDefaults(t *testing.T) {
	c, err := Load("../config.yaml", true, environ())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Fatalf("config.yaml = %+v\nDefault() = %+v", c, Default())
	}
}

func TestRuntimeSettings(t *testing.T) {
	_, err := Load("", false, environ("QIANFA_SERVER_GC_PERCENT=5", "QIANFA_SERVER_MEMORY_LIMIT_MB=8"))
	cerr, ok := err.(*Error)
	if !ok || len(cerr.Problems) != 2 || !strings.HasPrefix(cerr.Problems[0], "server.gc_percent") ||
		!strings.HasPrefix(cerr.Problems[1], "server.memory_limit_mb") {
		t.Fatalf("bad runtime settings: %v", err)
	}
	oldGC, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(oldGC); debug.SetMemoryLimit(oldLimit) })
	noEnv := func(string) string { return "" }
	Default().Server.TuneRuntime(noEnv)
	if gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64); gc != 200 || limit != 100<<20 {
		t.Errorf("defaults applied: GOGC %d, limit %d; want 200, %d", gc, limit, 100<<20)
	}
	env := map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}
	Default().Server.TuneRuntime(func(k string) string { return env[k] })
	if gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64); gc != 100 || limit != math.MaxInt64 {
		t.Errorf("with GOGC and GOMEMLIMIT set: GOGC %d, limit %d; want both left alone", gc, limit)
	}
}
