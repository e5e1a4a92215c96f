package handlers

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"qianfa/models"
	"qianfa/workflow"
)

// formOf reads the editor form of report id as the browser would send it.
func formOf(t *testing.T, p *pageSite, c *http.Client, id int64) url.Values {
	t.Helper()
	_, doc := p.get(c, "/reports/"+itoa64(id)+"/edit")
	form := url.Values{}
	doc.Find("#editor input, #editor textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if goquery.NodeName(s) == "textarea" {
			form.Set(name, s.Text())
			return
		}
		v, _ := s.Attr("value")
		form.Set(name, v)
	})
	return form
}

// A draft started from last year marks the carried cells; changing one needs a reason,
// which the reviewer then sees next to the carried and current values.
func TestCarriedCellsOnThePages(t *testing.T) {
	p := newPageSiteAt(t, time.Date(2022, 1, 10, 2, 0, 0, 0, time.UTC))
	p.publishAs(1, "drafter", "reviewer", []string{"leader"}, "publisher")
	drafter, csrf := p.signedIn("drafter")
	res, _ := p.post(drafter, "/reports", url.Values{"_csrf": {csrf}, "year": {"2022"}, "from_previous": {"1"}})
	_, doc := p.get(drafter, res.Header.Get("Location"))
	if got := doc.Find(".flash").Text(); got != "未能结转：2021年度报告尚未在本系统公开，无法从上年结转" {
		t.Fatalf("carry without last year's report: %q", got)
	}
	res, _ = p.post(drafter, "/reports", url.Values{"_csrf": {csrf}, "year": {"2021"}, "from_previous": {"1"}})
	if res.Header.Get("Location") != "/reports/2/edit" {
		t.Fatalf("create from last year: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, doc = p.get(drafter, "/reports/2/edit")
	const np = "c-t3--r2_carried_over_in--natural_person"
	in := doc.Find("#" + np)
	desc, _ := in.Attr("aria-describedby")
	carried, _ := in.Attr("data-carried")
	if doc.Find("input.num.carried").Length() != 7 || !in.HasClass("carried") || desc != np+"-carry" || carried != "0" ||
		doc.Find("#"+desc).Text() != "上年结转：0" {
		t.Fatalf("carried marker: %d cells, class %v, describedby %q, data %q, text %q",
			doc.Find("input.num.carried").Length(), in.HasClass("carried"), desc, carried, doc.Find("#"+desc).Text())
	}
	if _, hidden := doc.Find("#" + np + "-reason").Parent().Attr("hidden"); !hidden {
		t.Fatal("the reason field of an unchanged carried cell is shown")
	}

	form := formOf(t, p, drafter, 2)
	form.Set("_csrf", csrf)
	form.Set("t3.r2_carried_over_in.natural_person", "2")
	form.Set("t3.r2_carried_over_in.total", "2")
	res, doc = p.post(drafter, "/reports/2/edit", form)
	reason := doc.Find("#" + np + "-reason")
	_, hidden := reason.Parent().Attr("hidden")
	invalid, _ := reason.Attr("aria-invalid")
	typed, _ := doc.Find("#" + np).Attr("value")
	if res.StatusCode != http.StatusUnprocessableEntity || hidden || invalid != "true" || typed != "2" ||
		doc.Find(".flash").Text() != "修改了上年结转的数值，请在标出的单元格下填写修改原因，尚未保存" {
		t.Fatalf("save without a reason: %d, hidden %v, invalid %q, value %q, flash %q", res.StatusCode, hidden, invalid, typed, doc.Find(".flash").Text())
	}
	if got := doc.Find(`#findings .finding .rule`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !strings.Contains(strings.Join(got, " "), "XY-1") {
		t.Fatalf("the editor does not show the cross-year findings: %q", got)
	}
	form.Set("carry_reason.t3.r2_carried_over_in.natural_person", "两件申请于2020年12月<b>撤回</b>")
	form.Set("carry_reason.t3.r2_carried_over_in.total", "同上")
	if res, _ = p.post(drafter, "/reports/2/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with reasons: %d", res.StatusCode)
	}
	reviewer, _ := p.signedIn("reviewer")
	_, doc = p.get(reviewer, "/reports/2")
	want := "表三 二、上年结转政府信息公开申请数量 自然人 | 0 | 2 | 两件申请于2020年12月<b>撤回</b>\n" +
		"表三 二、上年结转政府信息公开申请数量 总计 | 0 | 2 | 同上"
	if got := joinRows(rowTexts(doc, ".carried-overrides tbody tr")); got != want {
		t.Fatalf("reviewer sees:\n%s\nwant:\n%s", got, want)
	}
	if doc.Find(".carried-overrides b").Length() != 0 {
		t.Fatal("a reason became markup")
	}
	if got := doc.Find(".findings .rule").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !strings.Contains(strings.Join(got, " "), "XY-1") {
		t.Fatalf("the review page does not show the cross-year findings: %q", got)
	}
}

// correctionSite publishes the demo report through two leader steps, one of them signed
// by a leader whose name tries to inject markup.
func correctionSite(t *testing.T) *pageSite {
	p := newPageSiteAt(t, time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	r, _ := p.store.ReportByID(ctx, 1)
	if err := p.store.UpdateAgencySteps(ctx, models.AuditActor{Username: "test"}, r.AgencyID, []string{"分管领导审核", "主要负责人签发"}); err != nil {
		t.Fatal(err)
	}
	p.user(r.AgencyID, "leader2", "王<b>五</b>", workflow.RoleLeader)
	p.publishAs(1, "drafter", "reviewer", []string{"leader", "leader2"}, "publisher")
	return p
}

// A correction goes through the whole workflow again; the public page keeps the first
// publication until then, and afterwards lists both with the reason and the changes.
func TestCorrectionOnThePublicPage(t *testing.T) {
	p := correctionSite(t)
	drafter, csrf := p.signedIn("drafter")
	_, doc := p.get(drafter, "/reports/1")
	if doc.Find(`button[value="correct"]`).Text() != "更正" || doc.Find(`label[for="comment"]`).Text() != "更正原因（更正时必填，将在公开页面的更正说明中公布）" {
		t.Fatalf("correct button %q, label %q", doc.Find(`button[value="correct"]`).Text(), doc.Find(`label[for="comment"]`).Text())
	}
	version, _ := doc.Find(`form input[name="version"]`).Attr("value")
	res, _ := p.post(drafter, "/reports/1/transition", url.Values{"_csrf": {csrf}, "version": {version}, "action": {"correct"}, "comment": {" "}})
	_, doc = p.get(drafter, res.Header.Get("Location"))
	if doc.Find(".flash").Text() != "更正已公开的报告时必须说明更正原因" || doc.Find(".status-line .state").Text() != "已公开" {
		t.Fatalf("correct without reason: %q, state %q", doc.Find(".flash").Text(), doc.Find(".status-line .state").Text())
	}
	const reason = "表三申请数量录入有误，予以更正"
	p.post(drafter, "/reports/1/transition", url.Values{"_csrf": {csrf}, "version": {version}, "action": {"correct"}, "comment": {reason}})

	anon := p.client()
	const cell = `[data-path="t3.r1_new_received.natural_person"]`
	_, doc = p.get(anon, "/public/reports/330424-mzj/2020")
	if doc.Find(cell).Text() != "0" || doc.Find("#corrections-h").Length() != 0 {
		t.Fatalf("during the correction the public page shows %q, corrections %d", doc.Find(cell).Text(), doc.Find("#corrections-h").Length())
	}

	p.clock.set(time.Date(2021, 1, 22, 1, 30, 0, 0, time.UTC))
	form := formOf(t, p, drafter, 1)
	form.Set("_csrf", csrf)
	for _, row := range []string{"r1_new_received", "r3_1_disclosed", "r3_7_total"} {
		form.Set("t3."+row+".natural_person", "2")
		form.Set("t3."+row+".total", "2")
	}
	form.Set("sections.problems", "更正后的问题说明。")
	form.Set("op", "submit")
	if res, _ := p.post(drafter, "/reports/1/edit", form); res.Header.Get("Location") != "/reports/1" {
		t.Fatalf("resubmit: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	p.act(1, "reviewer", workflow.Approve, "")
	p.act(1, "leader", workflow.Approve, "")
	p.act(1, "leader2", workflow.Approve, "")
	p.act(1, "publisher", workflow.Publish, "")

	_, doc = p.get(anon, "/public/reports/330424-mzj/2020")
	versions := doc.Find(".corrections ol.versions > li")
	dates := versions.Find("time.published-at").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	change := versions.Eq(1).Find(`.changes li[data-change="t3.r1_new_received.natural_person"]`)
	if doc.Find(cell).Text() != "2" || versions.Length() != 2 || strings.Join(dates, "|") != "2021-01-20 10:00|2021-01-22 09:30" {
		t.Fatalf("public page after the correction: cell %q, %d versions %q", doc.Find(cell).Text(), versions.Length(), dates)
	}
	if got := versions.Eq(1).Find(".correction-reason").Text(); got != reason {
		t.Fatalf("correction reason %q", got)
	}
	if got := strings.Join(strings.Fields(change.Text()), " "); got != "表三 一、本年新收政府信息公开申请数量 自然人：0 → 2" {
		t.Fatalf("change %q", got)
	}
	if n := versions.Eq(1).Find(".changes li").Length(); n != 6 {
		t.Fatalf("%d changed cells, want 6", n)
	}
	if got := versions.Eq(1).Find(".changed-sections").Text(); got != "修改了文字部分：五、存在的主要问题及改进情况" {
		t.Fatalf("changed sections %q", got)
	}
	if href, _ := versions.Eq(0).Find("a").Attr("href"); href != "/public/reports/330424-mzj/2020?version=1" {
		t.Fatalf("link to version 1: %q", href)
	}
	_, doc = p.get(anon, "/public/reports/330424-mzj/2020?version=1")
	if doc.Find(cell).Text() != "0" || !strings.Contains(doc.Find(".version-note").Text(), "该版本已被更正") {
		t.Fatalf("version 1: cell %q, note %q", doc.Find(cell).Text(), doc.Find(".version-note").Text())
	}
	for _, v := range []string{"0", "3", "x"} {
		if res, _ := p.get(anon, "/public/reports/330424-mzj/2020?version="+v); res.StatusCode != http.StatusNotFound {
			t.Errorf("version %s: %d", v, res.StatusCode)
		}
	}
}

// The sign-off record names who drafted, reviewed, signed each step and published.
func TestSignoffRecord(t *testing.T) {
	p := correctionSite(t)
	anon := p.client()
	res, doc := p.get(anon, "/public/reports/330424-mzj/2020/signoff")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-off record: %d", res.StatusCode)
	}
	events, err := p.store.ListAudit(context.Background(), models.AuditFilter{ReportID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	labels := map[string][2]string{"submit": {"起草", "经办人提交"}, "publish": {"发布", "公开发布"}}
	leaderSteps := []string{"保密审查|保密审查通过", "领导签发|分管领导审核", "领导签发|主要负责人签发"}
	names := map[string]string{"drafter": "经办人", "reviewer": "保密审查", "leader": "签发领导", "leader2": "王<b>五</b>", "publisher": "发布"}
	approvals := 0
	for _, e := range events {
		role := labels[e.Action]
		if e.Action == "approve" {
			parts := strings.Split(leaderSteps[approvals], "|")
			role, approvals = [2]string{parts[0], parts[1]}, approvals+1
		}
		if role[0] == "" {
			continue
		}
		want = append(want, strings.Join([]string{role[0], role[1], names[e.ActorUsername],
			"2021-01-20 10:00:00", itoa64(e.Seq), itoa64(e.Pos), e.Hash[:12]}, " | "))
	}
	if len(want) != 5 {
		t.Fatalf("%d audit events of the sign-off, want 5", len(want))
	}
	if got := joinRows(rowTexts(doc, "table.signoff tbody tr")); got != strings.Join(want, "\n") {
		t.Fatalf("sign-off record:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if doc.Find("table.signoff b").Length() != 0 || !strings.Contains(doc.Find(".verify.ok").Text(), "审计链校验通过") {
		t.Fatalf("markup in names or chain not verified: %q", doc.Find(".verify").Text())
	}
	_, pub := p.get(anon, "/public/reports/330424-mzj/2020")
	if href, _ := pub.Find(`.public-meta a[href$="/signoff"]`).Attr("href"); href != "/public/reports/330424-mzj/2020/signoff" {
		t.Fatalf("public page links the sign-off record at %q", href)
	}
	tamperAudit(t, p, "UPDATE audit_events SET comment = '改过' WHERE report_id = 1 AND action = 'publish'")
	_, doc = p.get(anon, "/public/reports/330424-mzj/2020/signoff")
	if doc.Find(".verify.ok").Length() != 0 || doc.Find(".verify.bad").Text() != "✗ 审计链校验未通过，本记录可能已被篡改" {
		t.Fatalf("after tampering: %q", doc.Find(".verify").Text())
	}
}

// tamperAudit changes the audit log behind the store's back.
func tamperAudit(t *testing.T, p *pageSite, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", p.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d rows changed", n)
	}
}
