package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/password"
	"qianfa/report"
	"qianfa/workflow"
)

type createAgencyRequest struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	ParentCode    string   `json:"parent_code"`
	Level         string   `json:"level"`
	ApprovalSteps []string `json:"approval_steps"`
}

func (s *Server) createAgency(c echo.Context) error {
	var req createAgencyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := agencyFromRequest(req)
	if err != nil {
		return err
	}
	if req.ParentCode != "" {
		parent, err := s.store.AgencyByCode(ctx, req.ParentCode)
		if err != nil {
			if workflow.KindOf(err) == workflow.KindNotFound {
				return workflow.ErrValidation("上级单位不存在", []any{problemDetail{Path: "parent_code", Message: "没有代码为 " + req.ParentCode + " 的单位"}})
			}
			return err
		}
		a.ParentID = &parent.ID
	}
	if err := s.store.CreateAgency(ctx, currentUser(c).AuditActor(), a); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewAgency(a))
}

// agencyFromRequest checks the fields of a new agency, reporting every problem at once.
func agencyFromRequest(req createAgencyRequest) (*models.Agency, error) {
	var problems []any
	bad := func(path, msg string) { problems = append(problems, problemDetail{Path: path, Message: msg}) }
	code, name := strings.TrimSpace(req.Code), strings.TrimSpace(req.Name)
	if code == "" || utf8.RuneCountInString(code) > 64 || strings.ContainsAny(code, " /?#%\\") {
		bad("code", "单位代码不能为空，不超过 64 个字符，且不能含空格或 / ? # % \\")
	}
	if name == "" || utf8.RuneCountInString(name) > 200 {
		bad("name", "单位名称不能为空，且不超过 200 个字符")
	}
	if req.Level != "" && !validLevel(req.Level) {
		bad("level", "单位层级应为 "+strings.Join(report.Levels, "、")+" 之一")
	}
	steps, msg := cleanSteps(req.ApprovalSteps)
	if msg != "" {
		bad("approval_steps", msg)
	}
	if problems != nil {
		return nil, workflow.ErrValidation("单位信息有误", problems)
	}
	return &models.Agency{Code: code, Name: name, Level: req.Level, ApprovalSteps: steps}, nil
}

func validLevel(l string) bool {
	for _, v := range report.Levels {
		if v == l {
			return true
		}
	}
	return false
}

// cleanSteps trims the leader steps; at most ten, each named.
func cleanSteps(in []string) (models.StepList, string) {
	if len(in) > 10 {
		return nil, "领导审批步骤最多 10 步"
	}
	var out models.StepList
	for _, st := range in {
		st = strings.TrimSpace(st)
		if st == "" || utf8.RuneCountInString(st) > 50 {
			return nil, "每个审批步骤都需要名称（不超过 50 个字符）"
		}
		out = append(out, st)
	}
	return out, ""
}

func (s *Server) listAgencies(c echo.Context) error {
	list, err := s.store.ListAgencies(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]agencyView, len(list))
	for i := range list {
		out[i] = viewAgency(&list[i])
	}
	return c.JSON(http.StatusOK, items[agencyView]{Items: out})
}

type createUserRequest struct {
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	AgencyID int64    `json:"agency_id"`
	Roles    []string `json:"roles"`
	Password string   `json:"password"`
}

func (s *Server) createUser(c echo.Context) error {
	var req createUserRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := NewUser(req.Username, req.Name, req.Email, req.AgencyID, req.Roles, req.Password)
	if err != nil {
		return err
	}
	if _, err := s.store.AgencyByID(ctx, u.AgencyID); err != nil {
		if workflow.KindOf(err) == workflow.KindNotFound {
			return workflow.ErrValidation("所属单位不存在", []any{problemDetail{Path: "agency_id", Message: "没有该单位"}})
		}
		return err
	}
	if err := s.store.CreateUser(ctx, currentUser(c).AuditActor(), u); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewUser(u))
}

