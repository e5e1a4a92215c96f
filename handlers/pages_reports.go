package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

type reportsBody struct {
	Rows      []reportRow
	Year      int
	State     string
	AgencyID  int64
	States    []workflow.State
	Agencies  []models.Agency // the agency filter, for users who see more than their own
	CanCreate bool
	Years     []int
}

func (s *Server) reportsPage(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	ids, err := s.scope(ctx, u)
	if err != nil {
		return err
	}
	b := reportsBody{States: workflow.States, State: c.QueryParam("state"),
		CanCreate: u.Roles.Has(workflow.RoleDrafter), Years: s.reportYears()}
	f := models.ReportFilter{AgencyIDs: ids}
	b.Year, _ = strconv.Atoi(c.QueryParam("year"))
	f.Year = b.Year
	if st, err := workflow.ParseState(b.State); err == nil {
		f.State = st
	}
	if b.Agencies, err = s.scopeAgencies(c, ids); err != nil {
		return err
	}
	if b.AgencyID, _ = strconv.ParseInt(c.QueryParam("agency_id"), 10, 64); b.AgencyID != 0 {
		f.AgencyIDs = []int64{}
		if ok, err := s.canSee(ctx, u, b.AgencyID); err == nil && ok {
			f.AgencyIDs = []int64{b.AgencyID}
		}
	}
	list, err := s.store.ListReports(ctx, f)
	if err != nil {
		return err
	}
	if b.Rows, err = s.reportRows(ctx, u, list); err != nil {
		return err
	}
	return s.render(c, 200, "reports", "报告列表", b)
}

// scopeAgencies lists the agencies in scope when there is more than one to choose from.
func (s *Server) scopeAgencies(c echo.Context, ids []int64) ([]models.Agency, error) {
	if ids != nil && len(ids) < 2 {
		return nil, nil
	}
	all, err := s.store.ListAgencies(c.Request().Context())
	if err != nil {
		return nil, err
	}
	var out []models.Agency
	for _, a := range all {
		if ids == nil || containsID(ids, a.ID) {
			out = append(out, a)
		}
	}
	return out, nil
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// reportYears are the years a new report may be for, newest first.
func (s *Server) reportYears() []int {
	var ys []int
	for y := calendar.Today(s.now()).Year; y >= firstReportYear; y-- {
		ys = append(ys, y)
	}
	return ys
}

// reportCreateSubmit creates a blank draft for the drafter's agency and opens the editor.
func (s *Server) reportCreateSubmit(c echo.Context) error {
	u := currentUser(c)
	year, _ := strconv.Atoi(c.FormValue("year"))
	ag, err := s.targetAgency(c, u, 0)
	if err != nil {
		return err
	}
	ed, err := s.editionFor(year, "")
	if err != nil {
		return s.redirectFlash(c, "/reports", "年度无效：应在 "+strconv.Itoa(firstReportYear)+" 年至今年之间")
	}
	doc, carried := report.New(ed, year, ag.Name, agencyLevel(ag)), ""
	if c.FormValue("from_previous") != "" {
		doc, carried, err = s.startFromPrevious(c.Request().Context(), ag, year, models.KindAgency)
		if workflow.KindOf(err) == workflow.KindValidation {
			return s.redirectFlash(c, "/reports", "未能结转："+problemText(err))
		} else if err != nil {
			return err
		}
	}
	doc.Title = reportTitle(ag.Name, year, models.KindAgency)
	r, err := s.createDraft(c, u, ag, models.KindAgency, doc, carried)
	if workflow.KindOf(err) == workflow.KindConflict {
		return s.redirectFlash(c, "/reports", "本单位该年度的报告已存在")
	} else if err != nil {
		return err
	}
	msg := "已新建" + strconv.Itoa(year) + "年度报告草稿"
	if carried != "" {
		msg += "，已从上一年度已公开报告结转"
	}
	return s.redirectFlash(c, "/reports/"+itoa64(r.ID)+"/edit", msg)
}

// problemText is a domain error's message for people, with the first detail's message
// when it has one (it names what to do).
func problemText(err error) string {
	we := domainError(err)
	for _, d := range we.Details {
		if p, ok := d.(problemDetail); ok {
			return p.Message
		}
	}
	return we.Message
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
