package handlers

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/password"
	"qianfa/workflow"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "qianfa_session"

const ctxPrincipal = "principal"

// principal is the authenticated caller of a request.
type principal struct {
	user      *models.User
	session   *models.Session
	token     string
	viaCookie bool // cookie-authenticated writes need the CSRF token
}

func currentPrincipal(c echo.Context) *principal {
	p, _ := c.Get(ctxPrincipal).(*principal)
	return p
}

// currentUser is the signed-in user; requireUser guarantees it is set.
func currentUser(c echo.Context) *models.User {
	if p := currentPrincipal(c); p != nil {
		return p.user
	}
	return nil
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// authenticate identifies the caller from a bearer token or the session cookie. It does
// not refuse anonymous requests: requireUser does, where a route needs a user.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, bearer := bearerToken(c.Request())
		if !bearer {
			ck, err := c.Cookie(SessionCookie)
			if err != nil || ck.Value == "" {
				return next(c)
			}
			token = ck.Value
		}
		sess, user, err := s.session(c, token)
		if err != nil {
			if workflow.KindOf(err) == workflow.KindUnauthenticated {
				if bearer {
					return err // a bad bearer token is an error, not an anonymous call
				}
				s.clearSessionCookie(c)
				return next(c)
			}
			return err
		}
		c.Set(ctxPrincipal, &principal{user: user, session: sess, token: token, viaCookie: !bearer})
		return next(c)
	}
}

// session reads the session of token. For a request about one report
// (/api/v1/reports/:id/…) it reads that report in the same statement and
// keeps it for reportParam, which still checks the caller's scope.
func (s *Server) session(c echo.Context, token string) (*models.Session, *models.User, error) {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if !strings.HasPrefix(c.Path(), "/api/v1/reports/:id") || err != nil || id <= 0 {
		return s.store.SessionByToken(ctx, token)
	}
	sess, user, r, ag, err := s.store.SessionAndReport(ctx, token, id)
	if err == nil && r != nil {
		c.Set(ctxReadReport, readReport{r, ag})
	}
	return sess, user, err
}

// ctxReadReport holds the report read with the session (readReport).
const ctxReadReport = "read_report"

type readReport struct {
	report *models.Report
	agency *models.Agency
}

// takeReadReport returns the report read with the session if it is report id,
// once: a handler that reads the report again after changing it gets a fresh read.
func takeReadReport(c echo.Context, id int64) (*models.Report, *models.Agency, bool) {
	rr, ok := c.Get(ctxReadReport).(readReport)
	if !ok || rr.report.ID != id {
		return nil, nil, false
	}
	c.Set(ctxReadReport, nil)
	return rr.report, rr.agency, true
}

// requireUser refuses anonymous requests and, for cookie sessions, writes without the
// session's CSRF token (header X-CSRF-Token or form field _csrf).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := currentPrincipal(c)
		if p == nil {
			return workflow.ErrUnauthenticated()
		}
		if p.viaCookie && !safeMethod(c.Request().Method) && !validCSRF(c, p.session.CSRFToken) {
			return workflow.ErrForbidden("缺少或错误的 CSRF 令牌，请刷新页面后重试")
		}
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func validCSRF(c echo.Context, want string) bool {
	got := c.Request().Header.Get("X-CSRF-Token")
	if got == "" && isForm(c.Request()) {
		got = c.FormValue("_csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func isForm(r *http.Request) bool {
	ct := r.Header.Get(echo.HeaderContentType)
	return strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)
}

// requireRole lets only users holding one of roles through.
func requireRole(roles ...workflow.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			for _, r := range roles {
				if u != nil && u.Roles.Has(r) {
					return next(c)
				}
			}
			return workflow.ErrForbidden("当前角色无权执行该操作")
		}
	}
}

// login checks a username and password, throttled per username, and starts a session.
// Every attempt is audited; a failure does not say whether the username exists.
func (s *Server) login(c echo.Context, username, pw string) (*models.User, string, string, time.Time, error) {
	ctx := c.Request().Context()
	now := s.now()
	username = strings.TrimSpace(username)
	if username == "" || pw == "" {
		return nil, "", "", time.Time{}, workflow.ErrBadRequest("请输入用户名和密码")
	}
	n, err := s.store.CountLoginFailures(ctx, username, now.Add(-s.opt.LoginFailureWindow))
	if err != nil {
		return nil, "", "", time.Time{}, err
	}
	if n >= int64(s.opt.LoginFailureLimit) {
		return nil, "", "", time.Time{}, workflow.ErrRateLimited()
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil && workflow.KindOf(err) != workflow.KindNotFound {
		return nil, "", "", time.Time{}, err
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !password.Verify(pw, hash) || u == nil || !u.Active {
		if err := s.store.RecordLoginFailure(ctx, username, c.RealIP(), now); err != nil {
			return nil, "", "", time.Time{}, err
		}
		return nil, "", "", time.Time{}, workflow.ErrInvalidCredentials()
	}
	token, csrf, err := s.store.CreateSession(ctx, u.ID, s.opt.SessionTTL)
	if err != nil {
		return nil, "", "", time.Time{}, err
	}
	if _, err := s.store.DeleteLoginFailures(ctx, username); err != nil {
		return nil, "", "", time.Time{}, err
	}
	if err := s.store.RecordLogin(ctx, u, c.RealIP(), now); err != nil {
		return nil, "", "", time.Time{}, err
	}
	return u, token, csrf, now.Add(s.opt.SessionTTL), nil
}

// setSessionCookie hands the browser its session: HttpOnly so scripts cannot read it,
// SameSite=Lax against cross-site writes, Secure behind TLS.
func (s *Server) setSessionCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opt.SecureCookies,
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.opt.SecureCookies,
	})
}

// reauthenticate checks the signed-in user's password again (the last sign-off step).
func (s *Server) reauthenticate(u *models.User, pw string) bool {
	return pw != "" && password.Verify(pw, u.PasswordHash)
}
