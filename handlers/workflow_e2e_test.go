package handlers

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

type reportBody struct {
	ID           int64  `json:"id"`
	State        string `json:"state"`
	Version      int64  `json:"version"`
	Revision     int    `json:"revision"`
	Deadline     string `json:"deadline"`
	DaysLeft     int    `json:"working_days_left"`
	ApprovalStep *struct {
		Index int    `json:"index"`
		Name  string `json:"name"`
		Of    int    `json:"of"`
	} `json:"approval_step"`
	Content     json.RawMessage                   `json:"content"`
	Findings    []struct{ Rule, Severity string } `json:"findings"`
	PublishedAt *string                           `json:"published_at"`
}

// The seed report goes from draft through a return with a comment, a resubmission, the
// confidentiality review, two leader steps and publication, each step by a different
// person; then its audit trail, verification, revisions and diff tell that story.
func TestEndToEndWorkflow(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		ag := modelstest.MustAgency(t, store, "330424-mzj", 0, "分管领导审核", "主要负责人签发")
		e.user(ag.ID, "jingban", workflow.RoleDrafter)
		e.user(ag.ID, "baomi", workflow.RoleReviewer)
		e.user(ag.ID, "fenguan", workflow.RoleLeader)
		e.user(ag.ID, "zhuyao", workflow.RoleLeader)
		e.user(ag.ID, "fabu", workflow.RolePublisher)
		e.user(ag.ID, "shenji", workflow.RoleAuditor)
		drafter, reviewer, leader1, leader2, publisher := e.login("jingban"), e.login("baomi"), e.login("fenguan"), e.login("zhuyao"), e.login("fabu")

		r := e.call("POST", "/api/v1/reports/import", drafter, seedJSON(t))
		mustStatus(t, r, http.StatusCreated, "")
		var rep reportBody
		r.decode(t, &rep)
		if rep.State != "draft" || rep.Version != 1 || rep.Deadline != "2021-01-31" || len(rep.Findings) != 1 || rep.Findings[0].Rule != "T2-2019-H1" {
			t.Fatalf("imported report = %+v", rep)
		}
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10)
		act := func(token, action string, version int64, extra map[string]any) response {
			body := map[string]any{"action": action, "version": version}
			for k, v := range extra {
				body[k] = v
			}
			return e.call("POST", path+"/transitions", token, body)
		}
		step := func(token, action string, version int64, extra map[string]any, wantState string) {
			t.Helper()
			r := act(token, action, version, extra)
			mustStatus(t, r, http.StatusOK, "")
			r.decode(t, &rep)
			if rep.State != wantState || rep.Version != version+1 {
				t.Fatalf("%s: state %s version %d, want %s %d", action, rep.State, rep.Version, wantState, version+1)
			}
		}

		step(drafter, "submit", 1, nil, "in_review")
		mustStatus(t, act(reviewer, "return", 2, nil), http.StatusBadRequest, "bad_request")
		step(reviewer, "return", 2, map[string]any{"comment": "请补充信息处理费情况"}, "draft")

		// The drafter edits section 六 after the return and resubmits.
		var content map[string]any
		if err := json.Unmarshal(rep.Content, &content); err != nil {
			t.Fatal(err)
		}
		content["sections"].(map[string]any)["other"] = "本机关2020年度未收取信息处理费。"
		r = e.call("PUT", path+"/content", drafter, map[string]any{"version": 3, "content": content})
		mustStatus(t, r, http.StatusOK, "")
		r.decode(t, &rep)
		if rep.Version != 4 {
			t.Fatalf("version after save = %d, want 4", rep.Version)
		}
		step(drafter, "submit", 4, nil, "in_review")

		// The reviewer sees what changed since the revision they returned.
		r = e.call("GET", path+"/diff", reviewer, nil)
		mustStatus(t, r, http.StatusOK, "")
		var d struct {
			From, To int
			Changes  []struct {
				Path     string
				From, To any
			}
		}
		r.decode(t, &d)
		if d.From != 1 || d.To != 2 || len(d.Changes) != 1 || d.Changes[0].Path != "sections.other" ||
			d.Changes[0].From != "无。" || d.Changes[0].To != "本机关2020年度未收取信息处理费。" {
			t.Fatalf("reviewer's diff = %+v", d)
		}

		step(reviewer, "approve", 5, nil, "in_approval")
		if rep.ApprovalStep == nil || rep.ApprovalStep.Index != 0 || rep.ApprovalStep.Name != "分管领导审核" || rep.ApprovalStep.Of != 2 {
			t.Fatalf("approval step = %+v", rep.ApprovalStep)
		}
		step(leader1, "approve", 6, nil, "in_approval")
		// Nobody approves two steps of one revision; the last step needs the password.
		mustStatus(t, act(leader1, "approve", 7, map[string]any{"password": testPassword}), http.StatusForbidden, "forbidden")
		mustStatus(t, act(leader2, "approve", 7, nil), http.StatusForbidden, "reauth_failed")
		mustStatus(t, act(leader2, "approve", 7, map[string]any{"password": "wrong-password"}), http.StatusForbidden, "reauth_failed")
		step(leader2, "approve", 7, map[string]any{"password": testPassword}, "approved")
		step(publisher, "publish", 8, nil, "published")
		if rep.PublishedAt == nil {
			t.Fatal("published_at not set")
		}

		auditor := e.login("shenji")
		r = e.call("GET", path+"/audit", auditor, nil)
		mustStatus(t, r, http.StatusOK, "")
		var trail struct {
			Items []struct {
				Seq     int64
				Action  string
				Actor   struct{ Username string }
				Comment *string
			}
		}
		r.decode(t, &trail)
		var got []string
		for _, ev := range trail.Items {
			got = append(got, ev.Action+":"+ev.Actor.Username)
		}
		want := []string{"create:jingban", "submit:jingban", "return:baomi", "save:jingban", "submit:jingban",
			"approve:baomi", "approve:fenguan", "reauth_failed:zhuyao", "approve:zhuyao", "publish:fabu"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("audit trail\n got %q\nwant %q", got, want)
		}
		if c := trail.Items[2].Comment; c == nil || *c != "请补充信息处理费情况" {
			t.Fatalf("return comment = %v", c)
		}

		r = e.call("GET", "/api/v1/audit/verify", auditor, nil)
		mustStatus(t, r, http.StatusOK, "")
		var v struct {
			OK     bool
			Events int
		}
		r.decode(t, &v)
		if !v.OK || v.Events < len(want) {
			t.Fatalf("verify = %s", r.body)
		}

		r = e.call("GET", path+"/revisions", drafter, nil)
		var revs struct {
			Items []struct {
				Number int
				State  string
				Author struct{ Username string }
			}
		}
		r.decode(t, &revs)
		if len(revs.Items) != 2 || revs.Items[1].Number != 2 || revs.Items[1].Author.Username != "jingban" {
			t.Fatalf("revisions = %s", r.body)
		}
		r = e.call("GET", path+"/revisions/1", drafter, nil)
		mustStatus(t, r, http.StatusOK, "")
		var rev1 struct{ Sections struct{ Other string } }
		r.decode(t, &rev1)
		if rev1.Sections.Other != "无。" {
			t.Fatalf("revision 1 section 六 = %q", rev1.Sections.Other)
		}
	})
}
