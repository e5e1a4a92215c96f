package models_test

import (
	"sync"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

func TestSQLiteSettings(t *testing.T) {
	s := modelstest.NewStore(t, models.DriverSQLite)
	if s.Dialect() != "sqlite" {
		t.Errorf("dialect %q", s.Dialect())
	}
	cases := []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"synchronous", "2"}, {"foreign_keys", "1"}, {"busy_timeout", "5000"},
	}
	for _, c := range cases {
		var got string
		if err := s.RawDB().QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.want)
		}
	}
	if n := s.RawDB().Stats().MaxOpenConnections; n != 1 {
		t.Errorf("max open connections %d, want 1", n)
	}
}

func TestSQLiteInMemory(t *testing.T) {
	s := modelstest.OpenStore(t, models.DriverSQLite, ":memory:")
	a := modelstest.MustAgency(t, s, "330424", 0)
	if got, err := s.AgencyByID(ctx, a.ID); err != nil || got.Code != "330424" {
		t.Errorf("agency %+v, %v", got, err)
	}
}

func TestMySQLSettings(t *testing.T) {
	s := modelstest.NewStore(t, models.DriverMySQL)
	if s.Dialect() != "mysql" {
		t.Errorf("dialect %q", s.Dialect())
	}
	var charset, collation string
	err := s.RawDB().QueryRowContext(ctx, "SELECT @@character_set_connection, @@collation_connection").Scan(&charset, &collation)
	if err != nil || charset != "utf8mb4" || collation != "utf8mb4_unicode_ci" {
		t.Errorf("connection %s %s, %v", charset, collation, err)
	}
	rows, err := s.RawDB().QueryContext(ctx, "SELECT table_name, engine, table_collation FROM information_schema.tables "+
		"WHERE table_schema = DATABASE() AND table_name <> 'goose_db_version'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var table, engine, coll string
		if err := rows.Scan(&table, &engine, &coll); err != nil {
			t.Fatal(err)
		}
		seen[table] = true
		if engine != "InnoDB" || coll != "utf8mb4_unicode_ci" {
			t.Errorf("%s: %s %s, want InnoDB utf8mb4_unicode_ci", table, engine, coll)
		}
	}
	for _, table := range schemaTables {
		if !seen[table] {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestMySQLConcurrentMigrate(t *testing.T) {
	dsn := modelstest.FreshDSN(t, models.DriverMySQL)
	stores := make([]*models.Store, 3)
	for i := range stores {
		s, err := models.Open(ctx, models.DriverMySQL, dsn, models.WithAuditKey(modelstest.AuditKey))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		stores[i] = s
	}
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	want := latestVersion(t)
	for i, s := range stores {
		if v, err := s.SchemaVersion(ctx); err != nil || v != want {
			t.Errorf("replica %d: version %d, %v; want %d", i, v, err, want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name, driver, dsn string
		kind              workflow.Kind
	}{
		{"unreachable", models.DriverMySQL, "root@tcp(127.0.0.1:1)/test?timeout=2s", workflow.KindUnavailable},
		{"bad dsn", models.DriverMySQL, "no slash here", workflow.KindInternal},
		{"unknown driver", "oracle", "x", workflow.KindInternal},
	}
	for _, c := range cases {
		s, err := models.Open(ctx, c.driver, c.dsn)
		if s != nil || workflow.KindOf(err) != c.kind {
			t.Errorf("%s: %v, %v; want kind %v", c.name, s, err, c.kind)
		}
	}
}

func TestAgenciesAndUsers(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		office := modelstest.MustAgency(t, s, "330424", 0)
		other := modelstest.MustAgency(t, s, "330400", 0)
		mzj := modelstest.MustAgency(t, s, "330424-mzj", office.ID)
		jyj := modelstest.MustAgency(t, s, "330424-jyj", office.ID)
		sub := modelstest.MustAgency(t, s, "330424-mzj-1", mzj.ID)
		modelstest.MustAgency(t, s, "330400-x", other.ID)
		ids, err := s.ChildAgencies(ctx, office.ID)
		if want := []int64{mzj.ID, jyj.ID, sub.ID}; err != nil || !equalIDs(ids, want) {
			t.Errorf("children of the office = %v, %v; want %v", ids, err, want)
		}
		if ids, _ := s.ChildAgencies(ctx, sub.ID); len(ids) != 0 {
			t.Errorf("children of a leaf = %v", ids)
		}
		if err := s.CreateAgency(ctx, modelstest.System, &models.Agency{Code: "330424", Name: "重复"}); workflow.CodeOf(err) != workflow.CodeDuplicate {
			t.Errorf("duplicate code: %v", err)
		}
		admin := modelstest.MustUser(t, s, office.ID, "admin", workflow.RoleAdmin)
		if err := s.UpdateAgencySteps(ctx, admin.AuditActor(), mzj.ID, []string{"分管领导审核", "主要负责人签发"}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAgencySteps(ctx, admin.AuditActor(), 999, []string{"x"}); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("steps of a missing agency: %v", err)
		}
		got, err := s.AgencyByID(ctx, mzj.ID)
		if err != nil || len(got.ApprovalSteps) != 2 || got.ApprovalSteps[1] != "主要负责人签发" || got.AuditCount != 2 || *got.ParentID != office.ID {
			t.Errorf("agency = %+v, %v", got, err)
		}
		if def, _ := s.AgencyByID(ctx, jyj.ID); len(def.ApprovalSteps) != 1 || def.ApprovalSteps[0] != "签发" {
			t.Errorf("default steps %v", def.ApprovalSteps)
		}
		if _, err := s.AgencyByCode(ctx, "nope"); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("missing code: %v", err)
		}
		list, err := s.ListAgencies(ctx)
		if err != nil || len(list) != 6 || list[0].Code != "330400" || list[5].Code != "330424-mzj-1" {
			t.Errorf("agencies %d, %v", len(list), err)
		}
		modelstest.MustUser(t, s, mzj.ID, "drafter", workflow.RoleDrafter)
		dup := &models.User{Username: "drafter", AgencyID: mzj.ID, Active: true}
		if err := s.CreateUser(ctx, modelstest.System, dup); workflow.CodeOf(err) != workflow.CodeDuplicate {
			t.Errorf("duplicate username: %v", err)
		}
		orphan := &models.User{Username: "orphan", AgencyID: 999, Active: true}
		if err := s.CreateUser(ctx, modelstest.System, orphan); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("user of a missing agency: %v", err)
		}
		if users, err := s.ListUsers(ctx, mzj.ID); err != nil || len(users) != 1 || users[0].Username != "drafter" {
			t.Errorf("users of mzj %+v, %v", users, err)
		}
		if users, err := s.ListUsers(ctx, 0); err != nil || len(users) != 2 || users[0].Username != "admin" {
			t.Errorf("all users %+v, %v", users, err)
		}
		if u, err := s.UserByID(ctx, admin.ID); err != nil || !u.Roles.Has(workflow.RoleAdmin) || u.Email != "admin@example.gov.cn" {
			t.Errorf("user = %+v, %v", u, err)
		}
		if res, err := s.VerifyAudit(ctx, modelstest.AuditKey); err != nil || !res.OK || res.Events != 6+1+2 {
			t.Errorf("verify = %+v, %v", res, err)
		}
	})
}

// schemaTables are the tables of every migration.
var schemaTables = []string{"agencies", "users", "reports", "revisions", "approvals",
	"publications", "audit_events", "sessions", "login_failures", "outbox", "inbox", "calendar_overrides"}

// latestVersion is the schema version after every migration, as a fresh
// SQLite store reports it.
func latestVersion(t *testing.T) int64 {
	t.Helper()
	v, err := modelstest.NewStore(t, models.DriverSQLite).SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("latest version %d, %v", v, err)
	}
	return v
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
