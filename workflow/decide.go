package workflow

import (
	"fmt"
	"strings"
	"time"
)

// Decide checks whether actor a may apply req to report r at time now and
// returns the transition to store. It is pure. Errors, in the order checked:
// bad_request (unknown action), stale_version, invalid_transition,
// forbidden (role, agency or separation of duties), bad_request (return
// without a comment), validation_failed (submit with error findings) and
// reauth_failed; every one is a *Error.
func Decide(r Report, a Actor, req Request, now time.Time, opt Options) (Transition, error) {
	if !req.Action.Valid() {
		return Transition{}, ErrBadRequest("未知的操作：%q", string(req.Action))
	}
	if req.Version != r.Version {
		return Transition{}, ErrStaleVersion()
	}
	if r.State == InApproval && (r.Step < 0 || r.Step >= len(r.steps())) {
		return Transition{}, ErrInternal(fmt.Errorf("report %d: leader step %d out of %d", r.ID, r.Step, len(r.steps())))
	}
	rl, ok := ruleFor(r, req.Action)
	if !ok {
		return Transition{}, ErrInvalidTransition(r.State, req.Action)
	}
	if !rl.allows(a, r) {
		return Transition{}, forbiddenRole(rl, a, r)
	}
	if err := guard(r, a, req, opt); err != nil {
		return Transition{}, err
	}
	return transition(rl, r, a, req, now), nil
}

// forbiddenRole explains why a may not take rl on r.
func forbiddenRole(rl rule, a Actor, r Report) *Error {
	for _, role := range rl.By {
		if a.Has(role) {
			return ErrForbidden("不能处理其他单位的报告")
		}
	}
	return ErrForbidden(fmt.Sprintf("需要「%s」角色才能执行「%s」操作", rl.By[0].Label(), rl.Action.Label()))
}

// guard applies the rules beyond role and agency.
func guard(r Report, a Actor, req Request, opt Options) *Error {
	switch {
	case req.Action == Submit && r.ErrorFindings > 0:
		return ErrValidation(fmt.Sprintf("报告有 %d 个错误级问题，修正后才能提交", r.ErrorFindings), nil)
	case req.Action == Withdraw && a.UserID != r.SubmittedBy:
		return ErrForbidden("只有提交人可以撤回报告")
	case req.Action == Return && strings.TrimSpace(req.Comment) == "":
		return ErrBadRequest("退回报告时必须填写意见")
	case req.Action == Correct && strings.TrimSpace(req.Comment) == "":
		return ErrBadRequest("更正已公开的报告时必须说明更正原因")
	case req.Action == Approve:
		return separation(r, a, req, opt)
	}
	return nil
}

// separation enforces the separation of duties on approve, then the
// re-authentication of the last leader step.
func separation(r Report, a Actor, req Request, opt Options) *Error {
	if a.UserID == r.SubmittedBy {
		return ErrForbidden("职责分离：提交人不能审批自己提交的报告")
	}
	if r.State != InApproval {
		return nil
	}
	for _, ap := range r.Approvals {
		switch {
		case ap.UserID != a.UserID:
		case ap.Step == ReviewStep:
			return ErrForbidden("职责分离：保密审查人不能签发自己审查过的报告")
		case ap.Step < r.Step:
			return ErrForbidden("职责分离：同一领导不能签发同一报告的多个审批步骤")
		}
	}
	if NeedsReauth(r, req, opt) && !req.Reauthenticated {
		return ErrReauthFailed()
	}
	return nil
}

// transition builds the outcome of an allowed request.
func transition(rl rule, r Report, a Actor, req Request, now time.Time) Transition {
	t := Transition{
		ReportID: r.ID,
		Action:   req.Action,
		From:     r.State,
		To:       rl.To,
		ActorID:  a.UserID,
		Comment:  strings.TrimSpace(req.Comment),
		At:       now,
		Revision: r.Revision,
	}
	if r.State == InApproval {
		t.FromStep = r.Step
	}
	switch req.Action {
	case Submit:
		t.FreezeRevision = true
		t.Revision = r.Revision + 1
	case Withdraw, Return, Correct:
		t.ResetApprovals = true
	case Approve:
		step := ReviewStep
		if r.State == InApproval {
			step = r.Step
		}
		t.Approval = &Approval{Step: step, UserID: a.UserID, At: now}
		if rl.To == InApproval {
			t.ToStep = step + 1
		}
	case Publish:
		t.Publish = true
	}
	return t
}
