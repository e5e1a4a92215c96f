package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"qianfa/demo"
	"qianfa/models"
	"qianfa/password"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

// act takes a workflow action on report id as username, at the site's clock.
func (p *pageSite) act(id int64, username string, a workflow.Action, comment string) {
	p.t.Helper()
	ctx := context.Background()
	u, err := p.store.UserByUsername(ctx, username)
	if err != nil {
		p.t.Fatal(err)
	}
	r, err := p.store.ReportByID(ctx, id)
	if err != nil {
		p.t.Fatal(err)
	}
	req := workflow.Request{Action: a, Version: r.Version, Comment: comment, Reauthenticated: true}
	if _, _, err := p.store.Transition(ctx, id, u.Actor(), u.Username, req, workflow.Options{RequireReauth: true}, p.clock.now()); err != nil {
		p.t.Fatalf("%s %s report %d: %v", username, a, id, err)
	}
}

// publishAs carries a draft through review, every leader and publication.
func (p *pageSite) publishAs(id int64, drafter, reviewer string, leaders []string, publisher string) {
	p.t.Helper()
	p.act(id, drafter, workflow.Submit, "")
	p.act(id, reviewer, workflow.Approve, "")
	for _, l := range leaders {
		p.act(id, l, workflow.Approve, "")
	}
	p.act(id, publisher, workflow.Publish, "")
}

// agency adds an agency under the demo office, with one user per workflow role named
// code-d, code-r, code-l and code-p.
func (p *pageSite) agency(code, name string) *models.Agency {
	p.t.Helper()
	ctx := context.Background()
	office, err := p.store.AgencyByCode(ctx, demo.OfficeCode)
	if err != nil {
		p.t.Fatal(err)
	}
	ag := &models.Agency{Code: code, Name: name, ParentID: &office.ID}
	if err := p.store.CreateAgency(ctx, models.AuditActor{Username: "test"}, ag); err != nil {
		p.t.Fatal(err)
	}
	for suffix, role := range map[string]workflow.Role{"d": workflow.RoleDrafter, "r": workflow.RoleReviewer, "l": workflow.RoleLeader, "p": workflow.RolePublisher} {
		p.user(ag.ID, code+"-"+suffix, role.Label(), role)
	}
	return ag
}

func (p *pageSite) user(agencyID int64, username, name string, roles ...workflow.Role) *models.User {
	p.t.Helper()
	hash, err := password.Hash(demo.Password)
	if err != nil {
		p.t.Fatal(err)
	}
	u := &models.User{Username: username, Name: name, Email: username + "@example.gov.cn", AgencyID: agencyID,
		Roles: models.RoleList(roles), PasswordHash: hash, Active: true}
	if err := p.store.CreateUser(context.Background(), models.AuditActor{Username: "test"}, u); err != nil {
		p.t.Fatal(err)
	}
	return u
}

// importReport stores content as a new draft of agency ag, created by username.
func (p *pageSite) importReport(ag *models.Agency, username string, content []byte) int64 {
	p.t.Helper()
	doc, err := report.Decode(content)
	if err != nil {
		p.t.Fatal(err)
	}
	doc.Agency.Name = ag.Name
	b, _ := doc.Encode()
	u, err := p.store.UserByUsername(context.Background(), username)
	if err != nil {
		p.t.Fatal(err)
	}
	r := &models.Report{AgencyID: ag.ID, Year: doc.Year, Kind: models.KindAgency, Edition: string(doc.Edition), Content: string(b)}
	if err := p.store.CreateReport(context.Background(), u.AuditActor(), r); err != nil {
		p.t.Fatal(err)
	}
	return r.ID
}

// setCells saves report id with the given cells changed, as username.
func (p *pageSite) setCells(id int64, username string, cells map[string]int64) {
	p.t.Helper()
	ctx := context.Background()
	r, err := p.store.ReportByID(ctx, id)
	if err != nil {
		p.t.Fatal(err)
	}
	doc, err := report.Decode([]byte(r.Content))
	if err != nil {
		p.t.Fatal(err)
	}
	for path, v := range cells {
		if err := doc.Set(path, report.Int(v)); err != nil {
			p.t.Fatal(err)
		}
	}
	b, _ := doc.Encode()
	u, _ := p.store.UserByUsername(ctx, username)
	errs, warns := check.Counts(check.Check(doc))
	if _, err := p.store.SaveContent(ctx, u.AuditActor(), id, r.Version, string(b), errs, warns); err != nil {
		p.t.Fatal(err)
	}
}

