package handlers

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/report/render"
	"qianfa/workflow"
)

// reviewBody is the report as it will be published, with what the signed-in user may do.
type reviewBody struct {
	ID          int64
	Row         reportRow
	Step        string
	Version     int64
	Report      template.HTML
	Warnings    []check.Finding
	Diff        *diffBody
	Comments    []commentView
	Actions     []actionButton
	NeedsReauth bool
	NeedsNote   bool // a comment box is useful: the user may approve or return
	NoteLabel   string
	CanEdit     bool
	CarriedFrom int
	Overrides   []carriedOverride // carried cells the drafter changed, with the reasons
	PublicURL   string            // the public page and the sign-off record, once published
}

// actionButton is one workflow action the user may take now.
type actionButton struct {
	Action  workflow.Action
	Label   string
	Primary bool
}

// diffBody lists what changed since the revision the user last reviewed.
type diffBody struct {
	From, To int
	Changes  []conflictChange
}

func (s *Server) reviewPage(c echo.Context) error {
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	_, doc, err := storedFindings(r)
	if err != nil {
		return err
	}
	fs := s.fullFindings(c.Request().Context(), r, doc)
	frag, err := render.Fragment(doc)
	if err != nil {
		return workflow.ErrInternal(err)
	}
	u := currentUser(c)
	b := reviewBody{ID: r.ID, Row: s.reportRow(u, r, ag), Version: r.Version, Report: frag, Warnings: fs}
	b.CarriedFrom, b.Overrides = carriedOverrides(r.Carried, doc)
	if r.PublishedAt != nil {
		b.PublicURL = "/public/reports/" + ag.Code + "/" + strconv.Itoa(r.Year)
	}
	if r.State == workflow.InApproval {
		b.Step = holderText(r, ag)
	}
	if err := s.fillReview(c, &b, r, ag, u); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "review", doc.Title, b)
}

// fillReview adds the actions, the diff and the comments.
func (s *Server) fillReview(c echo.Context, b *reviewBody, r *models.Report, ag *models.Agency, u *models.User) error {
	ctx := c.Request().Context()
	wr, err := s.workflowReport(ctx, r, ag)
	if err != nil {
		return err
	}
	b.Actions = availableActions(wr, u, s.now(), s.opt.RequireReauth)
	b.NoteLabel = "意见（退回时必填）"
	for _, a := range b.Actions {
		switch a.Action {
		case workflow.Return:
			b.NeedsNote = true
		case workflow.Correct:
			b.NeedsNote, b.NoteLabel = true, "更正原因（更正时必填，将在公开页面的更正说明中公布）"
		}
	}
	b.NeedsReauth = workflow.NeedsReauth(wr, workflow.Request{Action: workflow.Approve}, workflow.Options{RequireReauth: s.opt.RequireReauth})
	b.CanEdit = r.State == workflow.Draft && u.Roles.Has(workflow.RoleDrafter) && u.AgencyID == r.AgencyID
	if b.Comments, err = s.reportComments(c, r.ID); err != nil {
		return err
	}
	if u.Roles.Has(workflow.RoleReviewer) || u.Roles.Has(workflow.RoleLeader) {
		b.Diff, err = s.reviewDiff(ctx, r, u)
	}
	return err
}

// workflowReport is what workflow.Decide needs about r, as the store builds it.
func (s *Server) workflowReport(ctx context.Context, r *models.Report, ag *models.Agency) (workflow.Report, error) {
	wr := workflow.Report{ID: r.ID, AgencyID: r.AgencyID, State: r.State, Version: r.Version, Step: r.Step,
		Steps: ag.ApprovalSteps, Revision: r.Revision, ErrorFindings: r.ErrorCount}
	if r.SubmittedBy != nil {
		wr.SubmittedBy = *r.SubmittedBy
	}
	approvals, err := s.store.Approvals(ctx, r.ID)
	if err != nil {
		return wr, err
	}
	for _, a := range approvals {
		if a.Revision == r.Revision {
			wr.Approvals = append(wr.Approvals, workflow.Approval{Step: a.Step, UserID: a.UserID, At: a.CreatedAt.UTC()})
		}
	}
	return wr, nil
}

