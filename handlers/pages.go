package handlers

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/workflow"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageFiles maps every page to the template files it is built from, besides the layout.
// A page missing here, or a template that does not parse, stops the server at start-up.
var pageFiles = map[string][]string{
	"login":          {"login.html"},
	"tasks":          {"tasks.html"},
	"reports":        {"reports.html"},
	"editor":         {"editor.html", "findings.html"},
	"review":         {"review.html"},
	"audit":          {"audit.html"},
	"admin":          {"admin.html"},
	"public_list":    {"public_list.html"},
	"public_report":  {"public_report.html"},
	"public_signoff": {"public_signoff.html"},
	"dashboard":      {"dashboard.html"},
	"rollup":         {"rollup.html"},
	"error":          {"error.html"},
	"outbox":         {"outbox.html"},
	"notifications":  {"notifications.html"},
}

// sitePages are parsed once when the program starts, from embedded files that cannot
// change afterwards; a template that does not parse stops the program at once.
var sitePages = mustParsePages()

func mustParsePages() *pages {
	p, err := parsePages()
	if err != nil {
		panic(err)
	}
	return p
}

// pages holds the parsed page templates and the versioned URLs of the static files.
type pages struct {
	tpl    map[string]*template.Template
	assets map[string]string
}

var pageFuncs = template.FuncMap{
	"stateLabel":        func(s workflow.State) string { return s.Label() },
	"roleLabel":         func(r workflow.Role) string { return r.Label() },
	"actionLabel":       func(a string) string { return auditActionLabel(a) },
	"shanghai":          func(t time.Time) string { return t.In(calendar.Location()).Format("2006-01-02 15:04:05") },
	"hasRole":           func(roles models.RoleList, r string) bool { return roles.Has(workflow.Role(r)) },
	"leftText":          leftText,
	"outboxStatusLabel": outboxStatusLabel,
}

// parsePages builds every page once, at start-up.
func parsePages() (*pages, error) {
	p := &pages{tpl: map[string]*template.Template{}, assets: map[string]string{}}
	if err := p.hashAssets(); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"asset": func(name string) string { return p.assets[name] }}
	for name, files := range pageFiles {
		paths := []string{"templates/layout.html"}
		for _, f := range files {
			paths = append(paths, "templates/"+f)
		}
		t, err := template.New(name).Funcs(pageFuncs).Funcs(funcs).ParseFS(templateFS, paths...)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p.tpl[name] = t
	}
	return p, nil
}

// hashAssets gives each static file a URL carrying its content hash, so browsers may
// cache it for long and still pick up a new build at once.
func (p *pages) hashAssets() error {
	return fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(path, "static/")
		p.assets[name] = "/" + path + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
}

// pageData is what the layout needs on every page, plus the page's own Body.
type pageData struct {
	Title     string
	User      *models.User
	CSRF      string
	Flash     string
	Demo      bool
	DemoUsers []workflow.Role
	Public    bool
	Unread    int64 // the signed-in user's unread notifications, for the nav
	Body      any
}

// pageRoutes registers the pages, the public portal and the static files.
func (s *Server) pageRoutes(e *echo.Echo) {
	e.GET("/static/*", s.serveStatic)
	pg := e.Group("", s.authenticate)
	pg.GET("/login", s.loginPage)
	pg.POST("/login", s.loginSubmit)
	s.publicRoutes(pg)
	in := pg.Group("", s.requireUser)
	in.POST("/logout", s.logoutSubmit)
	in.GET("/", s.tasksPage)
	in.GET("/reports", s.reportsPage)
	in.POST("/reports", s.reportCreateSubmit)
	in.GET("/reports/:id/edit", s.editorPage)
	in.POST("/reports/:id/edit", s.editorSubmit)
	in.POST("/reports/:id/check", s.editorCheck)
	in.GET("/reports/:id", s.reviewPage)
	in.POST("/reports/:id/transition", s.transitionSubmit)
	in.GET("/reports/:id/audit", s.auditPage)
	s.supervisionRoutes(in)
	s.notificationRoutes(in)
	s.adminRoutes(in)
}

