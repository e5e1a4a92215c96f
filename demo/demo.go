// Package demo loads the demonstration data of `qianfa serve --demo`: the 海盐县 supervising
// office, its civil affairs bureau with one user per role, and the bureau's real 2020 report
// as a draft.
package demo

import (
	"context"
	_ "embed"
	"fmt"

	"qianfa/models"
	"qianfa/password"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

//go:embed haiyan-minzheng-2020.json
var seedReport []byte

// Password is the password of every demo user.
const Password = "demo12345"

// The demo agencies.
const (
	OfficeCode = "330424"
	AgencyCode = "330424-mzj"
)

// Users lists the demo users in the order they are created: each has the role of its
// name; the supervisor and the admin belong to the office, the others to the bureau.
var Users = []workflow.Role{
	workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleLeader, workflow.RolePublisher,
	workflow.RoleSupervisor, workflow.RoleAdmin, workflow.RoleAuditor,
}

// Load fills an empty database with the demo data and reports whether it did; a database
// that already has agencies is left alone.
func Load(ctx context.Context, s *models.Store) (bool, error) {
	existing, err := s.ListAgencies(ctx)
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	system := models.AuditActor{Username: "system"}
	office := &models.Agency{Code: OfficeCode, Name: "海盐县人民政府办公室", Level: "county_government"}
	if err := s.CreateAgency(ctx, system, office); err != nil {
		return false, fmt.Errorf("demo office: %w", err)
	}
	bureau := &models.Agency{Code: AgencyCode, Name: "海盐县民政局", Level: "county_department", ParentID: &office.ID}
	if err := s.CreateAgency(ctx, system, bureau); err != nil {
		return false, fmt.Errorf("demo agency: %w", err)
	}
	hash, err := password.Hash(Password)
	if err != nil {
		return false, err
	}
	var drafter *models.User
	for _, role := range Users {
		u := &models.User{Username: string(role), Name: role.Label(), Email: string(role) + "@example.gov.cn",
			AgencyID: bureau.ID, Roles: models.RoleList{role}, PasswordHash: hash, Active: true}
		if role == workflow.RoleSupervisor || role == workflow.RoleAdmin {
			u.AgencyID = office.ID
		}
		if err := s.CreateUser(ctx, system, u); err != nil {
			return false, fmt.Errorf("demo user %s: %w", role, err)
		}
		if role == workflow.RoleDrafter {
			drafter = u
		}
	}
	return true, createSeedReport(ctx, s, bureau, drafter)
}

func createSeedReport(ctx context.Context, s *models.Store, bureau *models.Agency, drafter *models.User) error {
	doc, err := report.Decode(seedReport)
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	content, err := doc.Compact()
	if err != nil {
		return err
	}
	errs, warns := check.Counts(check.Check(doc))
	r := &models.Report{AgencyID: bureau.ID, Year: doc.Year, Kind: models.KindAgency, Edition: string(doc.Edition),
		Content: string(content), ErrorCount: errs, WarningCount: warns}
	if err := s.CreateReport(ctx, drafter.AuditActor(), r); err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	return nil
}