// availableActions asks the workflow which actions u may take now; the buttons only
// mirror it, the POST is decided again.
func availableActions(wr workflow.Report, u *models.User, now time.Time, reauth bool) []actionButton {
	var out []actionButton
	for _, a := range []workflow.Action{workflow.Approve, workflow.Publish, workflow.Submit, workflow.Return, workflow.Withdraw, workflow.Correct} {
		req := workflow.Request{Action: a, Version: wr.Version, Comment: "-", Reauthenticated: true}
		if _, err := workflow.Decide(wr, u.Actor(), req, now, workflow.Options{RequireReauth: reauth}); err == nil {
			out = append(out, actionButton{Action: a, Label: a.Label(), Primary: a != workflow.Return && a != workflow.Withdraw && a != workflow.Correct})
		}
	}
	return out
}

// reviewDiff compares the revision u last reviewed with the newest one.
func (s *Server) reviewDiff(ctx context.Context, r *models.Report, u *models.User) (*diffBody, error) {
	from, err := s.lastReviewed(ctx, r.ID, u)
	if err != nil || from == 0 || from >= r.Revision {
		return nil, err
	}
	a, err := s.revisionDocument(ctx, r, from)
	if err != nil {
		return nil, err
	}
	b, err := s.revisionDocument(ctx, r, r.Revision)
	if err != nil {
		return nil, err
	}
	d := &diffBody{From: from, To: r.Revision}
	for _, ch := range report.Diff(a, b) {
		d.Changes = append(d.Changes, conflictChange{Label: pathLabel(b.Layout(), ch.Path), Theirs: changeText(ch.From), Mine: changeText(ch.To)})
	}
	return d, nil
}

// transitionSubmit applies the button the user pressed, then shows the report again.
func (s *Server) transitionSubmit(c echo.Context) error {
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	action, err := workflow.ParseAction(c.FormValue("action"))
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	comment := strings.TrimSpace(c.FormValue("comment"))
	target := "/reports/" + itoa64(r.ID)
	if action == workflow.Return && comment == "" {
		return s.redirectFlash(c, target, "退回报告时必须填写意见")
	}
	if action == workflow.Correct && comment == "" {
		return s.redirectFlash(c, target, "更正已公开的报告时必须说明更正原因")
	}
	req := workflow.Request{Action: action, Version: version, Comment: comment}
	err = s.applyTransition(c, r, ag, req, c.FormValue("password"))
	if we := domainError(err); err != nil && we.Kind != workflow.KindInternal {
		return s.redirectFlash(c, target, "操作未完成："+we.Message)
	} else if err != nil {
		return err
	}
	return s.redirectFlash(c, target, "已"+action.Label()+"。")
}

// applyTransition checks the password where needed and stores the transition, as the
// API's transition does.
func (s *Server) applyTransition(c echo.Context, r *models.Report, ag *models.Agency, req workflow.Request, pw string) error {
	u := currentUser(c)
	if err := s.checkReauth(c, u, r, ag, &req, pw); err != nil {
		s.metrics.transitions.WithLabelValues(string(req.Action), workflow.CodeOf(err)).Inc()
		return err
	}
	opt := workflow.Options{RequireReauth: s.opt.RequireReauth}
	if _, _, err := s.store.TransitionFrom(c.Request().Context(), r, ag.ApprovalSteps, u.Actor(), u.Username, req, opt, s.now()); err != nil {
		s.metrics.transitions.WithLabelValues(string(req.Action), workflow.CodeOf(err)).Inc()
		return s.withFindings(err, r)
	}
	s.metrics.transitions.WithLabelValues(string(req.Action), "ok").Inc()
	return nil
}
