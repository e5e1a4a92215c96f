package handlers

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/audit"
	"qianfa/export"
	"qianfa/models"
	"qianfa/report"
	"qianfa/report/render"
	"qianfa/workflow"
)

// exporters produce a report's file in one format: its bytes and media type.
var exporters = map[string]func(doc *report.Document) ([]byte, string, error){
	"json": func(doc *report.Document) ([]byte, string, error) {
		b, err := doc.Encode()
		return b, echo.MIMEApplicationJSON, err
	},
	"html": func(doc *report.Document) ([]byte, string, error) {
		var buf bytes.Buffer
		err := render.Page(&buf, doc, render.PageOptions{})
		return buf.Bytes(), echo.MIMETextHTMLCharsetUTF8, err
	},
	"xlsx": func(doc *report.Document) ([]byte, string, error) {
		b, err := export.XLSX(doc)
		return b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", err
	},
	"docx": func(doc *report.Document) ([]byte, string, error) {
		b, err := export.DOCX(doc)
		return b, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", err
	},
}

// export answers the report in the asked format; every export is audited.
func (s *Server) export(c echo.Context) error {
	r, _, err := s.reportParam(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	produce, ok := exporters[format]
	if !ok {
		return workflow.ErrBadRequest("不支持的导出格式 %q", format)
	}
	_, doc, err := storedFindings(r)
	if err != nil {
		return err
	}
	body, mediaType, err := produce(doc)
	if err != nil {
		return workflow.ErrInternal(err)
	}
	u := currentUser(c)
	ev := &audit.Event{ActorID: u.ID, ActorUsername: u.Username, Action: models.ActionExport,
		AgencyID: r.AgencyID, ReportID: r.ID, Revision: r.Revision, Data: fmt.Sprintf(`{"format":%q}`, format)}
	if err := s.store.AppendAudit(c.Request().Context(), ev); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="report-%d-%d.%s"`, r.ID, r.Year, format))
	return c.Blob(http.StatusOK, mediaType, body)
}
