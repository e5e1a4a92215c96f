package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"qianfa/config"
	"qianfa/handlers"
	"qianfa/models"
)

// auditKey is the bench's HMAC key of the audit chains (a bench database only).
var auditKey = []byte("qianfa-bench-audit-key-32-bytes!")

// openStore opens the bench database the way `qianfa serve` does: the same
// DSN handling and, for MariaDB, the configured default pool.
func openStore(ctx context.Context, driver, dsn string) (*models.Store, error) {
	def := config.Default().Database
	return models.Open(ctx, driver, dsn, models.WithAuditKey(auditKey),
		models.WithMySQLPool(def.MaxOpenConns, def.MaxOpenConns, 3*time.Minute))
}

// runServerRole serves the product or the floor until ctx ends. It prints
// "listening ADDR" on stdout once it accepts connections.
func runServerRole(ctx context.Context, cfg benchConfig) error {
	// Both servers run with the runtime settings `qianfa serve` applies by default.
	config.Default().Server.TuneRuntime(os.Getenv)
	store, err := openStore(ctx, cfg.driver, cfg.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	var h http.Handler
	if cfg.role == roleFloor {
		h = floorHandler(store)
	} else {
		h = productHandler(store, cfg)
	}
	stopProfile, err := startProfile(cfg)
	if err != nil {
		return err
	}
	defer stopProfile()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := handlers.HTTPServer(h) // the timeouts of `qianfa serve`
	fmt.Printf("listening %s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// productHandler is Qianfa's handler composed as `qianfa serve` composes it,
// with the default configuration. The request log goes to stderr, which the
// bench sends to a file, as a service manager would.
func productHandler(store *models.Store, cfg benchConfig) http.Handler {
	c := config.Default()
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	h, _ := handlers.New(store, handlers.Options{
		BaseURL: c.Server.BaseURL, BodyLimit: c.Server.BodyLimit, SessionTTL: c.Auth.SessionTTL,
		LoginFailureLimit: c.Auth.LoginFailureLimit, LoginFailureWindow: c.Auth.LoginFailureWindow,
		RequireReauth: cfg.reauth, SecureCookies: c.Auth.SecureCookies, AuditKey: auditKey,
	}, log, nil)
	return h
}

// startProfile writes a CPU profile for the server's lifetime and a heap
// profile at its end when -profile names a directory.
func startProfile(cfg benchConfig) (func(), error) {
	if cfg.profileDir == "" {
		return func() {}, nil
	}
	name := filepath.Join(cfg.profileDir, fmt.Sprintf("%s-%d", cfg.role, os.Getpid()))
	f, err := os.Create(name + ".cpu.pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
		if hf, err := os.Create(name + ".heap.pprof"); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(hf, 0)
			_ = hf.Close()
		}
	}, nil
}
