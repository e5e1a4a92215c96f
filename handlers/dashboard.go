package handlers

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/export"
	"qianfa/models"
	"qianfa/workflow"
)

// stateNotStarted stands for an agency that has not created its report yet.
const stateNotStarted = "not_started"

// dashboardRow is one agency of the supervisor's region for the chosen year.
type dashboardRow struct {
	Agency          agencyRef  `json:"agency"`
	ReportID        *int64     `json:"report_id"`
	State           string     `json:"state"`
	StateLabel      string     `json:"state_label"`
	Holder          string     `json:"holder"`
	Deadline        string     `json:"deadline"`
	WorkingDaysLeft int        `json:"working_days_left"`
	Overdue         bool       `json:"overdue"`
	ErrorCount      int        `json:"error_count"`
	WarningCount    int        `json:"warning_count"`
	PublishedAt     *time.Time `json:"published_at"`
	rank            int        // workflow progress, for sorting
}

type dashboardView struct {
	Office agencyRef      `json:"office"`
	Year   int            `json:"year"`
	Items  []dashboardRow `json:"items"`
}

// office is the supervising office whose region the caller looks at: a supervisor's own
// agency; an admin may name any with office_id.
func (s *Server) office(c echo.Context) (*models.Agency, error) {
	u := currentUser(c)
	id, err := int64Param(c, "office_id")
	if err != nil {
		return nil, err
	}
	if id == 0 || id == u.AgencyID {
		return s.store.AgencyByID(c.Request().Context(), u.AgencyID)
	}
	if !u.Roles.Has(workflow.RoleAdmin) {
		return nil, workflow.ErrNotFound("单位")
	}
	return s.store.AgencyByID(c.Request().Context(), id)
}

// reportYear is the year asked for, by default the year just ended, whose reports are
// due this January.
func (s *Server) reportYear(c echo.Context) (int, error) {
	y, err := intParam(c, "year")
	if err != nil || y != 0 {
		return y, err
	}
	return calendar.Today(s.now()).Year - 1, nil
}

// region is the dashboard as asked for: the office, the year, and its rows filtered by
// the state parameter and sorted by the sort parameter. The API and the page share it.
func (s *Server) region(c echo.Context) (*models.Agency, int, []dashboardRow, error) {
	office, err := s.office(c)
	if err != nil {
		return nil, 0, nil, err
	}
	year, err := s.reportYear(c)
	if err != nil {
		return nil, 0, nil, err
	}
	rows, err := s.dashboardRows(c.Request().Context(), office, year)
	if err != nil {
		return nil, 0, nil, err
	}
	if st := c.QueryParam("state"); st != "" {
		rows = filterRows(rows, st)
	}
	if err := sortRows(rows, c.QueryParam("sort")); err != nil {
		return nil, 0, nil, err
	}
	return office, year, rows, nil
}

