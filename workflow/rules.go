package workflow

// stepCond narrows a rule to the leader steps it applies to.
type stepCond int

const (
	anyStep  stepCond = iota
	notLast           // a leader step that is not the last
	lastStep          // the last leader step
)

// rule is one row of the transition table: action in state From, taken by
// one of the roles By, leads to To.
type rule struct {
	From   State
	Action Action
	To     State
	By     []Role
	When   stepCond
	Note   string // a guard worth showing on the diagram
}

// rules is the transition table. Guards that need more than the role
// (separation of duties, findings, comment, re-authentication) live in
// guard; the diagram shows them as notes.
var rules = []rule{
	{From: Draft, Action: Submit, To: InReview, By: []Role{RoleDrafter}, Note: "无错误级问题"},
	{From: InReview, Action: Withdraw, To: Draft, By: []Role{RoleDrafter}, Note: "仅提交人"},
	{From: InReview, Action: Approve, To: InApproval, By: []Role{RoleReviewer}, Note: "非提交人"},
	{From: InReview, Action: Return, To: Draft, By: []Role{RoleReviewer}, Note: "须填写意见"},
	{From: InApproval, Action: Approve, To: InApproval, By: []Role{RoleLeader}, When: notLast, Note: "进入下一步"},
	{From: InApproval, Action: Approve, To: Approved, By: []Role{RoleLeader}, When: lastStep, Note: "最后一步"},
	{From: InApproval, Action: Return, To: Draft, By: []Role{RoleLeader}, Note: "须填写意见"},
	{From: Approved, Action: Publish, To: Published, By: []Role{RolePublisher, RoleAdmin}},
	{From: Published, Action: Correct, To: Draft, By: []Role{RoleDrafter}, Note: "须说明更正原因"},
}

// ruleFor finds the rule for action in r's state and step.
func ruleFor(r Report, action Action) (rule, bool) {
	for _, rl := range rules {
		if rl.From != r.State || rl.Action != action {
			continue
		}
		if rl.When == anyStep || (rl.When == lastStep) == r.lastStep() {
			return rl, true
		}
	}
	return rule{}, false
}

// allows reports whether a may take rl on r: it holds one of the roles, and
// acts within its own agency unless that role is admin.
func (rl rule) allows(a Actor, r Report) bool {
	for _, role := range rl.By {
		if a.Has(role) && (a.AgencyID == r.AgencyID || role == RoleAdmin) {
			return true
		}
	}
	return false
}
