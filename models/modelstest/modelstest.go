// Package modelstest runs storage tests on both databases Qianfa supports
// and builds the rows they need. Import it only from _test.go files.
package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"qianfa/models"
	"qianfa/workflow"
)

// DefaultMySQLDSN is the server tests use when QIANFA_TEST_MYSQL_DSN is unset.
const DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/test?charset=utf8mb4&parseTime=true&loc=UTC"

// AuditKey is the audit key of every test store.
var AuditKey = []byte("qianfa-test-audit-key-0123456789")

// System is the actor the builders record in audit events.
var System = models.AuditActor{ID: 0, Username: "system"}

// ForEachDB runs fn as subtest "sqlite" on a fresh SQLite file and as
// subtest "mariadb" on a fresh database created on the server named by
// QIANFA_TEST_MYSQL_DSN; both are migrated. Without a reachable server the
// mariadb subtest fails when CI=true and is skipped otherwise.
func ForEachDB(t *testing.T, fn func(t *testing.T, s *models.Store), opts ...models.Option) {
	t.Helper()
	for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
		name := driver
		if driver == models.DriverMySQL {
			name = "mariadb"
		}
		t.Run(name, func(t *testing.T) { fn(t, NewStore(t, driver, opts...)) })
	}
}

// NewStore opens a fresh, migrated store of driver ("sqlite" or "mysql")
// that is closed (and, on MySQL, dropped) when t ends.
func NewStore(t testing.TB, driver string, opts ...models.Option) *models.Store {
	t.Helper()
	return OpenStore(t, driver, FreshDSN(t, driver), opts...)
}

// FreshDSN returns the DSN of a new, empty database of driver: a file in
// t's temporary directory, or a database created on the MySQL test server
// and dropped when t ends.
func FreshDSN(t testing.TB, driver string) string {
	t.Helper()
	if driver == models.DriverMySQL {
		return freshMySQLDatabase(t)
	}
	return filepath.Join(t.TempDir(), "qianfa.db")
}

// OpenStore opens and migrates the store at dsn and closes it when t ends.
func OpenStore(t testing.TB, driver, dsn string, opts ...models.Option) *models.Store {
	t.Helper()
	ctx := context.Background()
	s, err := models.Open(ctx, driver, dsn, append([]models.Option{models.WithAuditKey(AuditKey)}, opts...)...)
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", driver, err)
	}
	return s
}

// MySQLDSN returns the DSN of the test server.
func MySQLDSN() string {
	if dsn := os.Getenv("QIANFA_TEST_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return DefaultMySQLDSN
}

// freshMySQLDatabase creates database test_<random hex> and returns its DSN;
// the database is dropped when t ends.
func freshMySQLDatabase(t testing.TB) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(MySQLDSN())
	if err != nil {
		t.Fatalf("QIANFA_TEST_MYSQL_DSN: %v", err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("QIANFA_TEST_MYSQL_DSN: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		unreachable(t, err)
	}
	name := "test_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_ = admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	// Registered first, so it runs after the store's Close.
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

func unreachable(t testing.TB, err error) {
	t.Helper()
	msg := "MariaDB unreachable at QIANFA_TEST_MYSQL_DSN (default " + DefaultMySQLDSN + "): " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg + " — skipped outside CI (CI=true makes this a failure)")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// MustAgency creates agency code (under parent when parent is not 0) with
// the given leader steps (workflow.DefaultSteps when none).
func MustAgency(t testing.TB, s *models.Store, code string, parent int64, steps ...string) *models.Agency {
	t.Helper()
	a := &models.Agency{Code: code, Name: "单位" + code, ApprovalSteps: steps}
	if parent != 0 {
		a.ParentID = &parent
	}
	if err := s.CreateAgency(context.Background(), System, a); err != nil {
		t.Fatalf("create agency %s: %v", code, err)
	}
	return a
}

// MustUser creates an active user of agencyID with roles.
func MustUser(t testing.TB, s *models.Store, agencyID int64, username string, roles ...workflow.Role) *models.User {
	t.Helper()
	u := &models.User{Username: username, Name: "用户" + username, Email: username + "@example.gov.cn",
		AgencyID: agencyID, Roles: roles, PasswordHash: "hash-of-" + username, Active: true}
	if err := s.CreateUser(context.Background(), System, u); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// MustReport creates a draft agency report of agencyID for year with content.
func MustReport(t testing.TB, s *models.Store, agencyID int64, year int, content string) *models.Report {
	t.Helper()
	r := &models.Report{AgencyID: agencyID, Year: year, Edition: "2019", Content: content}
	if err := s.CreateReport(context.Background(), System, r); err != nil {
		t.Fatalf("create report %d/%d: %v", agencyID, year, err)
	}
	return r
}

// Team is an agency with one user for each role of the workflow.
type Team struct {
	Agency                                        *models.Agency
	Drafter, Reviewer, Leader, Leader2, Publisher *models.User
}

// MustTeam creates agency code with leader steps and a user per role
// (usernames prefixed with code).
func MustTeam(t testing.TB, s *models.Store, code string, steps ...string) Team {
	t.Helper()
	a := MustAgency(t, s, code, 0, steps...)
	return Team{
		Agency:    a,
		Drafter:   MustUser(t, s, a.ID, code+"-drafter", workflow.RoleDrafter),
		Reviewer:  MustUser(t, s, a.ID, code+"-reviewer", workflow.RoleReviewer),
		Leader:    MustUser(t, s, a.ID, code+"-leader", workflow.RoleLeader),
		Leader2:   MustUser(t, s, a.ID, code+"-leader2", workflow.RoleLeader),
		Publisher: MustUser(t, s, a.ID, code+"-publisher", workflow.RolePublisher),
	}
}
