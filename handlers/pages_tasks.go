package handlers

import (
	"context"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/workflow"
)

// taskStates says which state waits on which role.
var taskStates = []struct {
	role  workflow.Role
	state workflow.State
}{
	{workflow.RoleDrafter, workflow.Draft},
	{workflow.RoleReviewer, workflow.InReview},
	{workflow.RoleLeader, workflow.InApproval},
	{workflow.RolePublisher, workflow.Approved},
}

// reportRow is one report in a list page.
type reportRow struct {
	ID         int64
	Agency     string
	Year       int
	State      workflow.State
	Holder     string
	Deadline   string
	Left       int
	Overdue    bool
	Link       string
	ErrorCount int
}

func (s *Server) tasksPage(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	ids, err := s.scope(ctx, u)
	if err != nil {
		return err
	}
	var rows []reportRow
	for _, ts := range taskStates {
		if !u.Roles.Has(ts.role) {
			continue
		}
		list, err := s.store.ListReports(ctx, models.ReportFilter{AgencyIDs: ids, State: ts.state})
		if err != nil {
			return err
		}
		more, err := s.reportRows(ctx, u, list)
		if err != nil {
			return err
		}
		rows = append(rows, more...)
	}
	// The riskiest first: fewest working days left, then the oldest report.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Left != rows[j].Left {
			return rows[i].Left < rows[j].Left
		}
		return rows[i].ID < rows[j].ID
	})
	return s.render(c, 200, "tasks", "我的待办", rows)
}

// reportRows describes reports for a list, with their agencies' names.
func (s *Server) reportRows(ctx context.Context, u *models.User, list []models.Report) ([]reportRow, error) {
	agencies, err := s.agenciesByID(ctx, reportAgencyIDs(list))
	if err != nil {
		return nil, err
	}
	rows := make([]reportRow, 0, len(list))
	for i := range list {
		rows = append(rows, s.reportRow(u, &list[i], agencies[list[i].AgencyID]))
	}
	return rows, nil
}

func (s *Server) reportRow(u *models.User, r *models.Report, ag *models.Agency) reportRow {
	deadline, left := s.deadlineOf(r)
	row := reportRow{ID: r.ID, Agency: ag.Name, Year: r.Year, State: r.State, Deadline: deadline.String(),
		Left: left, Overdue: r.State != workflow.Published && calendar.Today(s.now()).After(deadline),
		Link: "/reports/" + itoa64(r.ID), Holder: holderText(r, ag), ErrorCount: r.ErrorCount}
	if r.State == workflow.Draft && u.Roles.Has(workflow.RoleDrafter) && u.AgencyID == r.AgencyID {
		row.Link += "/edit"
	}
	return row
}

// holderText names who must act now: the roles, and the leader step while in approval.
func holderText(r *models.Report, ag *models.Agency) string {
	wr := workflow.Report{State: r.State, Step: r.Step, Steps: ag.ApprovalSteps}
	var names []string
	for _, role := range workflow.Holders(wr) {
		names = append(names, role.Label())
	}
	text := strings.Join(names, "、")
	if r.State == workflow.InApproval {
		text += "（" + wr.StepName() + "）"
	}
	if text == "" {
		return "—"
	}
	return text
}
