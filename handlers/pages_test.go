package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"qianfa/demo"
	"qianfa/models"
	"qianfa/report"
)

// htmxSHA256 pins the vendored htmx 2.0.11 (static/update-htmx.sh checks the same value).
const htmxSHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"

// pageSite is the real server over a fresh SQLite database holding the demo data.
type pageSite struct {
	t      *testing.T
	srv    *httptest.Server
	store  *models.Store
	clock  *pageClock
	dbPath string // the SQLite file, for tests that tamper with it
}

// pageClock is the server's clock in a test: the real time, or a set moment.
type pageClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *pageClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func (c *pageClock) set(at time.Time) {
	c.mu.Lock()
	c.at = at
	c.mu.Unlock()
}

func newPageSite(t *testing.T) *pageSite {
	t.Helper()
	return newPageSiteAt(t, time.Time{})
}

// newPageSiteAt is the site with its clock set to at (the real time when at is zero).
func newPageSiteAt(t *testing.T, at time.Time) *pageSite {
	t.Helper()
	clock := &pageClock{at: at}
	ctx := context.Background()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	dbPath := filepath.Join(t.TempDir(), "qianfa.db")
	store, err := models.Open(ctx, models.DriverSQLite, dbPath, models.WithAuditKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	h, _ := New(store, Options{BodyLimit: 1 << 20, SessionTTL: time.Hour, LoginFailureLimit: 5,
		LoginFailureWindow: 15 * time.Minute, RequireReauth: true, Demo: true, AuditKey: key},
		slog.New(slog.NewTextHandler(io.Discard, nil)), clock.now)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &pageSite{t: t, srv: srv, store: store, clock: clock, dbPath: dbPath}
}

// client is a browser-like HTTP client with cookies that does not follow redirects.
func (p *pageSite) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: sessionJar{jar}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// sessionJar keeps every cookie for the session: the site's clock may be set years
// back, which would make its cookies expired to a jar that uses the real time. Cookies
// the site deletes (MaxAge < 0) are still deleted.
type sessionJar struct{ http.CookieJar }

func (j sessionJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	for _, c := range cookies {
		if c.MaxAge >= 0 {
			c.Expires, c.MaxAge = time.Time{}, 0
		}
	}
	j.CookieJar.SetCookies(u, cookies)
}

// get fetches a page and parses it.
func (p *pageSite) get(c *http.Client, path string) (*http.Response, *goquery.Document) {
	p.t.Helper()
	res, err := c.Get(p.srv.URL + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return res, doc
}

func (p *pageSite) post(c *http.Client, path string, form url.Values) (*http.Response, *goquery.Document) {
	p.t.Helper()
	res, err := c.PostForm(p.srv.URL+path, form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return res, doc
}

// login signs in through the form and returns the session's CSRF token.
func (p *pageSite) login(c *http.Client, username, pw string) (*http.Response, *goquery.Document) {
	p.t.Helper()
	_, doc := p.get(c, "/login")
	token, _ := doc.Find(`input[name="_csrf"]`).Attr("value")
	return p.post(c, "/login", url.Values{"_csrf": {token}, "username": {username}, "password": {pw}, "next": {"/"}})
}

func (p *pageSite) signedIn(username string) (*http.Client, string) {
	p.t.Helper()
	c := p.client()
	if res, _ := p.login(c, username, demo.Password); res.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("login %s: %d", username, res.StatusCode)
	}
	_, doc := p.get(c, "/")
	csrf, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if csrf == "" {
		p.t.Fatal("no CSRF token on the page")
	}
	return c, csrf
}

func TestHTMXIsPinned(t *testing.T) {
	b, err := staticFS.ReadFile("static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != htmxSHA256 || len(b) != 52182 {
		t.Fatalf("htmx.min.js sha256 %s (%d bytes), want %s (52182 bytes)", got, len(b), htmxSHA256)
	}
}

func TestPageNeedsLogin(t *testing.T) {
	p := newPageSite(t)
	for path, want := range map[string]string{
		"/reports/1":       "/login?next=%2Freports%2F1",
		"/":                "/login?next=%2F",
		"/reports?year=20": "/login?next=%2Freports%3Fyear%3D20",
	} {
		res, _ := p.get(p.client(), path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d %q, want 303 %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

func TestPagesSendTheCSPAndNoInlineCode(t *testing.T) {
	p := newPageSite(t)
	c, _ := p.signedIn("drafter")
	for _, path := range []string{"/login", "/", "/reports", "/reports/1", "/reports/1/edit", "/reports/1/audit", "/public/reports"} {
		res, doc := p.get(c, path)
		if got := res.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", path, got)
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline or foreign script %q", path, src)
			}
		})
		if n := doc.Find("[style], style, [onclick], [onload], [oninput]").Length(); n != 0 {
			t.Errorf("%s: %d inline styles or handlers, which the CSP blocks", path, n)
		}
	}
}

func TestEditorLabelsEveryInput(t *testing.T) {
	p := newPageSite(t)
	c, _ := p.signedIn("drafter")
	res, doc := p.get(c, "/reports/1/edit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("editor: %d", res.StatusCode)
	}
	if n, want := doc.Find("input.num").Length(), len(report.LayoutFor(report.Edition2019).Cells); n != want {
		t.Fatalf("%d cell inputs, want %d", n, want)
	}
	cases := map[string]string{
		"t3.r1_new_received.natural_person":          "表三 一、本年新收政府信息公开申请数量 自然人",
		"t3.r3_3_1_state_secret.commercial":          "表三 （三）不予公开 1.属于国家秘密 法人或其他组织 商业企业",
		"t2.art20_9.central_procurement.amount_yuan": "表二 第二十条第（九）项 政府集中采购 采购总金额",
		"t4.litigation_direct.total":                 "表四 行政诉讼 未经复议直接起诉 总计",
	}
	for name, want := range cases {
		got, _ := doc.Find(`input[name="` + name + `"]`).Attr("aria-label")
		if got != want {
			t.Errorf("%s: aria-label %q, want %q", name, got, want)
		}
	}
	doc.Find("input:not([type=hidden]), textarea, select").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		_, aria := s.Attr("aria-label")
		if !aria && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1) {
			t.Errorf("unlabelled field %s", goquery.NodeName(s)+"#"+id)
		}
	})
}

