package handlers

import (
	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
)

// createDraft checks and stores a new draft, as storeNewReport does for the API, and
// returns it for the page to open.
func (s *Server) createDraft(c echo.Context, u *models.User, ag *models.Agency, kind string, doc *report.Document, carried string) (*models.Report, error) {
	ck, err := s.checkDocument(doc)
	if err != nil {
		return nil, err
	}
	r := &models.Report{AgencyID: ag.ID, Year: doc.Year, Kind: kind, Edition: string(doc.Edition),
		Content: ck.json, ErrorCount: ck.errors, WarningCount: ck.warnings, Carried: carried}
	if err := s.store.CreateReport(c.Request().Context(), u.AuditActor(), r); err != nil {
		return nil, err
	}
	return r, nil
}
