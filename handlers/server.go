// Package handlers is Qianfa's HTTP surface: the REST API of contract/api.md, the pages,
// the public portal, health and metrics. It is the only package besides cmd/ that imports
// Echo, and handlers stay thin: decode, call one domain or store function, encode.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/workflow"
)

// Options are the settings the handlers need, passed down from the configuration.
type Options struct {
	BaseURL            string
	BodyLimit          int64
	SessionTTL         time.Duration
	LoginFailureLimit  int
	LoginFailureWindow time.Duration
	RequireReauth      bool
	SecureCookies      bool
	Demo               bool
	AuditKey           []byte
	Calendar           *calendar.Calendar // working days; nil means the built-in holidays only
	Reminders          *Reminders         // the policy the reminder preview plans with; nil: defaults
}

// Server holds the dependencies of every handler.
type Server struct {
	store   *models.Store
	opt     Options
	log     *slog.Logger
	metrics *Metrics
	now     func() time.Time
	cal     *calendar.Calendar
	// calCache holds cal with the database overrides; see workdays.
	calCache calendarCache

	// pageError renders an error page for browsers; nil answers JSON everywhere.
	pageError func(c echo.Context, status int, err *workflow.Error) error
}

// New builds the HTTP handler of one replica.
func New(store *models.Store, opt Options, log *slog.Logger, now func() time.Time) (http.Handler, *Server) {
	if now == nil {
		now = time.Now
	}
	if opt.Calendar == nil {
		opt.Calendar = calendar.New()
	}
	s := &Server{store: store, opt: opt, log: log, metrics: NewMetrics(), now: now, cal: opt.Calendar}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client address is the TCP peer: X-Real-IP / X-Forwarded-For are never trusted,
	// since Echo v4 advisories concern exactly those headers.
	e.IPExtractor = echo.ExtractIPDirect()
	s.pageError = s.renderErrorPage
	e.HTTPErrorHandler = s.handleError
	e.Use(s.observe, middleware.Recover(), middleware.BodyLimit(bodyLimitString(opt.BodyLimit)))
	s.routes(e)
	return e, s
}

func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{})))
	s.apiRoutes(e)
	s.pageRoutes(e)
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 503 while the database cannot be reached, so a load balancer stops
// sending work to this replica until it can.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return workflow.Errorf(workflow.KindUnavailable, workflow.CodeUnavailable, "数据库不可用").WithCause(err)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// HTTPServer is the net/http server for h with Qianfa's timeouts: a client
// gets 10 s to send its headers and a minute for its body, and an answer,
// however large an export, 2 minutes.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
}