// rowTexts reads the text of every cell of the rows of sel, trimmed.
func rowTexts(doc *goquery.Document, sel string) [][]string {
	var out [][]string
	doc.Find(sel).Each(func(_ int, tr *goquery.Selection) {
		var row []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			row = append(row, strings.Join(strings.Fields(td.Text()), " "))
		})
		out = append(out, row)
	})
	return out
}

func joinRows(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, " | "))
	}
	return strings.Join(lines, "\n")
}

// supervisedRegion is the demo office with three agencies for 2020: the demo bureau's
// draft with five applications (and the errors that makes), an agency that has not
// started (its name trying to inject markup) and one that published three applications.
func supervisedRegion(t *testing.T, at time.Time) (*pageSite, int64) {
	p := newPageSiteAt(t, at)
	p.agency("330424-jyj", `海盐县教育局<script>alert(1)</script>`)
	wjw := p.agency("330424-wjw", "海盐县卫生健康局")
	id := p.importReport(wjw, "330424-wjw-d", seedWith(t, 3))
	p.publishAs(id, "330424-wjw-d", "330424-wjw-r", []string{"330424-wjw-l"}, "330424-wjw-p")
	p.setCells(1, "drafter", map[string]int64{"t3.r1_new_received.natural_person": 5, "t3.r1_new_received.total": 5})
	return p, id
}

// The supervisor's dashboard lists every agency of the region, riskiest first.
func TestDashboardPage(t *testing.T) {
	p, wjwID := supervisedRegion(t, time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC))
	sup, _ := p.signedIn("supervisor")
	res, doc := p.get(sup, "/dashboard?year=2020")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	want := strings.Join([]string{
		`海盐县教育局<script>alert(1)</script> | 未创建 | 经办人 | 2021-01-31 | 7 | 0 | 0 | —`,
		`海盐县民政局 | 起草中 | 经办人 | 2021-01-31 | 7 | 2 | 1 | —`,
		`海盐县卫生健康局 | 已公开 | — | 2021-01-31 | 7 | 0 | 0 | 2021-01-20`,
	}, "\n")
	if got := joinRows(rowTexts(doc, "table.dashboard tbody tr")); got != want {
		t.Fatalf("dashboard rows:\n%s\nwant:\n%s", got, want)
	}
	if n := doc.Find("main script").Length(); n != 0 {
		t.Fatalf("an agency's name became %d script elements", n)
	}
	links := doc.Find("table.dashboard tbody tr td:first-child a").Map(func(_ int, s *goquery.Selection) string { h, _ := s.Attr("href"); return h })
	if strings.Join(links, " ") != "/reports/1 /reports/"+itoa64(wjwID) {
		t.Fatalf("drill-down links %q", links)
	}
	csv, _ := doc.Find(`a[href^="/api/v1/dashboard"]`).First().Attr("href")
	if csv != "/api/v1/dashboard?format=csv&sort=risk&year=2020" {
		t.Fatalf("CSV link %q", csv)
	}
	dl, err := sup.Get(p.srv.URL + csv)
	if err != nil {
		t.Fatal(err)
	}
	dl.Body.Close()
	if dl.StatusCode != http.StatusOK || dl.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("CSV download with the session cookie: %d %s", dl.StatusCode, dl.Header.Get("Content-Type"))
	}
	for query, order := range map[string]string{
		"sort=errors":               "海盐县民政局 海盐县教育局<script>alert(1)</script> 海盐县卫生健康局",
		"state=draft":               "海盐县民政局",
		"sort=name&state=published": "海盐县卫生健康局",
	} {
		_, doc := p.get(sup, "/dashboard?year=2020&"+query)
		names := doc.Find("table.dashboard tbody tr td:first-child").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if strings.Join(names, " ") != order {
			t.Errorf("%s: %q, want %q", query, names, order)
		}
	}
	if doc.Find(`header nav a[href="/dashboard"]`).Length() != 1 {
		t.Fatal("no dashboard link in the supervisor's navigation")
	}
	drafter, _ := p.signedIn("drafter")
	if res, doc := p.get(drafter, "/dashboard"); res.StatusCode != http.StatusForbidden || doc.Find(`header nav a[href="/dashboard"]`).Length() != 0 {
		t.Fatalf("drafter: dashboard %d", res.StatusCode)
	}
}