func TestUserTextIsEscaped(t *testing.T) {
	p := newPageSite(t)
	c, csrf := p.signedIn("drafter")
	attack := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	form := editorForm(t, p, c)
	form.Set("sections.overview", attack)
	form.Set("_csrf", csrf)
	if res, _ := p.post(c, "/reports/1/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	for _, path := range []string{"/reports/1/edit", "/reports/1"} {
		_, doc := p.get(c, path)
		if n := doc.Find("main script, main img").Length(); n != 0 {
			t.Errorf("%s: the narrative became %d elements", path, n)
		}
		if !strings.Contains(doc.Find("main").Text(), attack) {
			t.Errorf("%s: the narrative is not shown as text", path)
		}
	}
}

// editorForm reads the editor's form fields as the browser would send them.
func editorForm(t *testing.T, p *pageSite, c *http.Client) url.Values {
	t.Helper()
	_, doc := p.get(c, "/reports/1/edit")
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

func TestWritesNeedTheCSRFToken(t *testing.T) {
	p := newPageSite(t)
	c, _ := p.signedIn("drafter")
	form := editorForm(t, p, c)
	form.Del("_csrf")
	res, doc := p.post(c, "/reports/1/edit", form)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(doc.Find(".error-message").Text(), "CSRF") {
		t.Fatalf("save without token: %d %q", res.StatusCode, doc.Find("main").Text())
	}
	anon := p.client()
	res, _ = p.post(anon, "/login", url.Values{"username": {"drafter"}, "password": {demo.Password}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("login without the form token: %d", res.StatusCode)
	}
}

func TestLoginThrottleMessage(t *testing.T) {
	p := newPageSite(t)
	c := p.client()
	for i := 0; i < 5; i++ {
		if res, doc := p.login(c, "reviewer", "wrong-password"); res.StatusCode != http.StatusUnauthorized ||
			doc.Find("#login-error").Text() != "用户名或密码错误" {
			t.Fatalf("attempt %d: %d %q", i+1, res.StatusCode, doc.Find("#login-error").Text())
		}
	}
	res, doc := p.login(c, "reviewer", demo.Password)
	if res.StatusCode != http.StatusTooManyRequests || doc.Find("#login-error").Text() != "登录失败次数过多，请15分钟后再试" {
		t.Fatalf("throttled login: %d %q", res.StatusCode, doc.Find("#login-error").Text())
	}
}

func TestErrorPagesAreChinese(t *testing.T) {
	p := newPageSite(t)
	c, _ := p.signedIn("reviewer")
	res, doc := p.get(c, "/reports/999")
	if res.StatusCode != http.StatusNotFound || doc.Find("h1").Text() != "出错了" || !strings.Contains(doc.Find(".error-message").Text(), "报告") {
		t.Fatalf("missing report: %d %q", res.StatusCode, doc.Find("main").Text())
	}
	res, _ = p.get(c, "/admin")
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("admin page for a reviewer: %d", res.StatusCode)
	}
}

func TestAdminPageForms(t *testing.T) {
	p := newPageSite(t)
	c, csrf := p.signedIn("admin")
	ctx := context.Background()
	res, _ := p.post(c, "/admin/agencies", url.Values{"_csrf": {csrf}, "code": {"330424-jyj"}, "name": {"海盐县教育局"},
		"parent_code": {demo.OfficeCode}, "approval_steps": {"分管领导\n主要领导"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create agency: %d", res.StatusCode)
	}
	ag, err := p.store.AgencyByCode(ctx, "330424-jyj")
	if err != nil || strings.Join(ag.ApprovalSteps, "|") != "分管领导|主要领导" {
		t.Fatalf("agency %+v %v", ag, err)
	}
	p.post(c, "/admin/agencies/"+itoa64(ag.ID)+"/steps", url.Values{"_csrf": {csrf}, "approval_steps": {"签发"}})
	if ag, _ = p.store.AgencyByCode(ctx, "330424-jyj"); strings.Join(ag.ApprovalSteps, "|") != "签发" {
		t.Fatalf("steps %v", ag.ApprovalSteps)
	}
	p.post(c, "/admin/users", url.Values{"_csrf": {csrf}, "username": {"zhang.san"}, "name": {"张三"},
		"agency_id": {itoa64(ag.ID)}, "roles": {"drafter", "reviewer"}, "password": {"long-enough-pw-1"}})
	u, err := p.store.UserByUsername(ctx, "zhang.san")
	if err != nil || len(u.Roles) != 2 || !u.Active {
		t.Fatalf("user %+v %v", u, err)
	}
	p.post(c, "/admin/users/"+itoa64(u.ID), url.Values{"_csrf": {csrf}, "op": {"deactivate"}})
	res, _ = p.post(c, "/admin/users", url.Values{"_csrf": {csrf}, "username": {"x"}, "agency_id": {itoa64(ag.ID)}})
	if u, _ = p.store.UserByUsername(ctx, "zhang.san"); u.Active {
		t.Fatal("user still active")
	}
	_, doc := p.get(c, "/admin")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(doc.Find(".flash").Text(), "未保存：用户信息有误") {
		t.Fatalf("bad user: %d %q", res.StatusCode, doc.Find(".flash").Text())
	}
}

func TestReturnNeedsAComment(t *testing.T) {
	p := newPageSite(t)
	drafter, csrf := p.signedIn("drafter")
	form := editorForm(t, p, drafter)
	form.Set("_csrf", csrf)
	form.Set("op", "submit")
	if res, _ := p.post(drafter, "/reports/1/edit", form); res.Header.Get("Location") != "/reports/1" {
		t.Fatalf("submit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	reviewer, csrf := p.signedIn("reviewer")
	_, doc := p.get(reviewer, "/reports/1")
	version, _ := doc.Find(`form input[name="version"]`).Attr("value")
	p.post(reviewer, "/reports/1/transition", url.Values{"_csrf": {csrf}, "version": {version}, "action": {"return"}, "comment": {"  "}})
	_, doc = p.get(reviewer, "/reports/1")
	if got := doc.Find(".flash").Text(); got != "退回报告时必须填写意见" {
		t.Fatalf("flash %q", got)
	}
	if got := doc.Find(".status-line .state").Text(); got != "保密审查中" {
		t.Fatalf("state %q after a return without comment", got)
	}
	p.post(reviewer, "/reports/1/transition", url.Values{"_csrf": {csrf}, "version": {version}, "action": {"return"}, "comment": {"<b>补充</b>"}})
	_, doc = p.get(drafter, "/reports/1/edit")
	if got := doc.Find(".comments .comment-text").First().Text(); got != "<b>补充</b>" {
		t.Fatalf("drafter sees comment %q", got)
	}
}
