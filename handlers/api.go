package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/handlers/openapi"
	w "qianfa/workflow"
)

// apiRoutes registers the REST API of contract/api.md. Middleware is attached per route,
// not per group: an Echo group with middleware would also answer unknown paths under its
// prefix with that middleware's error instead of 404.
func (s *Server) apiRoutes(e *echo.Echo) {
	e.GET("/api/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapi.Spec())
	})
	open := []echo.MiddlewareFunc{requireJSON, s.authenticate}
	in := append(open, s.requireUser)
	role := func(roles ...w.Role) []echo.MiddlewareFunc {
		return append(append([]echo.MiddlewareFunc(nil), in...), requireRole(roles...))
	}
	const v1 = "/api/v1"
	e.POST(v1+"/auth/login", s.apiLogin, open...)
	e.POST(v1+"/auth/logout", s.apiLogout, in...)
	e.GET(v1+"/me", s.me, in...)

	e.POST(v1+"/reports", s.createReport, in...)
	e.GET(v1+"/reports", s.listReports, in...)
	e.POST(v1+"/reports/import", s.importReport, in...)
	e.GET(v1+"/reports/:id", s.getReport, in...)
	e.PUT(v1+"/reports/:id/content", s.saveContent, in...)
	e.POST(v1+"/reports/:id/transitions", s.transition, in...)
	e.GET(v1+"/reports/:id/revisions", s.listRevisions, in...)
	e.GET(v1+"/reports/:id/revisions/:n", s.getRevision, in...)
	e.GET(v1+"/reports/:id/diff", s.diff, in...)
	e.GET(v1+"/reports/:id/audit", s.reportAudit, in...)
	e.GET(v1+"/reports/:id/export", s.export, in...)
	e.POST(v1+"/validate", s.validate, in...)

	e.GET(v1+"/audit", s.listAudit, role(w.RoleAuditor, w.RoleAdmin, w.RoleSupervisor)...)
	e.GET(v1+"/audit/verify", s.verifyAudit, role(w.RoleAuditor, w.RoleAdmin)...)

	supervision := role(w.RoleSupervisor, w.RoleAdmin)
	e.GET(v1+"/dashboard", s.dashboard, supervision...)
	e.GET(v1+"/rollup", s.rollup, supervision...)
	e.POST(v1+"/rollup/report", s.rollupReport, in...)

	admin := role(w.RoleAdmin)
	e.POST(v1+"/agencies", s.createAgency, admin...)
	e.GET(v1+"/agencies", s.listAgencies, admin...)
	e.POST(v1+"/users", s.createUser, admin...)
	e.GET(v1+"/users", s.listUsers, admin...)
	e.PATCH(v1+"/users/:id", s.patchUser, admin...)

	e.GET(v1+"/notifications", s.listNotifications, in...)
	e.POST(v1+"/notifications/read", s.markNotificationsRead, in...)
	e.GET(v1+"/outbox", s.listOutbox, admin...)
	e.GET(v1+"/reminders/preview", s.previewReminders, admin...)
	e.GET(v1+"/calendar/overrides", s.listCalendarOverrides, admin...)
	e.PUT(v1+"/calendar/overrides/:date", s.putCalendarOverride, admin...)
	e.DELETE(v1+"/calendar/overrides/:date", s.deleteCalendarOverride, admin...)
	s.metrics.RegisterOutbox(s.failedOutbox)
}
