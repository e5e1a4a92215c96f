package workflow

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

var (
	t0       = time.Date(2021, 1, 20, 9, 30, 0, 0, time.UTC)
	twoSteps = []string{"分管领导审核", "主要负责人签发"}
)

func actor(id, agency int64, roles ...Role) Actor {
	return Actor{UserID: id, AgencyID: agency, Roles: roles}
}

func decide(r Report, a Actor, action Action, opt Options) (Transition, error) {
	return Decide(r, a, Request{Action: action, Version: r.Version, Comment: "意见", Reauthenticated: true}, t0, opt)
}

func TestDecideOrderOfChecks(t *testing.T) {
	draft := Report{ID: 7, AgencyID: 3, State: Draft, Version: 4, ErrorFindings: 2}
	tests := []struct {
		name string
		a    Actor
		req  Request
		code string
		kind Kind
	}{
		{"unknown action first", actor(1, 9), Request{Action: "sign", Version: 1}, CodeBadRequest, KindBadRequest},
		{"stale version before state", actor(1, 9), Request{Action: Publish, Version: 3}, CodeStaleVersion, KindConflict},
		{"state before role", actor(1, 9), Request{Action: Publish, Version: 4}, CodeInvalidTransition, KindConflict},
		{"role before findings", actor(1, 3, RoleReviewer), Request{Action: Submit, Version: 4}, CodeForbidden, KindForbidden},
		{"agency before findings", actor(1, 9, RoleDrafter), Request{Action: Submit, Version: 4}, CodeForbidden, KindForbidden},
		{"findings", actor(1, 3, RoleDrafter), Request{Action: Submit, Version: 4}, CodeValidation, KindValidation},
	}
	for _, tc := range tests {
		_, err := Decide(draft, tc.a, tc.req, t0, Options{})
		if CodeOf(err) != tc.code || KindOf(err) != tc.kind {
			t.Errorf("%s: got %v (kind %v), want %s (kind %v)", tc.name, err, KindOf(err), tc.code, tc.kind)
		}
	}
}

func TestDecideStaleVersion(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: Approved, Version: 4}
	for _, v := range []int64{0, 3, 5} {
		_, err := Decide(r, actor(1, 3, RolePublisher), Request{Action: Publish, Version: v}, t0, Options{})
		if !errors.Is(err, ErrStaleVersion()) {
			t.Errorf("version %d: got %v, want stale_version", v, err)
		}
		if msg := err.(*Error).Message; msg != "报告已被他人修改，请刷新后重试" {
			t.Errorf("message %q", msg)
		}
	}
}

func TestDecideSubmit(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: Draft, Version: 4, Revision: 2, Approvals: []Approval{{Step: ReviewStep, UserID: 11}}}
	got, err := Decide(r, actor(10, 3, RoleDrafter), Request{Action: Submit, Version: 4, Comment: "  请审核 \n"}, t0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Transition{ReportID: 7, Action: Submit, From: Draft, To: InReview, ActorID: 10, Comment: "请审核",
		At: t0, Revision: 3, FreezeRevision: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecideSubmitWithErrorFindings(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: Draft, Version: 4, ErrorFindings: 3}
	_, err := decide(r, actor(10, 3, RoleDrafter), Submit, Options{})
	if CodeOf(err) != CodeValidation || err.(*Error).Message != "报告有 3 个错误级问题，修正后才能提交" {
		t.Errorf("got %v", err)
	}
}

func TestDecideWithdraw(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: InReview, Version: 4, Revision: 1, SubmittedBy: 10}
	got, err := decide(r, actor(10, 3, RoleDrafter), Withdraw, Options{})
	want := Transition{ReportID: 7, Action: Withdraw, From: InReview, To: Draft, ActorID: 10, Comment: "意见",
		At: t0, Revision: 1, ResetApprovals: true}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("submitter: got %+v, %v", got, err)
	}
	_, err = decide(r, actor(12, 3, RoleDrafter), Withdraw, Options{})
	if CodeOf(err) != CodeForbidden || err.(*Error).Message != "只有提交人可以撤回报告" {
		t.Errorf("other drafter: got %v", err)
	}
	r.State = InApproval
	if _, err = decide(r, actor(10, 3, RoleDrafter), Withdraw, Options{}); CodeOf(err) != CodeInvalidTransition {
		t.Errorf("after review: got %v, want invalid_transition", err)
	}
}

