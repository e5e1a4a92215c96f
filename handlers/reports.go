package handlers

import (
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

// firstReportYear is the first year of the national format's editions (2019 edition).
const firstReportYear = 2019

type createReportRequest struct {
	Year     int    `json:"year"`
	Edition  string `json:"edition"`
	AgencyID int64  `json:"agency_id"`
	Kind     string `json:"kind"`
	// FromPrevious pre-fills the draft from last year's published report (extension).
	FromPrevious bool `json:"from_previous"`
}

func (s *Server) createReport(c echo.Context) error {
	var req createReportRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u := currentUser(c)
	ag, err := s.targetAgency(c, u, req.AgencyID)
	if err != nil {
		return err
	}
	ed, err := s.editionFor(req.Year, req.Edition)
	if err != nil {
		return err
	}
	kind := req.Kind
	if kind == "" {
		kind = models.KindAgency
	}
	if kind != models.KindAgency && kind != models.KindGovernment {
		return workflow.ErrBadRequest("kind 应为 agency 或 government")
	}
	doc, carried := report.New(ed, req.Year, ag.Name, agencyLevel(ag)), ""
	if req.FromPrevious {
		if doc, carried, err = s.startFromPrevious(c.Request().Context(), ag, req.Year, kind); err != nil {
			return err
		}
	}
	doc.Title = reportTitle(ag.Name, req.Year, kind)
	return s.storeNewReport(c, u, ag, kind, doc, carried)
}

// storeNewReport checks and stores a new draft and answers 201 with it.
func (s *Server) storeNewReport(c echo.Context, u *models.User, ag *models.Agency, kind string, doc *report.Document, carried string) error {
	ck, err := s.checkDocument(doc)
	if err != nil {
		return err
	}
	r := &models.Report{AgencyID: ag.ID, Year: doc.Year, Kind: kind, Edition: string(doc.Edition),
		Content: ck.json, ErrorCount: ck.errors, WarningCount: ck.warnings, Carried: carried}
	if err := s.store.CreateReport(c.Request().Context(), u.AuditActor(), r); err != nil {
		return err
	}
	return replyReport(c, http.StatusCreated, s.fullView(r, ag, ck.findings))
}

// targetAgency is the agency a drafter acts for: their own; an admin may name any.
func (s *Server) targetAgency(c echo.Context, u *models.User, agencyID int64) (*models.Agency, error) {
	ctx := c.Request().Context()
	if !u.Roles.Has(workflow.RoleDrafter) && !u.Roles.Has(workflow.RoleAdmin) {
		return nil, workflow.ErrForbidden("只有经办人或管理员可以新建报告")
	}
	if agencyID == 0 || agencyID == u.AgencyID {
		return s.store.AgencyByID(ctx, u.AgencyID)
	}
	if !u.Roles.Has(workflow.RoleAdmin) {
		return nil, workflow.ErrNotFound("单位")
	}
	return s.store.AgencyByID(ctx, agencyID)
}

// editionFor checks the year and the edition asked for (rule ED-R1): years up to 2020
// use the 2019 edition, 2021 on the 2021 edition. An empty edition is derived.
func (s *Server) editionFor(year int, edition string) (report.Edition, error) {
	thisYear := calendar.Today(s.now()).Year
	if year < firstReportYear || year > thisYear {
		return "", workflow.ErrValidation("年度无效", []any{problemDetail{Path: "year",
			Message: "年度应在 " + strconv.Itoa(firstReportYear) + "–" + strconv.Itoa(thisYear) + " 之间（2019年以前的报告不适用现行格式）"}})
	}
	want := report.EditionForYear(year)
	if edition != "" && report.Edition(edition) != want {
		return "", workflow.ErrValidation("格式版本与年度不符", []any{problemDetail{Path: "edition",
			Message: strconv.Itoa(year) + "年度报告应使用" + string(want) + "年版格式（ED-R1）"}})
	}
	return want, nil
}

// agencyLevel is the agency's level for rule T2-LVL; agencies created without one are
// county-level departments, the most common reporting unit.
func agencyLevel(ag *models.Agency) string {
	if ag.Level == "" {
		return "county_department"
	}
	return ag.Level
}

func (s *Server) listReports(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	ids, err := s.scope(ctx, u)
	if err != nil {
		return err
	}
	f := models.ReportFilter{AgencyIDs: ids, Kind: c.QueryParam("kind")}
	if f.Year, err = intParam(c, "year"); err != nil {
		return err
	}
	if st := c.QueryParam("state"); st != "" {
		if f.State, err = workflow.ParseState(st); err != nil {
			return err
		}
	}
	agencyID, err := int64Param(c, "agency_id")
	if err != nil {
		return err
	}
	if agencyID != 0 {
		if ok, err := s.canSee(ctx, u, agencyID); err != nil {
			return err
		} else if !ok {
			f.AgencyIDs = []int64{}
		} else {
			f.AgencyIDs = []int64{agencyID}
		}
	}
	list, err := s.store.ListReports(ctx, f)
	if err != nil {
		return err
	}
	agencies, err := s.agenciesByID(ctx, reportAgencyIDs(list))
	if err != nil {
		return err
	}
	out := make([]reportView, 0, len(list))
	for i := range list {
		out = append(out, s.listItemView(&list[i], agencies[list[i].AgencyID]))
	}
	return c.JSON(http.StatusOK, items[reportView]{Items: out})
}

func (s *Server) getReport(c echo.Context) error {
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	_, doc, err := storedFindings(r)
	if err != nil {
		return err
	}
	return replyReport(c, http.StatusOK, s.fullView(r, ag, s.fullFindings(c.Request().Context(), r, doc)))
}

// reportParam loads the report named by the :id path parameter, within the caller's scope.
func (s *Server) reportParam(c echo.Context) (*models.Report, *models.Agency, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, workflow.ErrNotFound("报告")
	}
	u := currentUser(c)
	if r, ag, ok := takeReadReport(c, id); ok {
		return s.inScope(c.Request().Context(), u, r, ag)
	}
	return s.visibleReport(c.Request().Context(), u, id)
}