// NewUser checks a new account's fields, reporting every problem at once, and hashes the
// password. The CLI's "user add" uses it too.
func NewUser(username, name, email string, agencyID int64, roles []string, pw string) (*models.User, error) {
	var problems []any
	bad := func(path, msg string) { problems = append(problems, problemDetail{Path: path, Message: msg}) }
	username = strings.TrimSpace(username)
	if !validUsername(username) {
		bad("username", "用户名须为 2–64 个字母、数字、点、下划线或连字符")
	}
	if name = strings.TrimSpace(name); utf8.RuneCountInString(name) > 100 {
		bad("name", "姓名不超过 100 个字符")
	}
	if name == "" {
		name = username
	}
	if email = strings.TrimSpace(email); email != "" && !validEmail(email) {
		bad("email", "电子邮箱格式不正确")
	}
	if agencyID <= 0 {
		bad("agency_id", "需要所属单位")
	}
	rl, msg := parseRoles(roles)
	if msg != "" {
		bad("roles", msg)
	}
	if err := password.Validate(pw); err != nil {
		bad("password", err.Error())
	}
	if problems != nil {
		return nil, workflow.ErrValidation("用户信息有误", problems)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return nil, workflow.ErrInternal(err)
	}
	return &models.User{Username: username, Name: name, Email: email, AgencyID: agencyID, Roles: rl,
		PasswordHash: hash, Active: true}, nil
}

func validUsername(u string) bool {
	if len(u) < 2 || len(u) > 64 {
		return false
	}
	for _, r := range u {
		ok := r == '.' || r == '_' || r == '-' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

func validEmail(e string) bool {
	at := strings.LastIndexByte(e, '@')
	return at > 0 && at < len(e)-1 && !strings.ContainsAny(e, " \r\n<>,;\"") && len(e) <= 254 &&
		strings.Contains(e[at:], ".")
}

func parseRoles(in []string) (models.RoleList, string) {
	if len(in) == 0 {
		return nil, "至少需要一个角色"
	}
	var out models.RoleList
	for _, name := range in {
		r, err := workflow.ParseRole(name)
		if err != nil {
			return nil, "未知角色 " + strconv.Quote(name)
		}
		if !out.Has(r) {
			out = append(out, r)
		}
	}
	return out, ""
}

func (s *Server) listUsers(c echo.Context) error {
	agencyID, err := int64Param(c, "agency_id")
	if err != nil {
		return err
	}
	list, err := s.store.ListUsers(c.Request().Context(), agencyID)
	if err != nil {
		return err
	}
	out := make([]userView, len(list))
	for i := range list {
		out[i] = viewUser(&list[i])
	}
	return c.JSON(http.StatusOK, items[userView]{Items: out})
}

type patchUserRequest struct {
	Name     *string   `json:"name"`
	Email    *string   `json:"email"`
	Roles    *[]string `json:"roles"`
	Active   *bool     `json:"active"`
	Password *string   `json:"password"`
}

func (s *Server) patchUser(c echo.Context) error {
	var req patchUserRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return workflow.ErrNotFound("用户")
	}
	ch, err := userChanges(req)
	if err != nil {
		return err
	}
	u, err := s.store.UpdateUser(c.Request().Context(), currentUser(c).AuditActor(), id, ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewUser(u))
}

func userChanges(req patchUserRequest) (models.UserChanges, error) {
	var ch models.UserChanges
	var problems []any
	bad := func(path, msg string) { problems = append(problems, problemDetail{Path: path, Message: msg}) }
	if req.Name != nil {
		n := strings.TrimSpace(*req.Name)
		if n == "" || utf8.RuneCountInString(n) > 100 {
			bad("name", "姓名不能为空，且不超过 100 个字符")
		}
		ch.Name = &n
	}
	if req.Email != nil {
		e := strings.TrimSpace(*req.Email)
		if e != "" && !validEmail(e) {
			bad("email", "电子邮箱格式不正确")
		}
		ch.Email = &e
	}
	if req.Roles != nil {
		rl, msg := parseRoles(*req.Roles)
		if msg != "" {
			bad("roles", msg)
		}
		ch.Roles = &rl
	}
	ch.Active = req.Active
	if req.Password != nil {
		if err := password.Validate(*req.Password); err != nil {
			bad("password", err.Error())
		} else {
			h, err := password.Hash(*req.Password)
			if err != nil {
				return ch, workflow.ErrInternal(err)
			}
			ch.PasswordHash = &h
		}
	}
	if problems != nil {
		return ch, workflow.ErrValidation("用户信息有误", problems)
	}
	return ch, nil
}
