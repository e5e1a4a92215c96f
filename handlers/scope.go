package handlers

import (
	"context"
	"slices"

	"qianfa/models"
	"qianfa/workflow"
)

// scope returns the agencies whose reports u may read: nil means every agency (admin).
// A supervisor reads its office and every agency under it; an auditor at an office reads
// its region likewise; everyone else reads only their own agency.
func (s *Server) scope(ctx context.Context, u *models.User) ([]int64, error) {
	if u.Roles.Has(workflow.RoleAdmin) {
		return nil, nil
	}
	ids := []int64{u.AgencyID}
	if u.Roles.Has(workflow.RoleSupervisor) || u.Roles.Has(workflow.RoleAuditor) {
		children, err := s.store.ChildAgencies(ctx, u.AgencyID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, children...)
	}
	return ids, nil
}

// canSee reports whether agencyID is within u's scope.
func (s *Server) canSee(ctx context.Context, u *models.User, agencyID int64) (bool, error) {
	ids, err := s.scope(ctx, u)
	if err != nil {
		return false, err
	}
	return ids == nil || slices.Contains(ids, agencyID), nil
}

// visibleReport loads report id for u; a report outside u's scope answers 404 exactly
// like a missing one, so ids cannot be probed.
func (s *Server) visibleReport(ctx context.Context, u *models.User, id int64) (*models.Report, *models.Agency, error) {
	// The report and its agency in one statement; the agency is read before the
	// scope is known, but nothing of it is answered for a report out of scope.
	r, ag, err := s.store.ReportWithAgency(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return s.inScope(ctx, u, r, ag)
}

// inScope returns r and its agency if u may see r, else 404 as for a missing report.
func (s *Server) inScope(ctx context.Context, u *models.User, r *models.Report, ag *models.Agency) (*models.Report, *models.Agency, error) {
	ok, err := s.canSee(ctx, u, r.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, workflow.ErrNotFound("报告")
	}
	return r, ag, nil
}

// agenciesByID reads the agencies of ids in one statement (not one per agency:
// an office has hundreds). A missing agency is 404, as AgencyByID answers.
func (s *Server) agenciesByID(ctx context.Context, ids []int64) (map[int64]*models.Agency, error) {
	m, err := s.store.AgenciesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if m[id] == nil {
			return nil, workflow.ErrNotFound("单位")
		}
	}
	return m, nil
}

// reportAgencyIDs are the distinct agencies of list, in order of first appearance.
func reportAgencyIDs(list []models.Report) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for i := range list {
		if id := list[i].AgencyID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}
