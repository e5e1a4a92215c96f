package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/workflow"
)

// signoffEntry is one line of the sign-off record: a step of the published revision,
// who took it, when, and where its event sits in the report's audit chain.
type signoffEntry struct {
	Role, Step, Name, At string
	Seq, Pos             int64
	Hash                 string // the first 12 hex digits of the event's MAC
}

type signoffBody struct {
	Agency, Title string
	Year          int
	Version       int
	Latest        int
	Revision      int
	ReportURL     string
	Entries       []signoffEntry
	Verify        audit.Result
}

// publicSignoffPage is the certificate of completion of a publication: who drafted,
// reviewed, signed off and published the revision that went public, from the audit
// chain, and whether that chain verifies.
func (s *Server) publicSignoffPage(c echo.Context) error {
	ch, err := s.choosePublication(c, c.Param("year"))
	if err != nil {
		return err
	}
	ag, r, pubs, n, pub, year := ch.agency, ch.report, ch.all, ch.n, ch.chosen, ch.year
	doc, err := report.Decode([]byte(pub.Content))
	if err != nil {
		return workflow.ErrInternal(err)
	}
	b := signoffBody{Agency: ag.Name, Title: doc.Title, Year: year, Version: n, Latest: len(pubs), Revision: pub.Revision,
		ReportURL: "/public/reports/" + ag.Code + "/" + strconv.Itoa(year)}
	if n != len(pubs) {
		b.ReportURL += "?version=" + strconv.Itoa(n)
	}
	events, err := s.store.ListAudit(c.Request().Context(), models.AuditFilter{ReportID: r.ID, Limit: 100000})
	if err != nil {
		return err
	}
	if b.Entries, err = s.signoffEntries(c.Request().Context(), events, ag, r.ID, pub.Revision); err != nil {
		return err
	}
	b.Verify = s.verifyReportChain(r, events)
	return s.renderPublic(c, http.StatusOK, "public_signoff", "签发记录 "+doc.Title, b)
}

// verifyReportChain checks the report's own hash chain against the head kept on its
// row. A public page verifies only this chain: verifying the whole log on every visit
// would let anyone make the server read all of it.
func (s *Server) verifyReportChain(r *models.Report, events []audit.Event) audit.Result {
	chain := audit.ReportChain(r.ID)
	var own []audit.Event
	for _, e := range events {
		if e.Chain == chain {
			own = append(own, e)
		}
	}
	return audit.Verify(s.opt.AuditKey, own, map[string]audit.Head{chain: {Count: r.AuditCount, Hash: r.AuditHead}})
}

// signoffEntries picks the submit, approvals and publish of revision rev from the
// report's audit events; the approvals name the leader steps.
func (s *Server) signoffEntries(ctx context.Context, events []audit.Event, ag *models.Agency, reportID int64, rev int) ([]signoffEntry, error) {
	approvals, err := s.store.Approvals(ctx, reportID)
	if err != nil {
		return nil, err
	}
	var steps []models.Approval
	for _, a := range approvals {
		if a.Revision == rev {
			steps = append(steps, a)
		}
	}
	names := userNames{s: s, ctx: ctx, cache: map[int64]string{}}
	var out []signoffEntry
	for _, e := range events {
		if e.Revision != rev || e.Chain != audit.ReportChain(reportID) {
			continue
		}
		entry := signoffEntry{At: shanghaiSeconds(e), Seq: e.Seq, Pos: e.Pos, Hash: shortHash(e.Hash)}
		switch workflow.Action(e.Action) {
		case workflow.Submit:
			entry.Role, entry.Step = "起草", "经办人提交"
		case workflow.Approve:
			entry.Role, entry.Step = approvalStep(ag, steps, e.ActorID)
		case workflow.Publish:
			entry.Role, entry.Step = "发布", "公开发布"
		default:
			continue
		}
		if entry.Name, err = names.of(e.ActorID); err != nil {
			return nil, err
		}
		out = append(out, entry)
	}
	return out, nil
}

// approvalStep names the approval actor gave on the revision: the confidentiality
// review, or the agency's leader step.
func approvalStep(ag *models.Agency, steps []models.Approval, actor int64) (role, step string) {
	for _, a := range steps {
		if a.UserID != actor {
			continue
		}
		if a.Step == workflow.ReviewStep {
			return "保密审查", "保密审查通过"
		}
		wr := workflow.Report{State: workflow.InApproval, Step: a.Step, Steps: ag.ApprovalSteps}
		return "领导签发", wr.StepName()
	}
	return "审批", "通过"
}

// userNames looks users' names up once each.
type userNames struct {
	s     *Server
	ctx   context.Context
	cache map[int64]string
}

func (u userNames) of(id int64) (string, error) {
	if name, ok := u.cache[id]; ok {
		return name, nil
	}
	usr, err := u.s.store.UserByID(u.ctx, id)
	if workflow.KindOf(err) == workflow.KindNotFound {
		return "（已删除的用户）", nil
	} else if err != nil {
		return "", err
	}
	u.cache[id] = usr.Name
	return usr.Name, nil
}

func shanghaiSeconds(e audit.Event) string {
	return e.At.In(calendar.Location()).Format("2006-01-02 15:04:05")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
