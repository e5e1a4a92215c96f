package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userView  `json:"user"`
	// CSRFToken is needed only by clients that use the session cookie instead of the
	// bearer token: they send it as X-CSRF-Token on writes (extension to the contract).
	CSRFToken string `json:"csrf_token"`
}

func (s *Server) apiLogin(c echo.Context) error {
	var req loginRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, token, csrf, expires, err := s.login(c, req.Username, req.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, expires)
	return c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: expires.UTC(), User: viewUser(u), CSRFToken: csrf})
}

func (s *Server) apiLogout(c echo.Context) error {
	p := currentPrincipal(c)
	if err := s.store.DeleteSession(c.Request().Context(), p.token); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	return c.JSON(http.StatusOK, viewUser(currentUser(c)))
}