func TestDecideSeparationOfDuties(t *testing.T) {
	review := Report{ID: 7, AgencyID: 3, State: InReview, Version: 4, SubmittedBy: 10}
	approval := Report{ID: 7, AgencyID: 3, State: InApproval, Version: 4, SubmittedBy: 10, Steps: twoSteps,
		Approvals: []Approval{{Step: ReviewStep, UserID: 11}}}
	second := approval
	second.Step = 1
	second.Approvals = []Approval{{Step: ReviewStep, UserID: 11}, {Step: 0, UserID: 12}}
	all := []Role{RoleDrafter, RoleReviewer, RoleLeader}
	tests := []struct {
		name string
		r    Report
		user int64
		msg  string
	}{
		{"submitter reviews", review, 10, "职责分离：提交人不能审批自己提交的报告"},
		{"submitter signs", approval, 10, "职责分离：提交人不能审批自己提交的报告"},
		{"reviewer signs", approval, 11, "职责分离：保密审查人不能签发自己审查过的报告"},
		{"reviewer signs later step", second, 11, "职责分离：保密审查人不能签发自己审查过的报告"},
		{"leader signs two steps", second, 12, "职责分离：同一领导不能签发同一报告的多个审批步骤"},
		{"other reviewer", review, 11, ""},
		{"other leader", second, 13, ""},
	}
	for _, tc := range tests {
		_, err := decide(tc.r, actor(tc.user, 3, all...), Approve, Options{})
		if tc.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if CodeOf(err) != CodeForbidden || err.(*Error).Message != tc.msg {
			t.Errorf("%s: got %v, want forbidden %q", tc.name, err, tc.msg)
		}
	}
}

func TestDecideTwoStepApproval(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: InReview, Version: 4, Revision: 1, SubmittedBy: 10, Steps: twoSteps}
	at := func(d int) time.Time { return t0.Add(time.Duration(d) * time.Hour) }
	steps := []struct {
		user     int64
		role     Role
		from, to State
		fromStep int
		toStep   int
		approval Approval
	}{
		{11, RoleReviewer, InReview, InApproval, 0, 0, Approval{Step: ReviewStep, UserID: 11, At: at(0)}},
		{12, RoleLeader, InApproval, InApproval, 0, 1, Approval{Step: 0, UserID: 12, At: at(1)}},
		{13, RoleLeader, InApproval, Approved, 1, 0, Approval{Step: 1, UserID: 13, At: at(2)}},
	}
	for i, s := range steps {
		if r.State == InApproval {
			if idx, name, of := r.StepInfo(); idx != s.fromStep || name != twoSteps[s.fromStep] || of != 2 {
				t.Fatalf("step %d: StepInfo = %d %q %d", i, idx, name, of)
			}
		}
		got, err := Decide(r, actor(s.user, 3, s.role), Request{Action: Approve, Version: r.Version, Reauthenticated: true}, at(i), Options{RequireReauth: true})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.From != s.from || got.To != s.to || got.FromStep != s.fromStep || got.ToStep != s.toStep ||
			got.Approval == nil || *got.Approval != s.approval || got.ResetApprovals || got.FreezeRevision || got.Publish {
			t.Fatalf("step %d: got %+v approval %+v", i, got, got.Approval)
		}
		r.State, r.Step, r.Version = got.To, got.ToStep, r.Version+1
		r.Approvals = append(r.Approvals, *got.Approval)
	}
}

func TestDecideReauth(t *testing.T) {
	first := Report{ID: 7, AgencyID: 3, State: InApproval, Version: 4, SubmittedBy: 10, Steps: twoSteps}
	last := first
	last.Step = 1
	leader := actor(13, 3, RoleLeader)
	tests := []struct {
		name    string
		r       Report
		require bool
		reauth  bool
		code    string
		needs   bool
	}{
		{"last step without password", last, true, false, CodeReauthFailed, true},
		{"last step with password", last, true, true, "", true},
		{"last step, reauth off", last, false, false, "", false},
		{"first step needs none", first, true, false, "", false},
	}
	for _, tc := range tests {
		req := Request{Action: Approve, Version: 4, Reauthenticated: tc.reauth}
		opt := Options{RequireReauth: tc.require}
		_, err := Decide(tc.r, leader, req, t0, opt)
		if CodeOf(err) != tc.code {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.code)
		}
		if err != nil && KindOf(err) != KindForbidden {
			t.Errorf("%s: kind %v", tc.name, KindOf(err))
		}
		if got := NeedsReauth(tc.r, req, opt); got != tc.needs {
			t.Errorf("%s: NeedsReauth = %v", tc.name, got)
		}
	}
}

