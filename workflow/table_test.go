package workflow

import (
	"testing"
	"time"
)

// wantAll is the expected outcome of every (state, action, role) for an
// actor of the report's agency holding only that role, on a valid request.
// A row expects either the next state or an error code.
var wantAll = []struct {
	state  State
	action Action
	role   Role
	to     State
	code   string
}{
	{Draft, Submit, RoleDrafter, InReview, ""},
	{Draft, Submit, RoleReviewer, "", CodeForbidden},
	{Draft, Submit, RoleLeader, "", CodeForbidden},
	{Draft, Submit, RolePublisher, "", CodeForbidden},
	{Draft, Submit, RoleSupervisor, "", CodeForbidden},
	{Draft, Submit, RoleAdmin, "", CodeForbidden},
	{Draft, Submit, RoleAuditor, "", CodeForbidden},
	{Draft, Withdraw, RoleDrafter, "", CodeInvalidTransition},
	{Draft, Withdraw, RoleReviewer, "", CodeInvalidTransition},
	{Draft, Withdraw, RoleLeader, "", CodeInvalidTransition},
	{Draft, Withdraw, RolePublisher, "", CodeInvalidTransition},
	{Draft, Withdraw, RoleSupervisor, "", CodeInvalidTransition},
	{Draft, Withdraw, RoleAdmin, "", CodeInvalidTransition},
	{Draft, Withdraw, RoleAuditor, "", CodeInvalidTransition},
	{Draft, Approve, RoleDrafter, "", CodeInvalidTransition},
	{Draft, Approve, RoleReviewer, "", CodeInvalidTransition},
	{Draft, Approve, RoleLeader, "", CodeInvalidTransition},
	{Draft, Approve, RolePublisher, "", CodeInvalidTransition},
	{Draft, Approve, RoleSupervisor, "", CodeInvalidTransition},
	{Draft, Approve, RoleAdmin, "", CodeInvalidTransition},
	{Draft, Approve, RoleAuditor, "", CodeInvalidTransition},
	{Draft, Return, RoleDrafter, "", CodeInvalidTransition},
	{Draft, Return, RoleReviewer, "", CodeInvalidTransition},
	{Draft, Return, RoleLeader, "", CodeInvalidTransition},
	{Draft, Return, RolePublisher, "", CodeInvalidTransition},
	{Draft, Return, RoleSupervisor, "", CodeInvalidTransition},
	{Draft, Return, RoleAdmin, "", CodeInvalidTransition},
	{Draft, Return, RoleAuditor, "", CodeInvalidTransition},
	{Draft, Publish, RoleDrafter, "", CodeInvalidTransition},
	{Draft, Publish, RoleReviewer, "", CodeInvalidTransition},
	{Draft, Publish, RoleLeader, "", CodeInvalidTransition},
	{Draft, Publish, RolePublisher, "", CodeInvalidTransition},
	{Draft, Publish, RoleSupervisor, "", CodeInvalidTransition},
	{Draft, Publish, RoleAdmin, "", CodeInvalidTransition},
	{Draft, Publish, RoleAuditor, "", CodeInvalidTransition},
	{InReview, Submit, RoleDrafter, "", CodeInvalidTransition},
	{InReview, Submit, RoleReviewer, "", CodeInvalidTransition},
	{InReview, Submit, RoleLeader, "", CodeInvalidTransition},
	{InReview, Submit, RolePublisher, "", CodeInvalidTransition},
	{InReview, Submit, RoleSupervisor, "", CodeInvalidTransition},
	{InReview, Submit, RoleAdmin, "", CodeInvalidTransition},
	{InReview, Submit, RoleAuditor, "", CodeInvalidTransition},
	{InReview, Withdraw, RoleDrafter, Draft, ""},
	{InReview, Withdraw, RoleReviewer, "", CodeForbidden},
	{InReview, Withdraw, RoleLeader, "", CodeForbidden},
	{InReview, Withdraw, RolePublisher, "", CodeForbidden},
	{InReview, Withdraw, RoleSupervisor, "", CodeForbidden},
	{InReview, Withdraw, RoleAdmin, "", CodeForbidden},
	{InReview, Withdraw, RoleAuditor, "", CodeForbidden},
	{InReview, Approve, RoleDrafter, "", CodeForbidden},
	{InReview, Approve, RoleReviewer, InApproval, ""},
	{InReview, Approve, RoleLeader, "", CodeForbidden},
	{InReview, Approve, RolePublisher, "", CodeForbidden},
	{InReview, Approve, RoleSupervisor, "", CodeForbidden},
	{InReview, Approve, RoleAdmin, "", CodeForbidden},
	{InReview, Approve, RoleAuditor, "", CodeForbidden},
	{InReview, Return, RoleDrafter, "", CodeForbidden},
	{InReview, Return, RoleReviewer, Draft, ""},
	{InReview, Return, RoleLeader, "", CodeForbidden},
	{InReview, Return, RolePublisher, "", CodeForbidden},
	{InReview, Return, RoleSupervisor, "", CodeForbidden},
	{InReview, Return, RoleAdmin, "", CodeForbidden},
	{InReview, Return, RoleAuditor, "", CodeForbidden},
	{InReview, Publish, RoleDrafter, "", CodeInvalidTransition},
	{InReview, Publish, RoleReviewer, "", CodeInvalidTransition},
	{InReview, Publish, RoleLeader, "", CodeInvalidTransition},
	{InReview, Publish, RolePublisher, "", CodeInvalidTransition},
	{InReview, Publish, RoleSupervisor, "", CodeInvalidTransition},
	{InReview, Publish, RoleAdmin, "", CodeInvalidTransition},
	{InReview, Publish, RoleAuditor, "", CodeInvalidTransition},
	{InApproval, Submit, RoleDrafter, "", CodeInvalidTransition},
	{InApproval, Submit, RoleReviewer, "", CodeInvalidTransition},
	{InApproval, Submit, RoleLeader, "", CodeInvalidTransition},
	{InApproval, Submit, RolePublisher, "", CodeInvalidTransition},
	{InApproval, Submit, RoleSupervisor, "", CodeInvalidTransition},
	{InApproval, Submit, RoleAdmin, "", CodeInvalidTransition},
	{InApproval, Submit, RoleAuditor, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleDrafter, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleReviewer, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleLeader, "", CodeInvalidTransition},
	{InApproval, Withdraw, RolePublisher, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleSupervisor, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleAdmin, "", CodeInvalidTransition},
	{InApproval, Withdraw, RoleAuditor, "", CodeInvalidTransition},
	{InApproval, Approve, RoleDrafter, "", CodeForbidden},
	{InApproval, Approve, RoleReviewer, "", CodeForbidden},
	{InApproval, Approve, RoleLeader, Approved, ""},
	{InApproval, Approve, RolePublisher, "", CodeForbidden},
	{InApproval, Approve, RoleSupervisor, "", CodeForbidden},
	{InApproval, Approve, RoleAdmin, "", CodeForbidden},
	{InApproval, Approve, RoleAuditor, "", CodeForbidden},
	{InApproval, Return, RoleDrafter, "", CodeForbidden},
	{InApproval, Return, RoleReviewer, "", CodeForbidden},
	{InApproval, Return, RoleLeader, Draft, ""},
	{InApproval, Return, RolePublisher, "", CodeForbidden},
	{InApproval, Return, RoleSupervisor, "", CodeForbidden},
	{InApproval, Return, RoleAdmin, "", CodeForbidden},
	{InApproval, Return, RoleAuditor, "", CodeForbidden},
	{InApproval, Publish, RoleDrafter, "", CodeInvalidTransition},
	{InApproval, Publish, RoleReviewer, "", CodeInvalidTransition},
	{InApproval, Publish, RoleLeader, "", CodeInvalidTransition},
	{InApproval, Publish, RolePublisher, "", CodeInvalidTransition},
	{InApproval, Publish, RoleSupervisor, "", CodeInvalidTransition},
	{InApproval, Publish, RoleAdmin, "", CodeInvalidTransition},
	{InApproval, Publish, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Submit, RoleDrafter, "", CodeInvalidTransition},
	{Approved, Submit, RoleReviewer, "", CodeInvalidTransition},
	{Approved, Submit, RoleLeader, "", CodeInvalidTransition},
	{Approved, Submit, RolePublisher, "", CodeInvalidTransition},
	{Approved, Submit, RoleSupervisor, "", CodeInvalidTransition},
	{Approved, Submit, RoleAdmin, "", CodeInvalidTransition},
	{Approved, Submit, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleDrafter, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleReviewer, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleLeader, "", CodeInvalidTransition},
	{Approved, Withdraw, RolePublisher, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleSupervisor, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleAdmin, "", CodeInvalidTransition},
	{Approved, Withdraw, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Approve, RoleDrafter, "", CodeInvalidTransition},
	{Approved, Approve, RoleReviewer, "", CodeInvalidTransition},
	{Approved, Approve, RoleLeader, "", CodeInvalidTransition},
	{Approved, Approve, RolePublisher, "", CodeInvalidTransition},
	{Approved, Approve, RoleSupervisor, "", CodeInvalidTransition},
	{Approved, Approve, RoleAdmin, "", CodeInvalidTransition},
	{Approved, Approve, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Return, RoleDrafter, "", CodeInvalidTransition},
	{Approved, Return, RoleReviewer, "", CodeInvalidTransition},
	{Approved, Return, RoleLeader, "", CodeInvalidTransition},
	{Approved, Return, RolePublisher, "", CodeInvalidTransition},
	{Approved, Return, RoleSupervisor, "", CodeInvalidTransition},
	{Approved, Return, RoleAdmin, "", CodeInvalidTransition},
	{Approved, Return, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Publish, RoleDrafter, "", CodeForbidden},
	{Approved, Publish, RoleReviewer, "", CodeForbidden},
	{Approved, Publish, RoleLeader, "", CodeForbidden},
	{Approved, Publish, RolePublisher, Published, ""},
	{Approved, Publish, RoleSupervisor, "", CodeForbidden},
	{Approved, Publish, RoleAdmin, Published, ""},
	{Approved, Publish, RoleAuditor, "", CodeForbidden},
	{Published, Submit, RoleDrafter, "", CodeInvalidTransition},
	{Published, Submit, RoleReviewer, "", CodeInvalidTransition},
	{Published, Submit, RoleLeader, "", CodeInvalidTransition},
	{Published, Submit, RolePublisher, "", CodeInvalidTransition},
	{Published, Submit, RoleSupervisor, "", CodeInvalidTransition},
	{Published, Submit, RoleAdmin, "", CodeInvalidTransition},
	{Published, Submit, RoleAuditor, "", CodeInvalidTransition},
	{Published, Withdraw, RoleDrafter, "", CodeInvalidTransition},
	{Published, Withdraw, RoleReviewer, "", CodeInvalidTransition},
	{Published, Withdraw, RoleLeader, "", CodeInvalidTransition},
	{Published, Withdraw, RolePublisher, "", CodeInvalidTransition},
	{Published, Withdraw, RoleSupervisor, "", CodeInvalidTransition},
	{Published, Withdraw, RoleAdmin, "", CodeInvalidTransition},
	{Published, Withdraw, RoleAuditor, "", CodeInvalidTransition},
	{Published, Approve, RoleDrafter, "", CodeInvalidTransition},
	{Published, Approve, RoleReviewer, "", CodeInvalidTransition},
	{Published, Approve, RoleLeader, "", CodeInvalidTransition},
	{Published, Approve, RolePublisher, "", CodeInvalidTransition},
	{Published, Approve, RoleSupervisor, "", CodeInvalidTransition},
	{Published, Approve, RoleAdmin, "", CodeInvalidTransition},
	{Published, Approve, RoleAuditor, "", CodeInvalidTransition},
	{Published, Return, RoleDrafter, "", CodeInvalidTransition},
	{Published, Return, RoleReviewer, "", CodeInvalidTransition},
	{Published, Return, RoleLeader, "", CodeInvalidTransition},
	{Published, Return, RolePublisher, "", CodeInvalidTransition},
	{Published, Return, RoleSupervisor, "", CodeInvalidTransition},
	{Published, Return, RoleAdmin, "", CodeInvalidTransition},
	{Published, Return, RoleAuditor, "", CodeInvalidTransition},
	{Published, Publish, RoleDrafter, "", CodeInvalidTransition},
	{Published, Publish, RoleReviewer, "", CodeInvalidTransition},
	{Published, Publish, RoleLeader, "", CodeInvalidTransition},
	{Published, Publish, RolePublisher, "", CodeInvalidTransition},
	{Published, Publish, RoleSupervisor, "", CodeInvalidTransition},
	{Published, Publish, RoleAdmin, "", CodeInvalidTransition},
	{Published, Publish, RoleAuditor, "", CodeInvalidTransition},
	{Draft, Correct, RoleDrafter, "", CodeInvalidTransition},
	{Draft, Correct, RoleReviewer, "", CodeInvalidTransition},
	{Draft, Correct, RoleLeader, "", CodeInvalidTransition},
	{Draft, Correct, RolePublisher, "", CodeInvalidTransition},
	{Draft, Correct, RoleSupervisor, "", CodeInvalidTransition},
	{Draft, Correct, RoleAdmin, "", CodeInvalidTransition},
	{Draft, Correct, RoleAuditor, "", CodeInvalidTransition},
	{InReview, Correct, RoleDrafter, "", CodeInvalidTransition},
	{InReview, Correct, RoleReviewer, "", CodeInvalidTransition},
	{InReview, Correct, RoleLeader, "", CodeInvalidTransition},
	{InReview, Correct, RolePublisher, "", CodeInvalidTransition},
	{InReview, Correct, RoleSupervisor, "", CodeInvalidTransition},
	{InReview, Correct, RoleAdmin, "", CodeInvalidTransition},
	{InReview, Correct, RoleAuditor, "", CodeInvalidTransition},
	{InApproval, Correct, RoleDrafter, "", CodeInvalidTransition},
	{InApproval, Correct, RoleReviewer, "", CodeInvalidTransition},
	{InApproval, Correct, RoleLeader, "", CodeInvalidTransition},
	{InApproval, Correct, RolePublisher, "", CodeInvalidTransition},
	{InApproval, Correct, RoleSupervisor, "", CodeInvalidTransition},
	{InApproval, Correct, RoleAdmin, "", CodeInvalidTransition},
	{InApproval, Correct, RoleAuditor, "", CodeInvalidTransition},
	{Approved, Correct, RoleDrafter, "", CodeInvalidTransition},
	{Approved, Correct, RoleReviewer, "", CodeInvalidTransition},
	{Approved, Correct, RoleLeader, "", CodeInvalidTransition},
	{Approved, Correct, RolePublisher, "", CodeInvalidTransition},
	{Approved, Correct, RoleSupervisor, "", CodeInvalidTransition},
	{Approved, Correct, RoleAdmin, "", CodeInvalidTransition},
	{Approved, Correct, RoleAuditor, "", CodeInvalidTransition},
	{Published, Correct, RoleDrafter, Draft, ""},
	{Published, Correct, RoleReviewer, "", CodeForbidden},
	{Published, Correct, RoleLeader, "", CodeForbidden},
	{Published, Correct, RolePublisher, "", CodeForbidden},
	{Published, Correct, RoleSupervisor, "", CodeForbidden},
	{Published, Correct, RoleAdmin, "", CodeForbidden},
	{Published, Correct, RoleAuditor, "", CodeForbidden},
}

