package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/workflow"
)

// supervisionRoutes registers the supervising office's pages: the region's progress and
// the roll-up of its tables (supervisors and admins).
func (s *Server) supervisionRoutes(in *echo.Group) {
	// Per route, not a group: a group without a prefix would answer every unknown path
	// with the role check's 403 instead of 404.
	sup := requireRole(workflow.RoleSupervisor, workflow.RoleAdmin)
	in.GET("/dashboard", s.dashboardPage, sup)
	in.GET("/rollup", s.rollupPage, sup)
	in.POST("/rollup/report", s.rollupReportSubmit, sup)
}

// dashboardSorts are the orders the dashboard offers, as sortRows names them.
var dashboardSorts = []struct{ Key, Label string }{
	{"risk", "风险（逾期、剩余工作日少的在前）"}, {"name", "单位代码"}, {"state", "办理进度"}, {"errors", "错误数"},
}

type dashboardPageRow struct {
	dashboardRow
	Link      string
	Published string
	LeftText  string
}

type dashboardBody struct {
	Office       string
	Year         int
	Years        []int
	Sort, State  string
	Sorts        []struct{ Key, Label string }
	States       []stateOption
	Rows         []dashboardPageRow
	CSV, XLSX    string
	OverdueCount int
}

type stateOption struct{ Value, Label string }

func (s *Server) dashboardPage(c echo.Context) error {
	office, year, rows, err := s.region(c)
	if err != nil {
		return err
	}
	b := dashboardBody{Office: office.Name, Year: year, Years: s.reportYears(), Sort: c.QueryParam("sort"),
		State: c.QueryParam("state"), Sorts: dashboardSorts, States: dashboardStates()}
	if b.Sort == "" {
		b.Sort = "risk"
	}
	for _, r := range rows {
		b.Rows = append(b.Rows, dashboardPageRowOf(r))
		if r.Overdue {
			b.OverdueCount++
		}
	}
	q := url.Values{"year": {strconv.Itoa(year)}, "sort": {b.Sort}}
	if b.State != "" {
		q.Set("state", b.State)
	}
	if id := c.QueryParam("office_id"); id != "" {
		q.Set("office_id", id)
	}
	q.Set("format", "csv")
	b.CSV = "/api/v1/dashboard?" + q.Encode()
	q.Set("format", "xlsx")
	b.XLSX = "/api/v1/dashboard?" + q.Encode()
	return s.render(c, http.StatusOK, "dashboard", "报送进度", b)
}

func dashboardPageRowOf(r dashboardRow) dashboardPageRow {
	row := dashboardPageRow{dashboardRow: r, LeftText: leftText(r.WorkingDaysLeft, r.Overdue)}
	if r.ReportID != nil {
		row.Link = "/reports/" + itoa64(*r.ReportID)
	}
	if r.PublishedAt != nil {
		row.Published = calendar.DateOf(r.PublishedAt.In(calendar.Location())).String()
	}
	return row
}

// dashboardStates are the state filter's choices: not started, then the workflow states.
func dashboardStates() []stateOption {
	out := []stateOption{{stateNotStarted, "未创建"}}
	for _, st := range workflow.States {
		out = append(out, stateOption{string(st), st.Label()})
	}
	return out
}

// leftText shows the working days left before the deadline; past it, how many working
// days the report is late, never a negative count.
func leftText(left int, overdue bool) string {
	switch {
	case overdue && left < 0:
		return "已逾期 " + strconv.Itoa(-left) + " 个工作日"
	case overdue:
		return "已逾期"
	case left < 0:
		return "—"
	}
	return strconv.Itoa(left)
}
