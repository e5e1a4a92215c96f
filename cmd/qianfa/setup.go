package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"qianfa/audit"
	"qianfa/config"
	"qianfa/models"
)

// configFlag registers --config; explicit is set when the user named a file, which must
// then exist (the default config.yaml is optional).
func configFlag(fs *flag.FlagSet) func() (string, bool) {
	path := fs.String("config", "config.yaml", "配置文件路径")
	return func() (string, bool) {
		explicit := false
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "config" {
				explicit = true
			}
		})
		return *path, explicit
	}
}

func loadConfig(flagValue func() (string, bool), stderr io.Writer) (config.Config, bool) {
	path, explicit := flagValue()
	cfg, err := config.Load(path, explicit, os.Environ)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return cfg, false
	}
	return cfg, true
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// openStore opens and migrates the configured database with the audit key loaded.
func openStore(ctx context.Context, cfg config.Config) (*models.Store, []byte, error) {
	key, err := audit.LoadOrCreateKey(cfg.Audit.KeyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("审计密钥：%w", err)
	}
	if cfg.Database.Driver == models.DriverSQLite && !strings.HasPrefix(cfg.Database.DSN, "file:") {
		if err := os.MkdirAll(filepath.Dir(cfg.Database.DSN), 0o700); err != nil {
			return nil, nil, fmt.Errorf("数据目录：%w", err)
		}
	}
	store, err := models.Open(ctx, cfg.Database.Driver, cfg.Database.DSN, models.WithAuditKey(key),
		models.WithMySQLPool(cfg.Database.MaxOpenConns, cfg.Database.MaxOpenConns, 3*time.Minute))
	if err != nil {
		return nil, nil, fmt.Errorf("打开数据库：%w", err)
	}
	if err := store.Migrate(ctx); err != nil {
		_ = store.Close()
		return nil, nil, fmt.Errorf("升级数据库结构：%w", err)
	}
	return store, key, nil
}

// configuredStore loads the configuration named by the --config flag and opens the
// migrated store. A non-zero code means the command stops with it: 2 for a bad
// configuration, failCode when the database cannot be opened.
func configuredStore(ctx context.Context, cfgPath func() (string, bool), stderr io.Writer, failCode int) (config.Config, *models.Store, []byte, int) {
	cfg, ok := loadConfig(cfgPath, stderr)
	if !ok {
		return cfg, nil, nil, 2
	}
	store, key, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return cfg, nil, nil, failCode
	}
	return cfg, store, key, 0
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	if fs.Parse(args) != nil {
		return 2
	}
	_, store, _, code := configuredStore(ctx, cfgPath, stderr, 1)
	if code != 0 {
		return code
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "数据库结构已是最新（版本 %d）\n", v)
	return 0
}
