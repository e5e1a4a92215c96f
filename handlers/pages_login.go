package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/workflow"
)

// loginCSRFCookie carries the double-submit token of the login form: there is no
// session yet to hold a CSRF token, so the form must echo the cookie's value.
const loginCSRFCookie = "qianfa_login_csrf"

type loginBody struct {
	Token    string
	Next     string
	Username string
	Error    string
}

func (s *Server) loginPage(c echo.Context) error {
	if currentPrincipal(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return s.renderLogin(c, http.StatusOK, loginBody{Next: safeNext(c.QueryParam("next"))})
}

// renderLogin shows the form with the browser's double-submit token, minting one when
// the browser has none; reusing it keeps two open login tabs (or a reload) working.
func (s *Server) renderLogin(c echo.Context, status int, b loginBody) error {
	if ck, err := c.Cookie(loginCSRFCookie); err == nil && len(ck.Value) == 32 {
		b.Token = ck.Value
	} else {
		var raw [16]byte
		_, _ = rand.Read(raw[:])
		b.Token = hex.EncodeToString(raw[:])
	}
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: b.Token, Path: "/login",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.opt.SecureCookies})
	return s.render(c, status, "login", "登录", b)
}

func (s *Server) loginSubmit(c echo.Context) error {
	ck, err := c.Cookie(loginCSRFCookie)
	form := c.FormValue("_csrf")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(form)) != 1 {
		return workflow.ErrForbidden("登录表单已失效，请刷新页面后重试")
	}
	b := loginBody{Next: safeNext(c.FormValue("next")), Username: strings.TrimSpace(c.FormValue("username"))}
	_, token, _, expires, err := s.login(c, b.Username, c.FormValue("password"))
	switch workflow.KindOf(err) {
	case 0:
		s.setSessionCookie(c, token, expires)
		return s.redirectFlash(c, b.Next, "")
	case workflow.KindRateLimited:
		b.Error = "登录失败次数过多，请15分钟后再试"
		return s.renderLogin(c, http.StatusTooManyRequests, b)
	case workflow.KindUnauthenticated, workflow.KindBadRequest:
		b.Error = domainError(err).Message
		return s.renderLogin(c, http.StatusUnauthorized, b)
	}
	return err
}

// safeNext keeps a post-login redirect on this site: a path, never "//host" or a URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

func (s *Server) logoutSubmit(c echo.Context) error {
	if err := s.store.DeleteSession(c.Request().Context(), currentPrincipal(c).token); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return s.redirectFlash(c, "/login", "已退出登录")
}
