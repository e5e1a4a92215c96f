package workflow

import "testing"

func TestParseAndLabel(t *testing.T) {
	states := map[string]string{"draft": "起草中", "in_review": "保密审查中", "in_approval": "待领导签发", "approved": "已签发", "published": "已公开"}
	for name, label := range states {
		s, err := ParseState(name)
		if err != nil || string(s) != name || s.Label() != label {
			t.Errorf("ParseState(%q) = %q %v, label %q", name, s, err, s.Label())
		}
	}
	actions := map[string]string{"submit": "提交", "withdraw": "撤回", "approve": "通过", "return": "退回", "publish": "发布", "correct": "更正"}
	for name, label := range actions {
		a, err := ParseAction(name)
		if err != nil || string(a) != name || a.Label() != label {
			t.Errorf("ParseAction(%q) = %q %v, label %q", name, a, err, a.Label())
		}
	}
	roles := map[string]string{"drafter": "经办人", "reviewer": "保密审查", "leader": "签发领导", "publisher": "发布",
		"supervisor": "政务公开办", "admin": "管理员", "auditor": "审计"}
	for name, label := range roles {
		r, err := ParseRole(name)
		if err != nil || string(r) != name || r.Label() != label {
			t.Errorf("ParseRole(%q) = %q %v, label %q", name, r, err, r.Label())
		}
	}
	if len(States) != len(states) || len(Actions) != len(actions) || len(Roles) != len(roles) {
		t.Errorf("lists: %d states, %d actions, %d roles", len(States), len(Actions), len(Roles))
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "Draft", "draft ", "sign"} {
		if _, err := ParseState(in); KindOf(err) != KindBadRequest || CodeOf(err) != "bad_request" {
			t.Errorf("ParseState(%q): %v", in, err)
		}
		if _, err := ParseAction(in); KindOf(err) != KindBadRequest || CodeOf(err) != "bad_request" {
			t.Errorf("ParseAction(%q): %v", in, err)
		}
		if _, err := ParseRole(in); KindOf(err) != KindBadRequest || CodeOf(err) != "bad_request" {
			t.Errorf("ParseRole(%q): %v", in, err)
		}
	}
	_, err := ParseAction("sign")
	if want := `bad_request: 未知的操作："sign"`; err.Error() != want {
		t.Errorf("got %q, want %q", err.Error(), want)
	}
	if got := State("odd").Label(); got != "odd" {
		t.Errorf("unknown label %q", got)
	}
}