func TestDecideReturn(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: InApproval, Step: 1, Steps: twoSteps, Version: 4, Revision: 2, SubmittedBy: 10}
	leader := actor(13, 3, RoleLeader)
	for _, comment := range []string{"", "   ", "\n\t"} {
		_, err := Decide(r, leader, Request{Action: Return, Version: 4, Comment: comment}, t0, Options{})
		if CodeOf(err) != CodeBadRequest || KindOf(err) != KindBadRequest || err.(*Error).Message != "退回报告时必须填写意见" {
			t.Errorf("comment %q: got %v", comment, err)
		}
	}
	got, err := Decide(r, leader, Request{Action: Return, Version: 4, Comment: " 数据有误 "}, t0, Options{})
	want := Transition{ReportID: 7, Action: Return, From: InApproval, To: Draft, FromStep: 1, ActorID: 13,
		Comment: "数据有误", At: t0, Revision: 2, ResetApprovals: true}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestDecideAgency(t *testing.T) {
	approved := Report{ID: 7, AgencyID: 3, State: Approved, Version: 4}
	tests := []struct {
		name string
		a    Actor
		code string
	}{
		{"publisher of the agency", actor(5, 3, RolePublisher), ""},
		{"publisher of another agency", actor(5, 4, RolePublisher), CodeForbidden},
		{"admin of another agency", actor(5, 4, RoleAdmin), ""},
		{"admin without agency", actor(5, 0, RoleAdmin), ""},
		{"supervisor of another agency", actor(5, 4, RoleSupervisor), CodeForbidden},
		{"no role", actor(5, 3), CodeForbidden},
	}
	for _, tc := range tests {
		got, err := decide(approved, tc.a, Publish, Options{})
		if CodeOf(err) != tc.code {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.code)
		}
		if err == nil && (!got.Publish || got.To != Published) {
			t.Errorf("%s: got %+v", tc.name, got)
		}
	}
	draft := Report{ID: 7, AgencyID: 3, State: Draft, Version: 4}
	for _, a := range []Actor{actor(5, 4, RoleDrafter), actor(5, 4, RoleAdmin, RoleDrafter)} {
		_, err := decide(draft, a, Submit, Options{})
		if CodeOf(err) != CodeForbidden || err.(*Error).Message != "不能处理其他单位的报告" {
			t.Errorf("submit by %+v: got %v", a, err)
		}
	}
	_, err := decide(draft, actor(5, 3, RoleAdmin), Submit, Options{})
	if CodeOf(err) != CodeForbidden || err.(*Error).Message != "需要「经办人」角色才能执行「提交」操作" {
		t.Errorf("admin submit: got %v", err)
	}
}

func TestDecideStepOutOfRange(t *testing.T) {
	r := Report{ID: 7, AgencyID: 3, State: InApproval, Step: 2, Steps: twoSteps, Version: 4, SubmittedBy: 10}
	if _, err := decide(r, actor(13, 3, RoleLeader), Approve, Options{}); KindOf(err) != KindInternal {
		t.Errorf("got %v, want internal", err)
	}
}

func TestStepInfoDefault(t *testing.T) {
	r := Report{State: InApproval}
	if idx, name, of := r.StepInfo(); idx != 0 || name != "签发" || of != 1 || r.StepName() != "签发" {
		t.Errorf("got %d %q %d", idx, name, of)
	}
	r.Step = 5
	if r.StepName() != "" {
		t.Errorf("out of range: %q", r.StepName())
	}
}

func TestHolders(t *testing.T) {
	want := map[State][]Role{
		Draft:      {RoleDrafter},
		InReview:   {RoleReviewer},
		InApproval: {RoleLeader},
		Approved:   {RolePublisher},
		Published:  nil,
	}
	for _, s := range States {
		if got := Holders(Report{State: s}); !reflect.DeepEqual(got, want[s]) {
			t.Errorf("%s: got %v, want %v", s, got, want[s])
		}
	}
}
