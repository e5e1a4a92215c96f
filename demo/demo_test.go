package demo_test

import (
	"context"
	"testing"

	"qianfa/demo"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/password"
	"qianfa/workflow"
)

// The demo data is exactly what the contract describes, and loading it again into a
// database that has data changes nothing.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	s := modelstest.NewStore(t, models.DriverSQLite)
	loaded, err := demo.Load(ctx, s)
	if err != nil || !loaded {
		t.Fatalf("Load = %v, %v", loaded, err)
	}
	office, err := s.AgencyByCode(ctx, demo.OfficeCode)
	if err != nil {
		t.Fatal(err)
	}
	bureau, err := s.AgencyByCode(ctx, demo.AgencyCode)
	if err != nil || bureau.Name != "海盐县民政局" || bureau.ParentID == nil || *bureau.ParentID != office.ID {
		t.Fatalf("bureau %+v, %v (office %d)", bureau, err, office.ID)
	}
	for _, role := range demo.Users {
		u, err := s.UserByUsername(ctx, string(role))
		if err != nil {
			t.Fatal(err)
		}
		wantAgency := bureau.ID
		if role == workflow.RoleSupervisor || role == workflow.RoleAdmin {
			wantAgency = office.ID
		}
		if len(u.Roles) != 1 || u.Roles[0] != role || u.AgencyID != wantAgency || !u.Active || !password.Verify(demo.Password, u.PasswordHash) {
			t.Errorf("user %s = %+v", role, u)
		}
	}
	r, err := s.ReportByAgencyYear(ctx, bureau.ID, 2020, models.KindAgency)
	if err != nil || r.State != workflow.Draft || r.Edition != "2019" || r.ErrorCount != 0 || r.WarningCount != 1 {
		t.Fatalf("seed report %+v, %v", r, err)
	}
	again, err := demo.Load(ctx, s)
	if err != nil || again {
		t.Fatalf("second Load = %v, %v", again, err)
	}
	users, err := s.ListUsers(ctx, 0)
	if err != nil || len(users) != len(demo.Users) {
		t.Fatalf("%d users after a second Load, want %d", len(users), len(demo.Users))
	}
}