// tableReport is the fixture of the exhaustive table: agency 3, submitted by
// user 10 and reviewed by user 11, on its only leader step. The acting user is
// 20; for withdraw the actor is made the submitter, as the rule requires.
func tableReport(s State, action Action) Report {
	r := Report{
		ID: 7, AgencyID: 3, State: s, Version: 4, Revision: 2, SubmittedBy: 10,
		Approvals: []Approval{{Step: ReviewStep, UserID: 11}},
	}
	if action == Withdraw {
		r.SubmittedBy = 20
	}
	return r
}

func TestDecideEveryStateActionRole(t *testing.T) {
	if got, want := len(wantAll), len(States)*len(Actions)*len(Roles); got != want {
		t.Fatalf("table has %d rows, want %d", got, want)
	}
	seen := map[[3]string]bool{}
	now := time.Date(2021, 1, 20, 9, 30, 0, 0, time.UTC)
	for _, tc := range wantAll {
		key := [3]string{string(tc.state), string(tc.action), string(tc.role)}
		if seen[key] {
			t.Fatalf("duplicate row %v", key)
		}
		seen[key] = true
		r := tableReport(tc.state, tc.action)
		a := Actor{UserID: 20, AgencyID: 3, Roles: []Role{tc.role}}
		req := Request{Action: tc.action, Version: 4, Comment: "请补充数据来源", Reauthenticated: true}
		got, err := Decide(r, a, req, now, Options{RequireReauth: true})
		if CodeOf(err) != tc.code || got.To != tc.to {
			t.Errorf("%s %s by %s: got (%q, %v), want (%q, %q)", tc.state, tc.action, tc.role, got.To, err, tc.to, tc.code)
		}
		if err != nil && KindOf(err) != wantKind[tc.code] {
			t.Errorf("%s %s by %s: kind %v, want %v", tc.state, tc.action, tc.role, KindOf(err), wantKind[tc.code])
		}
	}
}

var wantKind = map[string]Kind{
	CodeForbidden:         KindForbidden,
	CodeInvalidTransition: KindConflict,
}
