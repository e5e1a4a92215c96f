package models

import (
	"context"
	"encoding/json"

	"qianfa/calendar"
	"qianfa/notifications"
	"qianfa/workflow"
)

// ReminderSource is the store as the reminder planner reads it
// (notifications.PlanSource).
type ReminderSource struct {
	Store   *Store
	BaseURL string // server.base_url, for links and Message-IDs
	// InternalSubmit is the region's internal submission date of agency
	// reports (region.internal_submit); nil counts to the statutory deadline.
	InternalSubmit *calendar.MonthDay
}

var _ notifications.PlanSource = ReminderSource{}

// PlanInput returns every unpublished report and, for the digest, every
// agency under an office without an agency report for the year before
// today's (the one due this January).
func (src ReminderSource) PlanInput(ctx context.Context, today calendar.Date) (notifications.PlanInput, error) {
	list, err := src.Store.ReminderReports(ctx, today.Year-1)
	if err != nil {
		return notifications.PlanInput{}, err
	}
	if src.InternalSubmit != nil {
		for i := range list {
			if list[i].Kind == calendar.KindAgency {
				list[i].Deadline = src.InternalSubmit.In(list[i].Year + 1)
			}
		}
	}
	return notifications.PlanInput{BaseURL: src.BaseURL, Reports: list}, nil
}

// people is the active users of the database grouped for the planner.
type people struct {
	byAgencyRole map[int64]map[workflow.Role][]notifications.Recipient
}

func (p people) with(agencyID int64, role workflow.Role) []notifications.Recipient {
	return p.byAgencyRole[agencyID][role]
}

// ReminderReports returns what the planner needs of every unpublished report
// (statutory deadlines; Deadline is left zero), followed by one entry with ID
// 0 for every agency under an office that has no agency report for
// missingYear. Reports are ordered by year, agency and id.
func (s *Store) ReminderReports(ctx context.Context, missingYear int) ([]notifications.ReportStatus, error) {
	agencies, err := s.ListAgencies(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Agency, len(agencies))
	for i := range agencies {
		byID[agencies[i].ID] = &agencies[i]
	}
	ppl, err := s.activePeople(ctx)
	if err != nil {
		return nil, err
	}
	var reports []Report
	db := s.db.WithContext(ctx)
	if err := db.Where("state <> ?", workflow.Published).Order("year").Order("agency_id").Order("id").Find(&reports).Error; err != nil {
		return nil, translate(err, "报告")
	}
	signed, err := s.signedLeaders(ctx, reports)
	if err != nil {
		return nil, err
	}
	out := make([]notifications.ReportStatus, 0, len(reports))
	for _, r := range reports {
		st := statusOf(byID, ppl, r)
		if r.State == workflow.InApproval {
			st.Holders = without(st.Holders, signed[r.ID])
		}
		out = append(out, st)
	}
	missing, err := s.missingReports(ctx, agencies, byID, ppl, missingYear)
	return append(out, missing...), err
}

func statusOf(byID map[int64]*Agency, ppl people, r Report) notifications.ReportStatus {
	a, office := byID[r.AgencyID], officeOf(byID, r.AgencyID)
	wr := workflow.Report{State: r.State, Step: r.Step, Steps: a.ApprovalSteps}
	st := notifications.ReportStatus{
		ID: r.ID, Title: titleOf(r.Content), AgencyName: a.Name, OfficeName: office.Name, Year: r.Year,
		Kind: calendar.Kind(r.Kind), State: string(r.State), LastActivity: r.UpdatedAt,
		Leaders: ppl.with(a.ID, workflow.RoleLeader), Supervisors: ppl.with(office.ID, workflow.RoleSupervisor),
	}
	if r.State == workflow.InApproval {
		st.StepName = wr.StepName()
	}
	for _, role := range workflow.Holders(wr) {
		st.Holders = append(st.Holders, ppl.with(a.ID, role)...)
	}
	return st
}

// officeOf is the supervising office of an agency: its parent, or the agency
// itself at the top (the office's own government report).
func officeOf(byID map[int64]*Agency, agencyID int64) *Agency {
	a := byID[agencyID]
	if a.ParentID != nil {
		if p, ok := byID[*a.ParentID]; ok {
			return p
		}
	}
	return a
}

func (s *Store) activePeople(ctx context.Context) (people, error) {
	var users []User
	if err := s.db.WithContext(ctx).Where("active = ?", true).Order("id").Find(&users).Error; err != nil {
		return people{}, translate(err, "用户")
	}
	p := people{byAgencyRole: map[int64]map[workflow.Role][]notifications.Recipient{}}
	for _, u := range users {
		m := p.byAgencyRole[u.AgencyID]
		if m == nil {
			m = map[workflow.Role][]notifications.Recipient{}
			p.byAgencyRole[u.AgencyID] = m
		}
		for _, role := range u.Roles {
			m[role] = append(m[role], notifications.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name})
		}
	}
	return p, nil
}

// signedLeaders returns, per report in approval, the leaders who signed an
// earlier step of its current revision: they no longer hold it.
func (s *Store) signedLeaders(ctx context.Context, reports []Report) (map[int64]map[int64]bool, error) {
	out := map[int64]map[int64]bool{}
	for _, r := range reports {
		if r.State != workflow.InApproval {
			continue
		}
		var list []Approval
		err := s.db.WithContext(ctx).Where("report_id = ? AND revision = ? AND step >= 0", r.ID, r.Revision).Find(&list).Error
		if err != nil {
			return nil, translate(err, "审批记录")
		}
		out[r.ID] = map[int64]bool{}
		for _, a := range list {
			out[r.ID][a.UserID] = true
		}
	}
	return out, nil
}

func without(rs []notifications.Recipient, ids map[int64]bool) []notifications.Recipient {
	var out []notifications.Recipient
	for _, r := range rs {
		if !ids[r.UserID] {
			out = append(out, r)
		}
	}
	return out
}

// missingReports lists the agencies under an office without an agency
// report for year, for the supervisors' digest.
func (s *Store) missingReports(ctx context.Context, agencies []Agency, byID map[int64]*Agency, ppl people, year int) ([]notifications.ReportStatus, error) {
	var have []int64
	err := s.db.WithContext(ctx).Model(&Report{}).Where("year = ? AND kind = ?", year, KindAgency).Pluck("agency_id", &have).Error
	if err != nil {
		return nil, translate(err, "报告")
	}
	exists := map[int64]bool{}
	for _, id := range have {
		exists[id] = true
	}
	var out []notifications.ReportStatus
	for _, a := range agencies {
		if a.ParentID == nil || exists[a.ID] {
			continue
		}
		office := officeOf(byID, a.ID)
		out = append(out, notifications.ReportStatus{
			AgencyName: a.Name, OfficeName: office.Name, Year: year, Kind: calendar.KindAgency,
			Leaders: ppl.with(a.ID, workflow.RoleLeader), Supervisors: ppl.with(office.ID, workflow.RoleSupervisor),
		})
	}
	return out, nil
}

// titleOf is the title of the interchange document, "" when it has none.
func titleOf(content string) string {
	var doc struct {
		Title string `json:"title"`
	}
	_ = json.Unmarshal([]byte(content), &doc) // a draft may be any JSON; the planner then names the agency
	return doc.Title
}
