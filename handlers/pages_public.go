package handlers

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/report/render"
	"qianfa/workflow"
)

// publicRoutes registers the portal: no login, published content only.
func (s *Server) publicRoutes(g *echo.Group) {
	g.GET("/public/reports", s.publicListPage)
	g.GET("/public/reports/:code/:year", s.publicReportPage)
}

type publicRow struct {
	Office, Agency, Code string
	Year                 int
	PublishedAt          string
}

type publicListBody struct {
	Rows                 []publicRow
	Office, Agency, Year string
	Offices, Agencies    []models.Agency
}

func (s *Server) publicListPage(c echo.Context) error {
	ctx := c.Request().Context()
	agencies, err := s.store.ListAgencies(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]*models.Agency{}
	for i := range agencies {
		byID[agencies[i].ID] = &agencies[i]
	}
	b := publicListBody{Office: c.QueryParam("office"), Agency: c.QueryParam("agency"), Year: c.QueryParam("year")}
	year, _ := strconv.Atoi(b.Year)
	list, err := s.store.ListReports(ctx, models.ReportFilter{State: workflow.Published, Year: year})
	if err != nil {
		return err
	}
	for i := range list {
		if row, ok := publicRowOf(&list[i], byID, b); ok {
			b.Rows = append(b.Rows, row)
		}
	}
	b.Offices, b.Agencies = splitAgencies(agencies)
	return s.renderPublic(c, http.StatusOK, "public_list", "政府信息公开工作年度报告", b)
}

// publicRowOf describes a published report, if it passes the office and agency filters.
func publicRowOf(r *models.Report, byID map[int64]*models.Agency, f publicListBody) (publicRow, bool) {
	ag := byID[r.AgencyID]
	if ag == nil || (f.Agency != "" && ag.Code != f.Agency) {
		return publicRow{}, false
	}
	office := ag
	if ag.ParentID != nil && byID[*ag.ParentID] != nil {
		office = byID[*ag.ParentID]
	}
	if f.Office != "" && office.Code != f.Office {
		return publicRow{}, false
	}
	row := publicRow{Office: office.Name, Agency: ag.Name, Code: ag.Code, Year: r.Year}
	if r.PublishedAt != nil {
		row.PublishedAt = calendar.Today(*r.PublishedAt).String()
	}
	return row, true
}

// splitAgencies separates supervising offices (agencies with children) from the others.
func splitAgencies(all []models.Agency) (offices, agencies []models.Agency) {
	parents := map[int64]bool{}
	for _, a := range all {
		if a.ParentID != nil {
			parents[*a.ParentID] = true
		}
	}
	for _, a := range all {
		if parents[a.ID] {
			offices = append(offices, a)
		} else {
			agencies = append(agencies, a)
		}
	}
	return offices, agencies
}

type publicReportBody struct {
	Agency, Title string
	Year          int
	PublishedAt   string
	JSONURL       string
	Report        template.HTML
}

// publicReportPage shows the newest publication of an agency's report for a year; the
// ".json" form answers the interchange document as it was published.
func (s *Server) publicReportPage(c echo.Context) error {
	yearText, asJSON := strings.CutSuffix(c.Param("year"), ".json")
	year, err := strconv.Atoi(yearText)
	if err != nil {
		return workflow.ErrNotFound("公开的报告")
	}
	ag, pub, err := s.publication(c, c.Param("code"), year)
	if err != nil {
		return err
	}
	if asJSON {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, []byte(pub.Content))
	}
	doc, err := report.Decode([]byte(pub.Content))
	if err != nil {
		return workflow.ErrInternal(err)
	}
	frag, err := render.Fragment(doc)
	if err != nil {
		return workflow.ErrInternal(err)
	}
	b := publicReportBody{Agency: ag.Name, Title: doc.Title, Year: year, Report: frag,
		PublishedAt: calendar.Today(pub.PublishedAt).String(), JSONURL: "/public/reports/" + ag.Code + "/" + yearText + ".json"}
	return s.renderPublic(c, http.StatusOK, "public_report", doc.Title, b)
}

// publication finds the newest published content of an agency's report for year.
func (s *Server) publication(c echo.Context, code string, year int) (*models.Agency, *models.Publication, error) {
	ctx := c.Request().Context()
	ag, err := s.store.AgencyByCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	for _, kind := range []string{models.KindAgency, models.KindGovernment} {
		r, err := s.store.ReportByAgencyYear(ctx, ag.ID, year, kind)
		if workflow.KindOf(err) == workflow.KindNotFound {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		pubs, err := s.store.Publications(ctx, r.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(pubs) > 0 {
			return ag, &pubs[len(pubs)-1], nil
		}
	}
	return nil, nil, workflow.ErrNotFound("公开的报告")
}

// renderPublic renders a portal page: the public layout, the demo banner, no user menu.
func (s *Server) renderPublic(c echo.Context, status int, name, title string, body any) error {
	c.Set(ctxPublic, true)
	return s.render(c, status, name, title, body)
}

const ctxPublic = "public_page"