// Past the deadline, pages say how many working days a report is late.
func TestOverdueIsShownInWorkingDays(t *testing.T) {
	// 2021-01-31 was a Sunday; 1, 2 and 3 February are the three working days after it.
	p, _ := supervisedRegion(t, time.Date(2021, 2, 3, 2, 0, 0, 0, time.UTC))
	sup, _ := p.signedIn("supervisor")
	_, doc := p.get(sup, "/dashboard?year=2020")
	got := doc.Find("table.dashboard tbody tr td.left").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(got, "|") != "已逾期 3 个工作日|已逾期 3 个工作日|—" {
		t.Fatalf("dashboard left %q", got)
	}
	drafter, _ := p.signedIn("drafter")
	for path, sel := range map[string]string{"/": "table.list tbody td:nth-child(5)", "/reports": "table.list tbody td:nth-child(5)", "/reports/1": ".status-line .badge"} {
		_, doc := p.get(drafter, path)
		if got := strings.TrimSpace(doc.Find(sel).First().Text()); got != "已逾期 3 个工作日" {
			t.Errorf("%s: %q", path, got)
		}
	}
}

// The roll-up page shows the region's combined tables with each agency's contribution,
// and starts the government's own report from them.
func TestRollupPage(t *testing.T) {
	p, _ := supervisedRegion(t, time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC))
	sup, csrf := p.signedIn("supervisor")
	const cell = "#c-t3--r1_new_received--natural_person"
	cases := []struct{ query, total, contributions, sources string }{
		{"year=2020", "3", "海盐县卫生健康局 3", "已汇总 1 份报告"},
		{"year=2020&source=latest", "8", "海盐县民政局 5|海盐县卫生健康局 3", "已汇总 2 份报告"},
	}
	for _, c := range cases {
		res, doc := p.get(sup, "/rollup?"+c.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.query, res.StatusCode)
		}
		total := doc.Find(cell + " summary").Text()
		contrib := doc.Find(cell + " ul.contributions li").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		label, _ := doc.Find(cell + " summary").Attr("aria-label")
		if total != c.total || strings.Join(contrib, "|") != c.contributions || !strings.Contains(doc.Find("main .muted").First().Text(), c.sources) {
			t.Errorf("%s: total %q, contributions %q, %q", c.query, total, contrib, doc.Find("main .muted").First().Text())
		}
		if want := "表三 一、本年新收政府信息公开申请数量 自然人：合计 " + c.total + "，查看各单位数值"; label != want {
			t.Errorf("%s: summary label %q", c.query, label)
		}
	}
	form := url.Values{"_csrf": {csrf}, "year": {"2020"}, "source": {"latest"}}
	res, _ := p.post(sup, "/rollup/report", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/edit") {
		t.Fatalf("create the government report: %d %q", res.StatusCode, loc)
	}
	office, _ := p.store.AgencyByCode(context.Background(), demo.OfficeCode)
	gov, err := p.store.ReportByAgencyYear(context.Background(), office.ID, 2020, models.KindGovernment)
	if err != nil || loc != "/reports/"+itoa64(gov.ID)+"/edit" {
		t.Fatalf("government report %v, location %q", err, loc)
	}
	doc, _ := report.Decode([]byte(gov.Content))
	if v, _ := doc.Value("t3.r1_new_received.natural_person"); v.String() != "8" || doc.Title != "海盐县人民政府办公室2020年政府信息公开工作年度报告" {
		t.Fatalf("government report r1 %s, title %q", v.String(), doc.Title)
	}
	res, _ = p.post(sup, "/rollup/report", form)
	_, page := p.get(sup, res.Header.Get("Location"))
	if got := page.Find(".flash").Text(); got != "本级政府2020年度报告已存在" {
		t.Fatalf("second government report: %q", got)
	}
}

// The new pages keep the site's rules: the CSP, no inline code, a label on every field.
func TestSupervisionPagesSendTheCSPAndLabelFields(t *testing.T) {
	p, _ := supervisedRegion(t, time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC))
	sup, _ := p.signedIn("supervisor")
	pages := map[string]*http.Client{
		"/dashboard?year=2020": sup, "/rollup?year=2020&source=latest": sup,
		"/public/reports/330424-wjw/2020": p.client(), "/public/reports/330424-wjw/2020/signoff": p.client(),
	}
	for path, c := range pages {
		res, doc := p.get(c, path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Security-Policy") != contentSecurityPolicy {
			t.Errorf("%s: %d, CSP %q", path, res.StatusCode, res.Header.Get("Content-Security-Policy"))
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline or foreign script %q", path, src)
			}
		})
		if n := doc.Find("[style], style, [onclick], [onload], [oninput]").Length(); n != 0 {
			t.Errorf("%s: %d inline styles or handlers", path, n)
		}
		doc.Find("input:not([type=hidden]), textarea, select").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("id")
			if _, aria := s.Attr("aria-label"); !aria && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1) {
				t.Errorf("%s: unlabelled field %s#%s", path, goquery.NodeName(s), id)
			}
		})
	}
}
