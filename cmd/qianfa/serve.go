package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"qianfa/calendar"
	"qianfa/config"
	"qianfa/demo"
	"qianfa/handlers"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	demoMode := fs.Bool("demo", false, "在空数据库中载入演示数据")
	if fs.Parse(args) != nil {
		return 2
	}
	cfg, ok := loadConfig(cfgPath, stderr)
	if !ok {
		return 2
	}
	log := newLogger(cfg, stderr)
	if err := serve(ctx, cfg, *demoMode, stdout); err != nil {
		log.Error("server stopped", "err", err)
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// serve runs one replica until ctx ends, then shuts down gracefully: it stops accepting
// connections and lets requests in flight finish within the shutdown timeout.
func serve(ctx context.Context, cfg config.Config, demoMode bool, stdout io.Writer) error {
	log := newLogger(cfg, stdout)
	cfg.Server.TuneRuntime(os.Getenv)
	store, key, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if demoMode {
		loaded, err := demo.Load(ctx, store)
		if err != nil {
			return fmt.Errorf("载入演示数据：%w", err)
		}
		log.Info("demo mode", "loaded", loaded)
	}
	cal, err := loadCalendar(cfg)
	if err != nil {
		return err
	}
	src, err := reminderSource(cfg, store)
	if err != nil {
		return err
	}
	handler, _ := handlers.New(store, handlers.Options{
		BaseURL: cfg.Server.BaseURL, BodyLimit: cfg.Server.BodyLimit, SessionTTL: cfg.Auth.SessionTTL,
		LoginFailureLimit: cfg.Auth.LoginFailureLimit, LoginFailureWindow: cfg.Auth.LoginFailureWindow,
		RequireReauth: cfg.Auth.RequireReauth, SecureCookies: cfg.Auth.SecureCookies, Demo: demoMode,
		AuditKey: key, Calendar: cal,
		Reminders: &handlers.Reminders{Policy: reminderPolicy(cfg), InternalSubmit: src.InternalSubmit},
	}, log, nil)
	stopReminders, err := startReminders(ctx, cfg, store, log)
	if err != nil {
		return fmt.Errorf("提醒调度：%w", err)
	}
	defer stopReminders() // after the HTTP server has drained, before the store closes
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("监听 %s：%w", cfg.Server.Addr, err)
	}
	srv := handlers.HTTPServer(handler)
	fmt.Fprintf(stdout, "qianfa listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("server stopped gracefully")
	return nil
}

// loadCalendar builds the working-day calendar with the configured overrides.
func loadCalendar(cfg config.Config) (*calendar.Calendar, error) {
	if cfg.Reminders.CalendarFile == "" {
		return calendar.New(), nil
	}
	ov, err := calendar.LoadOverrides(cfg.Reminders.CalendarFile)
	if err != nil {
		return nil, fmt.Errorf("节假日调整文件：%w", err)
	}
	return calendar.New(ov...), nil
}
