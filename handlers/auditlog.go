package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/export"
	"qianfa/models"
	"qianfa/workflow"
)

func (s *Server) reportAudit(c echo.Context) error {
	r, _, err := s.reportParam(c)
	if err != nil {
		return err
	}
	events, err := s.store.ListAudit(c.Request().Context(), models.AuditFilter{ReportID: r.ID, Limit: 100000})
	if err != nil {
		return err
	}
	return s.writeAudit(c, events)
}

// listAudit serves the filtered log: auditors and admins; a supervisor sees its region.
func (s *Server) listAudit(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	f := models.AuditFilter{ActorUsername: c.QueryParam("actor"), Action: c.QueryParam("action"), Limit: 100000}
	var err error
	if f.ReportID, err = int64Param(c, "report_id"); err != nil {
		return err
	}
	if f.From, err = timeParam(c, "from", false); err != nil {
		return err
	}
	if f.To, err = timeParam(c, "to", true); err != nil {
		return err
	}
	if f.AgencyIDs, err = s.scope(ctx, u); err != nil {
		return err
	}
	if f.ReportID != 0 {
		if _, _, err := s.visibleReport(ctx, u, f.ReportID); err != nil {
			return err
		}
	}
	events, err := s.store.ListAudit(ctx, f)
	if err != nil {
		return err
	}
	return s.writeAudit(c, events)
}

// writeAudit answers JSON, or CSV when the client accepts text/csv.
func (s *Server) writeAudit(c echo.Context, events []audit.Event) error {
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv") {
		return writeAuditCSV(c, events)
	}
	out := make([]auditView, len(events))
	for i, e := range events {
		out[i] = viewAudit(e)
	}
	return c.JSON(http.StatusOK, items[auditView]{Items: out})
}

func writeAuditCSV(c echo.Context, events []audit.Event) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="audit.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	if err := export.WriteBOM(c.Response()); err != nil {
		return err
	}
	w := export.NewCSVWriter(c.Response())
	_ = w.Write([]string{"seq", "at", "actor_id", "actor", "action", "report_id", "from_state", "to_state", "comment", "revision", "prev_hash", "hash"})
	for _, e := range events {
		_ = w.Write([]string{
			strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(e.ActorID, 10),
			e.ActorUsername, e.Action, strconv.FormatInt(e.ReportID, 10), e.FromState, e.ToState,
			e.Comment, strconv.Itoa(e.Revision), e.PrevHash, e.Hash,
		})
	}
	return w.Flush()
}

func (s *Server) verifyAudit(c echo.Context) error {
	res, err := s.store.VerifyAudit(c.Request().Context(), s.opt.AuditKey)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// timeParam accepts a date (Asia/Shanghai; an end date includes the whole day) or an
// RFC 3339 time.
func timeParam(c echo.Context, name string, end bool) (time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, workflow.ErrBadRequest("参数 %s 应为 YYYY-MM-DD 或 RFC 3339 时间", name)
	}
	if end {
		d = d.AddDays(1)
	}
	return d.In(calendar.Location()), nil
}
