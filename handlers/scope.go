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
	r, err := s.store.ReportByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ok, err := s.canSee(ctx, u, r.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, workflow.ErrNotFound("报告")
	}
	ag, err := s.store.AgencyByID(ctx, r.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	return r, ag, nil
}
