package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

// editorBody is the editor page: the report's fields, its findings and, after a save
// that lost a race, what the other save holds.
type editorBody struct {
	ID       int64
	Title    string
	Agency   string
	Year     int
	Edition  string
	Version  int64
	Parts    []editorPart
	Findings findingsView
	Conflict *conflictView
	Comments []commentView
	Carried  *carriedSummary
}

// findingsView is the live findings list and the submit button's state.
type findingsView struct {
	Items            []findingItem
	Errors, Warnings int
	Reason           string // why submitting is disabled; "" when it is allowed
	Sums             []gridSum
	ErrorCells       []string
	WarnCells        []string
}

type findingItem struct {
	Rule, Severity, Message, Focus string
}

// editable loads the report of the path for its drafter, while it is a draft.
func (s *Server) editable(c echo.Context) (*models.Report, *models.Agency, *report.Document, error) {
	r, ag, err := s.reportParam(c)
	if err != nil {
		return nil, nil, nil, err
	}
	u := currentUser(c)
	if !u.Roles.Has(workflow.RoleDrafter) || u.AgencyID != r.AgencyID {
		return nil, nil, nil, workflow.ErrForbidden("只有本单位经办人可以修改报告内容")
	}
	if r.State != workflow.Draft {
		return nil, nil, nil, workflow.ErrInvalidTransition(r.State, workflow.Submit)
	}
	_, doc, err := storedFindings(r)
	return r, ag, doc, err
}

func (s *Server) editorPage(c echo.Context) error {
	r, ag, doc, err := s.editable(c)
	if k := workflow.KindOf(err); k == workflow.KindForbidden || k == workflow.KindConflict {
		return c.Redirect(http.StatusSeeOther, "/reports/"+c.Param("id"))
	} else if err != nil {
		return err
	}
	return s.renderEditor(c, http.StatusOK, r, ag, doc, editorInput{}, nil)
}

// editorInput is what the drafter typed that the page shows again: the text of every
// cell (raw), the cells refused as numbers (bad), the reasons given for changed carried
// values and the carried cells still missing one.
type editorInput struct {
	raw, bad, reasons map[string]string
	missing           map[string]bool
}

// renderEditor shows doc with the drafter's input in.
func (s *Server) renderEditor(c echo.Context, status int, r *models.Report, ag *models.Agency, doc *report.Document,
	in editorInput, conflict *conflictView) error {
	fs := s.findingsWithInput(c, r, doc, in.bad)
	b := editorBody{ID: r.ID, Title: doc.Title, Agency: ag.Name, Year: r.Year, Edition: r.Edition, Version: r.Version,
		Parts: gridView(doc, in.raw, fs), Conflict: conflict}
	b.Carried = markCarried(b.Parts, viewCarried(r.Carried, doc), in.reasons, in.missing)
	b.Findings = findingsOf(doc, fs, b.Parts)
	var err error
	if b.Comments, err = s.reportComments(c, r.ID); err != nil {
		return err
	}
	return s.render(c, status, "editor", "编辑 "+doc.Title, b)
}

// findingsWithInput puts the refused cells first, as errors, before every finding people
// see: the rules, the narrative checks and the cross-year and copied-content warnings.
func (s *Server) findingsWithInput(c echo.Context, r *models.Report, doc *report.Document, bad map[string]string) []check.Finding {
	var fs []check.Finding
	for _, ref := range doc.Layout().Cells {
		if msg, ok := bad[ref.Path]; ok {
			fs = append(fs, check.Finding{Rule: "INPUT", Severity: check.Error, Cells: []string{ref.Path}, Message: msg})
		}
	}
	return append(fs, s.fullFindings(c.Request().Context(), r, doc)...)
}

