package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

// adminRoutes registers the administration page and its forms (admins only).
func (s *Server) adminRoutes(in *echo.Group) {
	g := in.Group("/admin", requireRole(workflow.RoleAdmin))
	g.GET("", s.adminPage)
	g.GET("/outbox", s.outboxPage)
	g.POST("/agencies", s.adminAgencyCreate)
	g.POST("/agencies/:id/steps", s.adminAgencySteps)
	g.POST("/users", s.adminUserCreate)
	g.POST("/users/:id", s.adminUserUpdate)
}

type adminAgency struct {
	models.Agency
	Steps string // one step per line, as the form edits them
}

type adminBody struct {
	Agencies []adminAgency
	Users    []models.User
	Names    map[int64]string
	Roles    []workflow.Role
	Levels   []string
}

func (s *Server) adminPage(c echo.Context) error {
	ctx := c.Request().Context()
	agencies, err := s.store.ListAgencies(ctx)
	if err != nil {
		return err
	}
	users, err := s.store.ListUsers(ctx, 0)
	if err != nil {
		return err
	}
	b := adminBody{Users: users, Names: map[int64]string{}, Roles: workflow.Roles, Levels: report.Levels}
	for _, a := range agencies {
		b.Names[a.ID] = a.Name
		b.Agencies = append(b.Agencies, adminAgency{Agency: a, Steps: strings.Join(viewAgency(&a).ApprovalSteps, "\n")})
	}
	return s.render(c, http.StatusOK, "admin", "管理", b)
}

// lines splits a textarea into its non-empty lines.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// problemsText joins the details of a validation error for a flash message.
func problemsText(err error) string {
	we := domainError(err)
	parts := []string{we.Message}
	for _, d := range we.Details {
		if p, ok := d.(problemDetail); ok {
			parts = append(parts, p.Message)
		}
	}
	return strings.Join(parts, "：")
}

// adminFail turns a refused admin form into a flash message; other errors stay errors.
func (s *Server) adminFail(c echo.Context, err error) error {
	switch workflow.KindOf(err) {
	case workflow.KindValidation, workflow.KindConflict, workflow.KindBadRequest, workflow.KindNotFound:
		return s.redirectFlash(c, "/admin", "未保存："+problemsText(err))
	}
	return err
}

func (s *Server) adminAgencyCreate(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := agencyFromRequest(createAgencyRequest{Code: c.FormValue("code"), Name: c.FormValue("name"),
		Level: c.FormValue("level"), ApprovalSteps: lines(c.FormValue("approval_steps"))})
	if err != nil {
		return s.adminFail(c, err)
	}
	if code := strings.TrimSpace(c.FormValue("parent_code")); code != "" {
		parent, err := s.store.AgencyByCode(ctx, code)
		if err != nil {
			return s.adminFail(c, err)
		}
		a.ParentID = &parent.ID
	}
	if err := s.store.CreateAgency(ctx, currentUser(c).AuditActor(), a); err != nil {
		return s.adminFail(c, err)
	}
	return s.redirectFlash(c, "/admin", "已新建单位 "+a.Name)
}

func (s *Server) adminAgencySteps(c echo.Context) error {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	steps, msg := cleanSteps(lines(c.FormValue("approval_steps")))
	if msg != "" {
		return s.redirectFlash(c, "/admin", "未保存："+msg)
	}
	if err := s.store.UpdateAgencySteps(c.Request().Context(), currentUser(c).AuditActor(), id, steps); err != nil {
		return s.adminFail(c, err)
	}
	return s.redirectFlash(c, "/admin", "已更新审批步骤")
}

func (s *Server) adminUserCreate(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return workflow.ErrBadRequest("表单无法解析")
	}
	agencyID, _ := strconv.ParseInt(form.Get("agency_id"), 10, 64)
	u, err := NewUser(form.Get("username"), form.Get("name"), form.Get("email"), agencyID, form["roles"], form.Get("password"))
	if err != nil {
		return s.adminFail(c, err)
	}
	if _, err := s.store.AgencyByID(ctx, u.AgencyID); err != nil {
		return s.adminFail(c, err)
	}
	if err := s.store.CreateUser(ctx, currentUser(c).AuditActor(), u); err != nil {
		return s.adminFail(c, err)
	}
	return s.redirectFlash(c, "/admin", "已新建用户 "+u.Username)
}

// adminUserUpdate applies one of the user forms: roles, a new password, or (de)activation.
func (s *Server) adminUserUpdate(c echo.Context) error {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	form, err := c.FormParams()
	if err != nil {
		return workflow.ErrBadRequest("表单无法解析")
	}
	var req patchUserRequest
	switch form.Get("op") {
	case "roles":
		roles := form["roles"]
		req.Roles = &roles
	case "password":
		pw := form.Get("password")
		req.Password = &pw
	case "deactivate", "activate":
		active := form.Get("op") == "activate"
		req.Active = &active
	default:
		return workflow.ErrBadRequest("未知的操作")
	}
	ch, err := userChanges(req)
	if err != nil {
		return s.adminFail(c, err)
	}
	u, err := s.store.UpdateUser(c.Request().Context(), currentUser(c).AuditActor(), id, ch)
	if err != nil {
		return s.adminFail(c, err)
	}
	return s.redirectFlash(c, "/admin", "已更新用户 "+u.Username)
}
