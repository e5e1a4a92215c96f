package models

import (
	"context"
	"slices"
	"time"

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
	reports, err := s.unpublishedReports(ctx)
	if err != nil {
		return nil, err
	}
	signed, err := s.signedLeaders(ctx)
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

// reminderReport is what the planner reads of a report: not its content, only the
// title in it.
type reminderReport struct {
	ID, AgencyID int64
	Year         int
	Kind         string
	State        workflow.State
	Step         int
	Revision     int
	UpdatedAt    time.Time
	Title        string
}

// unpublished lists the states of the reports the planner reads: "state IN" uses
// the state index as a range, where "state <> ?" scanned the whole index on SQLite.
func unpublished() []workflow.State {
	return slices.DeleteFunc(slices.Clone(workflow.States), func(st workflow.State) bool { return st == workflow.Published })
}

// unpublishedReports reads every unpublished report for the planner, ordered by
// year, agency and id. The title is the column written with the content, so the
// content (7.6 KB a report) is neither sent to the planner nor parsed by the database.
func (s *Store) unpublishedReports(ctx context.Context) ([]reminderReport, error) {
	var list []reminderReport
	err := s.db.WithContext(ctx).Model(&Report{}).
		Select("id, agency_id, year, kind, state, step, revision, updated_at, title").
		Where("state IN ?", unpublished()).Order("year").Order("agency_id").Order("id").Find(&list).Error
	for i := range list {
		list[i].UpdatedAt = list[i].UpdatedAt.UTC()
	}
	return list, translate(err, "报告")
}

func statusOf(byID map[int64]*Agency, ppl people, r reminderReport) notifications.ReportStatus {
	a, office := byID[r.AgencyID], officeOf(byID, r.AgencyID)
	wr := workflow.Report{State: r.State, Step: r.Step, Steps: a.ApprovalSteps}
	st := notifications.ReportStatus{
		ID: r.ID, Title: r.Title, AgencyName: a.Name, OfficeName: office.Name, Year: r.Year,
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
	// Only what a recipient needs: not the password hash or the times of 40 000 users.
	err := s.db.WithContext(ctx).Select("id", "agency_id", "name", "email", "roles").
		Where("active = ?", true).Order("id").Find(&users).Error
	if err != nil {
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
// earlier step of its current revision: they no longer hold it. One statement
// for all of them (it was one per report in approval).
func (s *Store) signedLeaders(ctx context.Context) (map[int64]map[int64]bool, error) {
	var list []struct{ ReportID, UserID int64 }
	err := s.db.WithContext(ctx).Table("approvals a").Select("a.report_id, a.user_id").
		Joins("JOIN reports r ON r.id = a.report_id AND r.revision = a.revision").
		Where("r.state = ? AND a.step >= 0", workflow.InApproval).Find(&list).Error
	if err != nil {
		return nil, translate(err, "审批记录")
	}
	out := map[int64]map[int64]bool{}
	for _, a := range list {
		if out[a.ReportID] == nil {
			out[a.ReportID] = map[int64]bool{}
		}
		out[a.ReportID][a.UserID] = true
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