func (s *Server) serveStatic(c echo.Context) error {
	name := c.Param("*")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil || strings.HasSuffix(name, ".sh") {
		return workflow.ErrNotFound("文件")
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
	ct := types[name[strings.LastIndexByte(name, '.'):]]
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	return c.Blob(http.StatusOK, ct, b)
}

// render writes page name with the layout data of the request around body.
func (s *Server) render(c echo.Context, status int, name, title string, body any) error {
	d := pageData{Title: title, Demo: s.opt.Demo, DemoUsers: demoRoles, Body: body, Flash: s.takeFlash(c)}
	d.Public, _ = c.Get(ctxPublic).(bool)
	if now, ok := c.Get(ctxFlashNow).(string); ok {
		d.Flash = now // a message about this very answer, which is not a redirect
	}
	if p := currentPrincipal(c); p != nil {
		d.User, d.CSRF = p.user, p.session.CSRFToken
		// The nav count is a hint: a failed count must not turn every page, the error page too, into an error.
		d.Unread, _ = s.store.UnreadCount(c.Request().Context(), p.user.ID)
	}
	var buf bytes.Buffer
	if err := sitePages.tpl[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		return workflow.ErrInternal(fmt.Errorf("render %s: %w", name, err))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// renderFragment writes one named template of page name, without the layout (htmx).
func (s *Server) renderFragment(c echo.Context, name, tmpl string, data any) error {
	var buf bytes.Buffer
	if err := sitePages.tpl[name].ExecuteTemplate(&buf, tmpl, data); err != nil {
		return workflow.ErrInternal(fmt.Errorf("render %s/%s: %w", name, tmpl, err))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// demoRoles are the demo users, listed on the login page in demo mode.
var demoRoles = []workflow.Role{
	workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleLeader, workflow.RolePublisher,
	workflow.RoleSupervisor, workflow.RoleAdmin, workflow.RoleAuditor,
}

const (
	flashCookie = "qianfa_flash"
	ctxFlashNow = "flash_now"
)

// redirectFlash answers a form POST with 303 See Other to target and a one-time message.
func (s *Server) redirectFlash(c echo.Context, target, msg string) error {
	if msg != "" {
		c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opt.SecureCookies})
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// takeFlash reads the one-time message and deletes it.
func (s *Server) takeFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opt.SecureCookies})
	msg, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return ""
	}
	return msg
}

// errorPageBody is what the error page shows: never internal details.
type errorPageBody struct {
	Status  int
	Message string
}

// renderErrorPage is the pageError hook: a 401 on a page sends the browser to the login
// form, and anything else gets a Chinese error page.
func (s *Server) renderErrorPage(c echo.Context, status int, we *workflow.Error) error {
	r := c.Request()
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
	}
	if status == http.StatusUnauthorized && r.Header.Get("HX-Request") != "" {
		// htmx would swap the login form into the page; have it load the form instead.
		c.Response().Header().Set("HX-Redirect", "/login")
		return c.NoContent(status)
	}
	if status == http.StatusUnauthorized {
		return s.redirectFlash(c, "/login", "登录已过期，请重新登录")
	}
	msg := we.Message
	if status >= 500 && status != http.StatusServiceUnavailable {
		msg = "服务器内部错误，请稍后重试。如问题持续，请联系管理员并提供请求编号 " + requestID(c)
	}
	return s.render(c, status, "error", "出错了", errorPageBody{Status: status, Message: msg})
}

// pageRequest tells a browser's page request from a machine's call: the health, readiness
// and metrics endpoints and clients asking only for JSON get the JSON error body.
func pageRequest(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return false
	}
	accept := r.Header.Get(echo.HeaderAccept)
	return !strings.HasPrefix(r.URL.Path, "/api/") &&
		(strings.Contains(accept, "text/html") || !strings.Contains(accept, "json"))
}
