package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/rollup"
	"qianfa/workflow"
)

// rollupSources collects the region's agency reports of year: the published version, or
// with source=latest the current content (which may still change).
func (s *Server) rollupSources(ctx context.Context, office *models.Agency, year int, source string) ([]rollup.Source, error) {
	if source != "" && source != "published" && source != "latest" {
		return nil, workflow.ErrBadRequest("source 应为 published 或 latest")
	}
	_, list, err := s.regionReports(ctx, office, year)
	if err != nil {
		return nil, err
	}
	agencies, err := s.agenciesByID(ctx, reportAgencyIDs(list))
	if err != nil {
		return nil, err
	}
	var out []rollup.Source
	for _, r := range list {
		content, err := s.rollupContent(ctx, r.ID, source)
		if err != nil || content == "" {
			if err != nil {
				return nil, err
			}
			continue
		}
		doc, err := report.Decode([]byte(content))
		if err != nil {
			return nil, workflow.ErrInternal(err)
		}
		ag := agencies[r.AgencyID]
		out = append(out, rollup.Source{AgencyID: ag.ID, Agency: ag.Name, Doc: doc})
	}
	return out, nil
}

// rollupContent is the content a report contributes, "" when it has none to give.
func (s *Server) rollupContent(ctx context.Context, reportID int64, source string) (string, error) {
	if source == "latest" {
		r, err := s.store.ReportByID(ctx, reportID)
		if err != nil {
			return "", err
		}
		return r.Content, nil
	}
	pubs, err := s.store.Publications(ctx, reportID)
	if err != nil || len(pubs) == 0 {
		return "", err
	}
	return pubs[len(pubs)-1].Content, nil
}

func (s *Server) rollup(c echo.Context) error {
	office, err := s.office(c)
	if err != nil {
		return err
	}
	year, err := s.reportYear(c)
	if err != nil {
		return err
	}
	sources, err := s.rollupSources(c.Request().Context(), office, year, c.QueryParam("source"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rollup.Combine(year, sources))
}

type rollupReportRequest struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
}

// rollupReport starts the government's own report (kind government, due 31 March) from
// the combined tables; it then goes through the same workflow as any report.
func (s *Server) rollupReport(c echo.Context) error {
	var req rollupReportRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u := currentUser(c)
	if !u.Roles.Has(workflow.RoleSupervisor) && !u.Roles.Has(workflow.RoleDrafter) {
		return workflow.ErrForbidden("只有政务公开办或其经办人可以生成本级政府年度报告")
	}
	ctx := c.Request().Context()
	office, err := s.store.AgencyByID(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	if children, err := s.store.ChildAgencies(ctx, office.ID); err != nil {
		return err
	} else if len(children) == 0 {
		return workflow.ErrForbidden("只有主管部门（其下有所属单位）可以生成本级政府年度报告")
	}
	ed, err := s.editionFor(req.Year, "")
	if err != nil {
		return err
	}
	sources, err := s.rollupSources(ctx, office, req.Year, req.Source)
	if err != nil {
		return err
	}
	doc := report.New(ed, req.Year, office.Name, agencyLevel(office))
	doc.Title = reportTitle(office.Name, req.Year, models.KindGovernment)
	if err := rollup.Apply(doc, rollup.Combine(req.Year, sources)); err != nil {
		return workflow.ErrInternal(err)
	}
	return s.storeNewReport(c, u, office, models.KindGovernment, doc, "")
}
