package workflow

import "time"

// ReviewStep is the Step value of the confidentiality reviewer's approval.
const ReviewStep = -1

// DefaultSteps are the leader steps of an agency that configured none.
var DefaultSteps = []string{"签发"}

// Approval is one approval given to a frozen revision: by the reviewer
// (Step == ReviewStep) or by a leader on a step (0-based).
type Approval struct {
	Step   int
	UserID int64
	At     time.Time
}

// Report is what the workflow needs to know about a report to decide a
// transition; storage loads it from the report row.
type Report struct {
	ID, AgencyID  int64
	State         State
	Version       int64
	Step          int        // current leader step (0-based) while InApproval
	Steps         []string   // the agency's leader steps in order; empty means DefaultSteps
	Revision      int        // number of the newest frozen revision; 0 before the first submit
	SubmittedBy   int64      // user who submitted the newest revision
	Approvals     []Approval // approvals given to the newest revision
	ErrorFindings int        // findings of severity error in the current content
}

// steps returns the leader steps in force for r.
func (r Report) steps() []string {
	if len(r.Steps) == 0 {
		return DefaultSteps
	}
	return r.Steps
}

// lastStep reports whether r.Step is the last leader step.
func (r Report) lastStep() bool { return r.Step >= len(r.steps())-1 }

// StepName is the name of the current leader step, "" when r.Step is out of
// range. It is meaningful while the report is InApproval.
func (r Report) StepName() string {
	_, name, _ := r.StepInfo()
	return name
}

// StepInfo returns the current leader step's index and name and the number of
// steps, as the API's approval_step shows them. It is meaningful while the
// report is InApproval; name is "" when the index is out of range.
func (r Report) StepInfo() (index int, name string, of int) {
	steps := r.steps()
	if r.Step >= 0 && r.Step < len(steps) {
		name = steps[r.Step]
	}
	return r.Step, name, len(steps)
}

// Actor is the authenticated user asking for a transition.
type Actor struct {
	UserID, AgencyID int64
	Roles            []Role
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool {
	for _, have := range a.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// Request is a transition as the client asked for it. Version is the version
// the client last saw; Reauthenticated says the caller checked the actor's
// password with this request.
type Request struct {
	Action          Action
	Version         int64
	Comment         string
	Reauthenticated bool
}

// Options are the per-deployment switches of the workflow.
type Options struct {
	RequireReauth bool // approving the last leader step needs re-authentication
}

// Transition is the outcome of Decide: what storage must write, in one
// database transaction, and what the audit event records.
type Transition struct {
	ReportID         int64
	Action           Action
	From, To         State
	FromStep, ToStep int // leader step before/after; 0 outside InApproval
	ActorID          int64
	Comment          string // the request's comment without surrounding blanks
	At               time.Time
	Revision         int       // the revision the transition concerns (the new one on submit)
	FreezeRevision   bool      // submit: freeze the content as revision Report.Revision+1
	Approval         *Approval // the approval to record, if any
	ResetApprovals   bool      // return / withdraw: the revision's approvals no longer count
	Publish          bool
}

// NeedsReauth reports whether req, applied to r, must come with a fresh
// password check: an approve on the last leader step when opt.RequireReauth.
func NeedsReauth(r Report, req Request, opt Options) bool {
	return opt.RequireReauth && req.Action == Approve && r.State == InApproval && r.lastStep()
}

// holders are the roles whose turn it is in each state.
var holders = map[State][]Role{
	Draft:      {RoleDrafter},
	InReview:   {RoleReviewer},
	InApproval: {RoleLeader},
	Approved:   {RolePublisher},
}

// Holders returns the roles that must act on r now; none once published.
func Holders(r Report) []Role {
	return append([]Role(nil), holders[r.State]...)
}
