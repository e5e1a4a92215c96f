package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/models"
	"qianfa/workflow"
)

// auditActionLabels name the audit actions that are not workflow actions.
var auditActionLabels = map[string]string{
	models.ActionCreate: "新建", models.ActionSave: "保存", models.ActionReauthFailed: "签发密码错误",
	models.ActionExport: "导出", models.ActionLogin: "登录", models.ActionLoginFailed: "登录失败",
	models.ActionAgencyCreate: "新建单位", models.ActionAgencyUpdate: "修改单位",
	models.ActionUserCreate: "新建用户", models.ActionUserUpdate: "修改用户",
}

func auditActionLabel(a string) string {
	if l, ok := auditActionLabels[a]; ok {
		return l
	}
	return workflow.Action(a).Label()
}

// commentView is one comment left on a report (a return's reason, an approval's note).
type commentView struct {
	At, Actor, Action, Comment string
}

func shanghaiTime(e audit.Event) string {
	return e.At.In(calendar.Location()).Format("2006-01-02 15:04")
}

// reportComments lists the comments on report id, newest first.
func (s *Server) reportComments(c echo.Context, id int64) ([]commentView, error) {
	events, err := s.store.ListAudit(c.Request().Context(), models.AuditFilter{ReportID: id, Limit: 100000})
	if err != nil {
		return nil, err
	}
	var out []commentView
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; e.Comment != "" && workflow.Action(e.Action).Valid() {
			out = append(out, commentView{At: shanghaiTime(e), Actor: e.ActorUsername, Action: auditActionLabel(e.Action), Comment: e.Comment})
		}
	}
	return out, nil
}

type auditBody struct {
	ID     int64
	Title  string
	Events []auditRow
	Verify audit.Result
}

type auditRow struct {
	Seq                int64
	At, Actor, Action  string
	FromState, ToState workflow.State
	Comment            string
	Revision           int
}

func (s *Server) auditPage(c echo.Context) error {
	r, ag, err := s.reportParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	events, err := s.store.ListAudit(ctx, models.AuditFilter{ReportID: r.ID, Limit: 100000})
	if err != nil {
		return err
	}
	b := auditBody{ID: r.ID, Title: ag.Name + " " + strconv.Itoa(r.Year) + "年度报告"}
	if b.Verify, err = s.store.VerifyAudit(ctx, s.opt.AuditKey); err != nil {
		return err
	}
	for _, e := range events {
		b.Events = append(b.Events, auditRow{Seq: e.Seq, At: shanghaiTime(e), Actor: e.ActorUsername,
			Action: auditActionLabel(e.Action), FromState: workflow.State(e.FromState), ToState: workflow.State(e.ToState),
			Comment: e.Comment, Revision: e.Revision})
	}
	return s.render(c, http.StatusOK, "audit", "审计记录", b)
}