type contentRequest struct {
	Version int64           `json:"version"`
	Content jsonRawRequired `json:"content"`
	// CarryReasons explains changes to values carried over from last year (extension).
	CarryReasons map[string]string `json:"carry_reasons"`
}

func (s *Server) saveContent(c echo.Context) error {
	var req contentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Version <= 0 || len(req.Content) == 0 {
		return workflow.ErrBadRequest("需要 version 和 content")
	}
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if !u.Roles.Has(workflow.RoleDrafter) || u.AgencyID != r.AgencyID {
		return workflow.ErrForbidden("只有本单位经办人可以修改报告内容")
	}
	doc, err := decodeDocument(req.Content)
	if err != nil {
		return err
	}
	if doc.Year != r.Year || string(doc.Edition) != r.Edition {
		return workflow.ErrValidation("报告的年度和格式版本不可更改", []any{problemDetail{Path: "year",
			Message: "本报告为 " + strconv.Itoa(r.Year) + " 年度、" + r.Edition + " 年版格式"}})
	}
	carried, err := reconcileCarried(r.Carried, doc, req.CarryReasons)
	if err != nil {
		return err
	}
	ck, err := s.checkDocument(doc)
	if err != nil {
		return err
	}
	saved, err := s.store.SaveContentFrom(c.Request().Context(), u.AuditActor(), r, req.Version, ck.json, ck.errors, ck.warnings,
		models.WithCarried(carried))
	if err != nil {
		return err
	}
	return replyReport(c, http.StatusOK, s.fullView(saved, ag, s.fullFindingsOf(c.Request().Context(), saved, doc, ck.findings)))
}

type transitionRequest struct {
	Action   string `json:"action"`
	Version  int64  `json:"version"`
	Comment  string `json:"comment"`
	Password string `json:"password"`
}

