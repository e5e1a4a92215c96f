package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/handlers/openapi"
	w "qianfa/workflow"
)

// apiRoutes registers the REST API of contract/api.md.
func (s *Server) apiRoutes(e *echo.Echo) {
	e.GET("/api/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapi.Spec())
	})
	api := e.Group("/api/v1", requireJSON, s.authenticate)
	api.POST("/auth/login", s.apiLogin)

	in := api.Group("", s.requireUser)
	in.POST("/auth/logout", s.apiLogout)
	in.GET("/me", s.me)

	in.POST("/reports", s.createReport)
	in.GET("/reports", s.listReports)
	in.POST("/reports/import", s.importReport)
	in.GET("/reports/:id", s.getReport)
	in.PUT("/reports/:id/content", s.saveContent)
	in.POST("/reports/:id/transitions", s.transition)
	in.GET("/reports/:id/revisions", s.listRevisions)
	in.GET("/reports/:id/revisions/:n", s.getRevision)
	in.GET("/reports/:id/diff", s.diff)
	in.GET("/reports/:id/audit", s.reportAudit)
	in.GET("/reports/:id/export", s.export)
	in.POST("/validate", s.validate)

	in.GET("/audit", s.listAudit, requireRole(w.RoleAuditor, w.RoleAdmin, w.RoleSupervisor))
	in.GET("/audit/verify", s.verifyAudit, requireRole(w.RoleAuditor, w.RoleAdmin))

	admin := in.Group("", requireRole(w.RoleAdmin))
	admin.POST("/agencies", s.createAgency)
	admin.GET("/agencies", s.listAgencies)
	admin.POST("/users", s.createUser)
	admin.GET("/users", s.listUsers)
	admin.PATCH("/users/:id", s.patchUser)
}