func (s *Server) dashboard(c echo.Context) error {
	office, year, rows, err := s.region(c)
	if err != nil {
		return err
	}
	switch c.QueryParam("format") {
	case "", "json":
		return c.JSON(http.StatusOK, dashboardView{Office: agencyRef{ID: office.ID, Code: office.Code, Name: office.Name}, Year: year, Items: rows})
	case "csv":
		return writeDashboardCSV(c, year, rows)
	case "xlsx":
		b, err := export.TableXLSX("报送进度", dashboardHeader, dashboardRecords(rows))
		if err != nil {
			return workflow.ErrInternal(err)
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="dashboard-`+strconv.Itoa(year)+`.xlsx"`)
		return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
	}
	return workflow.ErrBadRequest("format 应为 json、csv 或 xlsx")
}

// regionReports lists the agencies under office and their own reports of year; the
// dashboard and the roll-up both start from it.
func (s *Server) regionReports(ctx context.Context, office *models.Agency, year int) ([]int64, []models.Report, error) {
	ids, err := s.store.ChildAgencies(ctx, office.ID)
	if err != nil {
		return nil, nil, err
	}
	reports, err := s.store.ListReports(ctx, models.ReportFilter{AgencyIDs: append([]int64{}, ids...), Year: year, Kind: models.KindAgency})
	return ids, reports, err
}

// dashboardRows lists every agency under office with its report of year (agency kind).
func (s *Server) dashboardRows(ctx context.Context, office *models.Agency, year int) ([]dashboardRow, error) {
	ids, reports, err := s.regionReports(ctx, office, year)
	if err != nil {
		return nil, err
	}
	byAgency := map[int64]*models.Report{}
	for i := range reports {
		byAgency[reports[i].AgencyID] = &reports[i]
	}
	agencies, err := s.agenciesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	deadline := calendar.Deadline(calendar.KindAgency, year)
	today := calendar.Today(s.now())
	left := s.workdays().WorkdaysLeft(today, deadline) // the same for every row
	rows := make([]dashboardRow, 0, len(ids))
	for _, id := range ids {
		ag := agencies[id]
		row := dashboardRow{Agency: agencyRef{ID: ag.ID, Code: ag.Code, Name: ag.Name}, State: stateNotStarted,
			StateLabel: "未创建", Holder: workflow.RoleDrafter.Label(), Deadline: deadline.String(),
			WorkingDaysLeft: left, rank: -1}
		if r := byAgency[id]; r != nil {
			row.ReportID, row.State, row.StateLabel = &r.ID, string(r.State), r.State.Label()
			row.Holder = holderLabel(r.State)
			row.ErrorCount, row.WarningCount, row.PublishedAt = r.ErrorCount, r.WarningCount, r.PublishedAt
			row.rank = stateRank(r.State)
		}
		row.Overdue = row.State != string(workflow.Published) && today.After(deadline)
		rows = append(rows, row)
	}
	return rows, nil
}

func holderLabel(st workflow.State) string {
	roles := workflow.Holders(workflow.Report{State: st})
	if len(roles) == 0 {
		return ""
	}
	return roles[0].Label()
}

func stateRank(st workflow.State) int {
	for i, s := range workflow.States {
		if s == st {
			return i
		}
	}
	return -1
}

func filterRows(rows []dashboardRow, state string) []dashboardRow {
	out := rows[:0]
	for _, r := range rows {
		if r.State == state {
			out = append(out, r)
		}
	}
	return out
}

// sortRows orders the dashboard; "risk" (the default) puts the unpublished reports with
// the fewest working days left and the least progress first.
func sortRows(rows []dashboardRow, by string) error {
	var less func(a, b dashboardRow) bool
	switch by {
	case "", "risk":
		less = func(a, b dashboardRow) bool {
			pa, pb := a.State == string(workflow.Published), b.State == string(workflow.Published)
			if pa != pb {
				return !pa
			}
			if a.WorkingDaysLeft != b.WorkingDaysLeft {
				return a.WorkingDaysLeft < b.WorkingDaysLeft
			}
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			return a.ErrorCount > b.ErrorCount
		}
	case "name":
		less = func(a, b dashboardRow) bool { return a.Agency.Code < b.Agency.Code }
	case "state":
		less = func(a, b dashboardRow) bool { return a.rank < b.rank }
	case "errors":
		less = func(a, b dashboardRow) bool { return a.ErrorCount > b.ErrorCount }
	default:
		return workflow.ErrBadRequest("sort 应为 risk、name、state 或 errors")
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(rows[i], rows[j]) })
	return nil
}

var dashboardHeader = []string{"单位代码", "单位", "状态", "当前经办", "截止日期", "剩余工作日", "是否逾期", "错误", "警告", "公开日期"}

func dashboardRecords(rows []dashboardRow) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		overdue, published := "否", ""
		if r.Overdue {
			overdue = "是"
		}
		if r.PublishedAt != nil {
			published = calendar.DateOf(r.PublishedAt.In(calendar.Location())).String()
		}
		out[i] = []any{r.Agency.Code, r.Agency.Name, r.StateLabel, r.Holder, r.Deadline, r.WorkingDaysLeft, overdue,
			r.ErrorCount, r.WarningCount, published}
	}
	return out
}

func writeDashboardCSV(c echo.Context, year int, rows []dashboardRow) error {
	var buf bytes.Buffer
	if err := export.WriteBOM(&buf); err != nil {
		return err
	}
	w := export.NewCSVWriter(&buf)
	_ = w.Write(dashboardHeader)
	for _, rec := range dashboardRecords(rows) {
		fields := make([]string, len(rec))
		for i, v := range rec {
			switch x := v.(type) {
			case string:
				fields[i] = x
			case int:
				fields[i] = strconv.Itoa(x)
			}
		}
		_ = w.Write(fields)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="dashboard-`+strconv.Itoa(year)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
