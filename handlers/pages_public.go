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
	g.GET("/public/reports/:code/:year/signoff", s.publicSignoffPage)
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
	BaseURL       string // the page of the newest publication
	SignoffURL    string
	Version       int // the publication shown, 1-based
	Latest        int // the number of publications
	Versions      []publicVersion
	Report        template.HTML
}

// publicReportPage shows the newest publication of an agency's report for a year, or an
// earlier one with ?version=N; the ".json" form answers the interchange document as it
// was published. Once a report has been corrected, the page lists every publication
// with its date, the reason of the correction and what changed (更正说明).
func (s *Server) publicReportPage(c echo.Context) error {
	yearText, asJSON := strings.CutSuffix(c.Param("year"), ".json")
	ch, err := s.choosePublication(c, yearText)
	if err != nil {
		return err
	}
	ag, r, pubs, n, pub, year := ch.agency, ch.report, ch.all, ch.n, ch.chosen, ch.year
	if asJSON {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, report.Indent([]byte(pub.Content)))
	}
	doc, err := report.Decode([]byte(pub.Content))
	if err != nil {
		return workflow.ErrInternal(err)
	}
	frag, err := render.Fragment(doc)
	if err != nil {
		return workflow.ErrInternal(err)
	}
	base := "/public/reports/" + ag.Code + "/" + yearText
	b := publicReportBody{Agency: ag.Name, Title: doc.Title, Year: year, Report: frag, Version: n, Latest: len(pubs),
		PublishedAt: calendar.Today(pub.PublishedAt).String(), JSONURL: base + ".json", BaseURL: base, SignoffURL: base + "/signoff"}
	if n != len(pubs) {
		b.JSONURL += "?version=" + strconv.Itoa(n)
		b.SignoffURL += "?version=" + strconv.Itoa(n)
	}
	if len(pubs) > 1 {
		if b.Versions, err = s.publicVersions(c, r, base, pubs, n); err != nil {
			return err
		}
	}
	return s.renderPublic(c, http.StatusOK, "public_report", doc.Title, b)
}

// versionParam is the publication asked for with ?version=N (1-based), by default the
// newest of count.
// chosenPublication is what a public page shows: the agency, its report of the year, every
// publication of it, and the one asked for with ?version=N (1-based; the newest by default).
type chosenPublication struct {
	agency *models.Agency
	report *models.Report
	all    []models.Publication
	n      int
	chosen *models.Publication
	year   int
}

// choosePublication reads the publication a public page of :code and yearText asks for;
// anything not published answers 404.
func (s *Server) choosePublication(c echo.Context, yearText string) (chosenPublication, error) {
	year, err := strconv.Atoi(yearText)
	if err != nil {
		return chosenPublication{}, workflow.ErrNotFound("公开的报告")
	}
	ag, r, pubs, err := s.publications(c, c.Param("code"), year)
	if err != nil {
		return chosenPublication{}, err
	}
	n, err := versionParam(c, len(pubs))
	if err != nil {
		return chosenPublication{}, err
	}
	return chosenPublication{agency: ag, report: r, all: pubs, n: n, chosen: &pubs[n-1], year: year}, nil
}

func versionParam(c echo.Context, count int) (int, error) {
	v := c.QueryParam("version")
	if v == "" {
		return count, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > count {
		return 0, workflow.ErrNotFound("该版本的报告")
	}
	return n, nil
}

// publications finds every published version of an agency's report for year, oldest first.
func (s *Server) publications(c echo.Context, code string, year int) (*models.Agency, *models.Report, []models.Publication, error) {
	ctx := c.Request().Context()
	ag, err := s.store.AgencyByCode(ctx, code)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, kind := range []string{models.KindAgency, models.KindGovernment} {
		r, err := s.store.ReportByAgencyYear(ctx, ag.ID, year, kind)
		if workflow.KindOf(err) == workflow.KindNotFound {
			continue
		} else if err != nil {
			return nil, nil, nil, err
		}
		pubs, err := s.store.Publications(ctx, r.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(pubs) > 0 {
			return ag, r, pubs, nil
		}
	}
	return nil, nil, nil, workflow.ErrNotFound("公开的报告")
}

// renderPublic renders a portal page: the public layout, the demo banner, no user menu.
func (s *Server) renderPublic(c echo.Context, status int, name, title string, body any) error {
	c.Set(ctxPublic, true)
	return s.render(c, status, name, title, body)
}

const ctxPublic = "public_page"
