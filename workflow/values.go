// Package workflow is the approval domain of a report: its states, the actions
// that move it, the roles allowed to take them, the separation-of-duties rules
// and the typed errors that cross package boundaries. It imports only the
// standard library; storage and HTTP build on its values.
package workflow

// State is where a report is in its approval workflow.
type State string

// The states of a report, in workflow order.
const (
	Draft      State = "draft"
	InReview   State = "in_review"
	InApproval State = "in_approval"
	Approved   State = "approved"
	Published  State = "published"
)

// Action is a request to move a report from one state to another.
type Action string

// The actions of the workflow.
const (
	Submit   Action = "submit"
	Withdraw Action = "withdraw"
	Approve  Action = "approve"
	Return   Action = "return"
	Publish  Action = "publish"
	// Correct starts a correction of a published report: a new draft cycle through the
	// same review and sign-off, while the published version stays public.
	Correct Action = "correct"
)

// Role is a duty a user holds within an agency.
type Role string

// The roles of the product.
const (
	RoleDrafter    Role = "drafter"
	RoleReviewer   Role = "reviewer"
	RoleLeader     Role = "leader"
	RolePublisher  Role = "publisher"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
	RoleAuditor    Role = "auditor"
)

// States lists every state in workflow order.
var States = []State{Draft, InReview, InApproval, Approved, Published}

// Actions lists every action.
var Actions = []Action{Submit, Withdraw, Approve, Return, Publish, Correct}

// Roles lists every role.
var Roles = []Role{RoleDrafter, RoleReviewer, RoleLeader, RolePublisher, RoleSupervisor, RoleAdmin, RoleAuditor}

var stateLabels = map[State]string{
	Draft:      "起草中",
	InReview:   "保密审查中",
	InApproval: "待领导签发",
	Approved:   "已签发",
	Published:  "已公开",
}

var actionLabels = map[Action]string{
	Submit:   "提交",
	Withdraw: "撤回",
	Approve:  "通过",
	Return:   "退回",
	Publish:  "发布",
	Correct:  "更正",
}

var roleLabels = map[Role]string{
	RoleDrafter:    "经办人",
	RoleReviewer:   "保密审查",
	RoleLeader:     "签发领导",
	RolePublisher:  "发布",
	RoleSupervisor: "政务公开办",
	RoleAdmin:      "管理员",
	RoleAuditor:    "审计",
}

// Label is the Chinese name of the state; an unknown state is shown as is.
func (s State) Label() string { return labelOr(stateLabels, s) }

// Label is the Chinese name of the action; an unknown action is shown as is.
func (a Action) Label() string { return labelOr(actionLabels, a) }

// Label is the Chinese name of the role; an unknown role is shown as is.
func (r Role) Label() string { return labelOr(roleLabels, r) }

func labelOr[K ~string](labels map[K]string, k K) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok }

// Valid reports whether a is one of Actions.
func (a Action) Valid() bool { _, ok := actionLabels[a]; return ok }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// ParseState converts a machine name into a State. An unknown name is a
// KindBadRequest *Error.
func ParseState(s string) (State, error) {
	if st := State(s); st.Valid() {
		return st, nil
	}
	return "", ErrBadRequest("未知的状态：%q", s)
}

// ParseAction converts a machine name into an Action. An unknown name is a
// KindBadRequest *Error.
func ParseAction(s string) (Action, error) {
	if a := Action(s); a.Valid() {
		return a, nil
	}
	return "", ErrBadRequest("未知的操作：%q", s)
}

// ParseRole converts a machine name into a Role. An unknown name is a
// KindBadRequest *Error.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", ErrBadRequest("未知的角色：%q", s)
}