func (s *Server) transition(c echo.Context) error {
	var req transitionRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	action, err := workflow.ParseAction(req.Action)
	if err != nil {
		return err
	}
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	wreq := workflow.Request{Action: action, Version: req.Version, Comment: req.Comment}
	if err := s.checkReauthBounded(c, u, r, ag, &wreq, req.Password); err != nil {
		s.metrics.transitions.WithLabelValues(string(action), workflow.CodeOf(err)).Inc()
		return err
	}
	ctx := c.Request().Context()
	opt := workflow.Options{RequireReauth: s.opt.RequireReauth}
	updated, _, err := s.store.TransitionFrom(ctx, r, ag.ApprovalSteps, u.Actor(), u.Username, wreq, opt, s.now())
	if err != nil {
		s.metrics.transitions.WithLabelValues(string(action), workflow.CodeOf(err)).Inc()
		return s.withFindings(err, r)
	}
	s.metrics.transitions.WithLabelValues(string(action), "ok").Inc()
	if updated.Version == r.Version+1 {
		// The transaction moved the version r was read at: r.Content is the content
		// of that version, and a transition never changes the content.
		updated.Content = r.Content
	} else if updated, err = s.store.ReportByID(ctx, r.ID); err != nil {
		return err
	}
	fs, err := cachedFindings(updated)
	if err != nil {
		return err
	}
	return replyReport(c, http.StatusOK, s.fullView(updated, ag, fs))
}

// checkReauth verifies the password on the last leader step. A wrong password is
// audited on the report's chain and answers 403 reauth_failed.
func (s *Server) checkReauth(c echo.Context, u *models.User, r *models.Report, ag *models.Agency, req *workflow.Request, pw string) error {
	wr := workflow.Report{State: r.State, Step: r.Step, Steps: ag.ApprovalSteps}
	if !workflow.NeedsReauth(wr, *req, workflow.Options{RequireReauth: s.opt.RequireReauth}) {
		return nil
	}
	if pw == "" {
		return workflow.ErrReauthFailed()
	}
	ctx := c.Request().Context()
	// A wrong sign-off password counts with the failed logins of the same username, so
	// a stolen session does not become an unlimited password oracle.
	n, err := s.store.CountLoginFailures(ctx, u.Username, s.now().Add(-s.opt.LoginFailureWindow))
	if err != nil {
		return err
	}
	if n >= int64(s.opt.LoginFailureLimit) {
		return workflow.ErrRateLimited()
	}
	if !s.reauthenticate(u, pw) {
		if err := s.store.RecordLoginFailure(ctx, u.Username, c.RealIP(), s.now()); err != nil {
			return err
		}
		if err := s.store.AuditReauthFailure(ctx, r.ID, u.AuditActor(), "签发时密码错误", s.now()); err != nil {
			return err
		}
		return workflow.ErrReauthFailed()
	}
	req.Reauthenticated = true
	return nil
}

// withFindings attaches the blocking findings to a refused submit.
func (s *Server) withFindings(err error, r *models.Report) error {
	if workflow.CodeOf(err) != workflow.CodeValidation {
		return err
	}
	fs, _, ferr := storedFindings(r)
	if ferr != nil {
		return err
	}
	return workflow.ErrValidation("报告存在错误级问题，不能提交", errorFindings(fs))
}

func (s *Server) importReport(c echo.Context) error {
	data, err := readBody(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	agencyID, err := int64Param(c, "agency_id")
	if err != nil {
		return err
	}
	ag, err := s.targetAgency(c, u, agencyID)
	if err != nil {
		return err
	}
	doc, err := decodeDocument(data)
	if err != nil {
		return err
	}
	if _, err := s.editionFor(doc.Year, string(doc.Edition)); err != nil {
		return err
	}
	return s.storeNewReport(c, u, ag, models.KindAgency, doc, "")
}

func (s *Server) validate(c echo.Context) error {
	data, err := readBody(c)
	if err != nil {
		return err
	}
	doc, err := decodeDocument(data)
	if err != nil {
		return err
	}
	ck, err := s.checkDocument(doc)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"findings": nonNil(ck.findings)})
}

func readBody(c echo.Context) ([]byte, error) {
	data, err := io.ReadAll(c.Request().Body)
	if err != nil {
		if isTooLarge(err) {
			return nil, workflow.ErrTooLarge()
		}
		return nil, workflow.ErrBadRequest("无法读取请求体")
	}
	if len(data) == 0 {
		return nil, workflow.ErrBadRequest("请求体为空")
	}
	return data, nil
}

func intParam(c echo.Context, name string) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, workflow.ErrBadRequest("参数 %s 应为整数", name)
	}
	return n, nil
}

func int64Param(c echo.Context, name string) (int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, workflow.ErrBadRequest("参数 %s 应为正整数", name)
	}
	return n, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