func findingsOf(doc *report.Document, fs []check.Finding, parts []editorPart) findingsView {
	v := findingsView{Sums: allSums(parts)}
	errCells, warnCells := findingCells(fs)
	for _, f := range fs {
		it := findingItem{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message}
		if cell := ownCell(f.Cells); cell != "" {
			it.Focus = focusID(cell)
		}
		v.Items = append(v.Items, it)
	}
	v.Errors, v.Warnings = check.Counts(fs)
	for _, ref := range doc.Layout().Cells {
		if errCells[ref.Path] {
			v.ErrorCells = append(v.ErrorCells, cellID(ref.Path))
		} else if warnCells[ref.Path] {
			v.WarnCells = append(v.WarnCells, cellID(ref.Path))
		}
	}
	if v.Errors > 0 {
		v.Reason = "还有 " + strconv.Itoa(v.Errors) + " 个错误级问题，修正后才能提交"
	}
	return v
}

// editorCheck checks what the drafter has typed so far, without saving (htmx).
func (s *Server) editorCheck(c echo.Context) error {
	r, _, base, err := s.editable(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return workflow.ErrBadRequest("表单无法解析")
	}
	doc, raw, bad := formDocument(base, form)
	fs := s.findingsWithInput(c, r, doc, bad)
	return s.renderFragment(c, "editor", "check_response", findingsOf(doc, fs, gridView(doc, raw, fs)))
}

// editorSubmit saves the form; with op=submit it then submits the saved draft.
func (s *Server) editorSubmit(c echo.Context) error {
	r, ag, base, err := s.editable(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return workflow.ErrBadRequest("表单无法解析")
	}
	doc, raw, bad := formDocument(base, form)
	in := editorInput{raw: raw, bad: bad, reasons: carryReasons(form)}
	if len(bad) > 0 {
		c.Set(ctxFlashNow, "有 "+strconv.Itoa(len(bad))+" 个单元格不是有效数字，尚未保存")
		return s.renderEditor(c, http.StatusUnprocessableEntity, r, ag, doc, in, nil)
	}
	carried, err := reconcileCarried(r.Carried, doc, in.reasons)
	if workflow.KindOf(err) == workflow.KindValidation {
		in.missing = problemPaths(err)
		c.Set(ctxFlashNow, "修改了上年结转的数值，请在标出的单元格下填写修改原因，尚未保存")
		return s.renderEditor(c, http.StatusUnprocessableEntity, r, ag, doc, in, nil)
	} else if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(form.Get("version"), 10, 64)
	saved, err := s.saveDraft(c, r, doc, version, carried)
	if workflow.CodeOf(err) == workflow.CodeStaleVersion {
		return s.renderConflict(c, r.ID, version, ag, doc, in)
	} else if err != nil {
		return err
	}
	if form.Get("op") != "submit" {
		return s.redirectFlash(c, "/reports/"+itoa64(r.ID)+"/edit", "已保存")
	}
	return s.submitSaved(c, saved, ag)
}

// saveDraft stores doc with the reconciled record of carried values.
func (s *Server) saveDraft(c echo.Context, r *models.Report, doc *report.Document, version int64, carried string) (*models.Report, error) {
	ck, err := s.checkDocument(doc)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	return s.store.SaveContentFrom(c.Request().Context(), u.AuditActor(), r, version, ck.json, ck.errors, ck.warnings,
		models.WithCarried(carried))
}

// submitSaved submits a draft just saved; when the workflow refuses, the draft stays
// saved and the editor says why.
func (s *Server) submitSaved(c echo.Context, r *models.Report, ag *models.Agency) error {
	err := s.applyTransition(c, r, ag, workflow.Request{Action: workflow.Submit, Version: r.Version}, "")
	target := "/reports/" + itoa64(r.ID)
	if err != nil {
		if we := domainError(err); we.Kind != workflow.KindInternal {
			return s.redirectFlash(c, target+"/edit", "已保存，但未能提交："+we.Message)
		}
		return err
	}
	return s.redirectFlash(c, target, "已保存并提交保密审查")
}
