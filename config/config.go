// Package config holds Qianfa's typed configuration: built-in defaults, then config.yaml,
// then QIANFA_* environment variables, validated once at start. No other package reads
// configuration on its own; cmd/qianfa passes plain values down.
package config

import (
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
)

// EnvPrefix starts every environment override, e.g. QIANFA_SERVER_ADDR for server.addr.
const EnvPrefix = "QIANFA_"

// Config is the whole configuration of one Qianfa process.
type Config struct {
	Server    Server    `koanf:"server"`
	Database  Database  `koanf:"database"`
	Audit     Audit     `koanf:"audit"`
	Auth      Auth      `koanf:"auth"`
	SMTP      SMTP      `koanf:"smtp"`
	Reminders Reminders `koanf:"reminders"`
	Region    Region    `koanf:"region"`
	Log       Log       `koanf:"log"`
}

// Server configures the HTTP listener.
type Server struct {
	Addr            string        `koanf:"addr"`
	BaseURL         string        `koanf:"base_url"`
	BodyLimit       int64         `koanf:"body_limit"` // bytes
	ShutdownTimeout time.Duration `koanf:"shutdown_timeout"`
	// GCPercent and MemoryLimitMB tune the Go garbage collector (GOGC and
	// GOMEMLIMIT, which take precedence when set): collect less often, and
	// harder as the process nears the limit (0 = no limit).
	GCPercent     int `koanf:"gc_percent"`
	MemoryLimitMB int `koanf:"memory_limit_mb"`
}

// Database selects the storage engine.
type Database struct {
	Driver       string `koanf:"driver"`
	DSN          string `koanf:"dsn"`
	MaxOpenConns int    `koanf:"max_open_conns"` // mysql only; SQLite always uses one writer connection
}

// Audit locates the key of the audit hash chains; the key never lives in the database.
type Audit struct {
	KeyFile string `koanf:"key_file"`
}

// Auth configures sign-in and sign-off.
type Auth struct {
	SessionTTL         time.Duration `koanf:"session_ttl"`
	LoginFailureLimit  int           `koanf:"login_failure_limit"`
	LoginFailureWindow time.Duration `koanf:"login_failure_window"`
	// RequireReauth asks the leader for the password again at the last approval step.
	RequireReauth bool `koanf:"require_reauth"`
	// SecureCookies marks cookies Secure; turn on behind TLS.
	SecureCookies bool `koanf:"secure_cookies"`
}

// SMTP configures outgoing mail; with no host, mail stays in the outbox page.
type SMTP struct {
	Host     string `koanf:"host"`
	Port     int    `koanf:"port"`
	Username string `koanf:"username"`
	Password string `koanf:"password"`
	From     string `koanf:"from"`
	TLS      string `koanf:"tls"` // starttls | tls | none
}

// Reminders configures the deadline reminder policy.
type Reminders struct {
	Enabled        bool          `koanf:"enabled"`
	SendAt         string        `koanf:"send_at"` // HH:MM, Asia/Shanghai
	DaysBefore     []int         `koanf:"days_before"`
	IdleWorkdays   int           `koanf:"idle_workdays"`
	Digest         bool          `koanf:"digest"`
	MaxAttempts    int           `koanf:"max_attempts"`
	CalendarFile   string        `koanf:"calendar_file"` // optional holiday/调休 overrides (YAML)
	SenderInterval time.Duration `koanf:"sender_interval"`
}

// Region holds the local dates that come before the statutory deadline.
type Region struct {
	// InternalSubmit is the local date (MM-DD of the year after the report year) by which
	// agencies submit to the supervising office, e.g. "01-26"; empty means none.
	InternalSubmit string       `koanf:"internal_submit"`
	Targets        []StepTarget `koanf:"targets"`
}

// StepTarget plans one step's target date a number of working days before the deadline.
type StepTarget struct {
	Name           string `koanf:"name"`
	WorkdaysBefore int    `koanf:"workdays_before"`
}

// Log configures structured logging.
type Log struct {
	Level string `koanf:"level"` // debug | info | warn | error
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Server: Server{Addr: ":8080", BaseURL: "http://localhost:8080", BodyLimit: 1 << 20, ShutdownTimeout: 15 * time.Second,
			GCPercent: 200, MemoryLimitMB: 100},
		Database: Database{Driver: "sqlite", DSN: "data/qianfa.db", MaxOpenConns: 32},
		Audit:    Audit{KeyFile: "data/audit.key"},
		Auth: Auth{SessionTTL: 12 * time.Hour, LoginFailureLimit: 5, LoginFailureWindow: 15 * time.Minute,
			RequireReauth: true},
		SMTP: SMTP{Port: 587, TLS: "starttls", From: "qianfa@localhost"},
		Reminders: Reminders{Enabled: true, SendAt: "09:00", DaysBefore: []int{15, 10, 5, 3, 2, 1},
			IdleWorkdays: 3, Digest: true, MaxAttempts: 8, SenderInterval: 30 * time.Second},
		Region: Region{Targets: []StepTarget{
			{Name: "起草完成", WorkdaysBefore: 10},
			{Name: "保密审查完成", WorkdaysBefore: 6},
			{Name: "领导签发完成", WorkdaysBefore: 3},
		}},
		Log: Log{Level: "info"},
	}
}

// Load reads defaults, then the YAML file at path (skipped when path is "" or, for the
// default path only, when the file does not exist), then the environment. environ is
// os.Environ in production and a fixed list in tests.
func Load(path string, mustExist bool, environ func() []string) (Config, error) {
	k := koanf.New(".")
	if path != "" {
		if _, err := os.Stat(path); err == nil || mustExist {
			if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
				return Config{}, fmt.Errorf("config: 无法读取配置文件 %s: %w", path, err)
			}
		}
	}
	if err := k.Load(env.Provider(".", env.Opt{Prefix: EnvPrefix, TransformFunc: envKey, EnvironFunc: environ}), nil); err != nil {
		return Config{}, fmt.Errorf("config: environment: %w", err)
	}
	// Decoding onto the defaults keeps every key that neither the file nor the
	// environment sets; ZeroFields makes a configured list replace the default list.
	c := Default()
	var md mapstructure.Metadata
	dc := &mapstructure.DecoderConfig{
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
		WeaklyTypedInput: true,
		ZeroFields:       true,
		Metadata:         &md,
		Result:           &c,
		TagName:          "koanf",
	}
	if err := k.UnmarshalWithConf("", &c, koanf.UnmarshalConf{DecoderConfig: dc}); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	var problems []string
	for _, key := range md.Unused {
		problems = append(problems, fmt.Sprintf("%s: 未知的配置项", key))
	}
	problems = append(problems, c.problems()...)
	if len(problems) > 0 {
		return Config{}, &Error{Problems: problems}
	}
	return c, nil
}

// Error lists every bad key at once, so an operator fixes them in one pass.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "配置有误:\n  " + strings.Join(e.Problems, "\n  ")
}

// sections are the top-level keys; environment variables of other QIANFA_ names (such as
// QIANFA_TEST_MYSQL_DSN, read by the test suite) are not configuration and are ignored,
// while an unknown key within a section is reported as a likely typo.
var sections = map[string]bool{"server": true, "database": true, "audit": true, "auth": true,
	"smtp": true, "reminders": true, "region": true, "log": true}

// envKey maps QIANFA_SERVER_BASE_URL to server.base_url: the first "_" separates the
// section from the key, so keys keep their own underscores; "__" nests deeper explicitly.
// It returns "" for a variable outside the configuration's sections.
func envKey(k, v string) (string, any) {
	k = strings.ToLower(strings.TrimPrefix(k, EnvPrefix))
	var section, rest string
	if strings.Contains(k, "__") {
		section, rest, _ = strings.Cut(k, "__")
		rest = strings.ReplaceAll(rest, "__", ".")
	} else {
		section, rest, _ = strings.Cut(k, "_")
	}
	if !sections[section] || rest == "" {
		return "", nil
	}
	return section + "." + rest, v
}

func (c Config) problems() []string {
	var p []string
	bad := func(key, format string, args ...any) { p = append(p, key+": "+fmt.Sprintf(format, args...)) }
	if c.Server.Addr == "" {
		bad("server.addr", "不能为空")
	}
	if u, err := url.Parse(c.Server.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("server.base_url", "应为 http(s)://主机[:端口] 形式的地址，当前为 %q", c.Server.BaseURL)
	}
	if c.Server.BodyLimit < 1024 {
		bad("server.body_limit", "至少 1024 字节，当前为 %d", c.Server.BodyLimit)
	}
	if c.Server.ShutdownTimeout <= 0 {
		bad("server.shutdown_timeout", "应为正的时长，如 15s")
	}
	if c.Server.GCPercent < 10 {
		bad("server.gc_percent", "至少为 10，当前为 %d", c.Server.GCPercent)
	}
	if c.Server.MemoryLimitMB != 0 && c.Server.MemoryLimitMB < 32 {
		bad("server.memory_limit_mb", "应为 0（不限）或至少 32，当前为 %d", c.Server.MemoryLimitMB)
	}
	switch c.Database.Driver {
	case "sqlite", "mysql":
	default:
		bad("database.driver", "应为 sqlite 或 mysql，当前为 %q", c.Database.Driver)
	}
	if c.Database.DSN == "" {
		bad("database.dsn", "不能为空")
	}
	if c.Database.MaxOpenConns < 1 {
		bad("database.max_open_conns", "至少为 1")
	}
	if c.Audit.KeyFile == "" {
		bad("audit.key_file", "不能为空")
	}
	if c.Auth.SessionTTL < time.Minute {
		bad("auth.session_ttl", "至少 1m")
	}
	if c.Auth.LoginFailureLimit < 1 {
		bad("auth.login_failure_limit", "至少为 1")
	}
	if c.Auth.LoginFailureWindow < time.Minute {
		bad("auth.login_failure_window", "至少 1m")
	}
	if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
		bad("smtp.port", "应在 1–65535 之间，当前为 %d", c.SMTP.Port)
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		bad("smtp.tls", "应为 starttls、tls 或 none，当前为 %q", c.SMTP.TLS)
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		bad("smtp.from", "配置了 smtp.host 时不能为空")
	}
	if _, err := time.Parse("15:04", c.Reminders.SendAt); err != nil {
		bad("reminders.send_at", "应为 HH:MM，当前为 %q", c.Reminders.SendAt)
	}
	for _, d := range c.Reminders.DaysBefore {
		if d < 1 || d > 60 {
			bad("reminders.days_before", "每一项应在 1–60 之间，当前含 %d", d)
		}
	}
	if c.Reminders.IdleWorkdays < 1 {
		bad("reminders.idle_workdays", "至少为 1")
	}
	if c.Reminders.MaxAttempts < 1 {
		bad("reminders.max_attempts", "至少为 1")
	}
	if c.Reminders.SenderInterval < time.Second {
		bad("reminders.sender_interval", "至少 1s")
	}
	if s := c.Region.InternalSubmit; s != "" {
		if _, err := time.Parse("01-02", s); err != nil {
			bad("region.internal_submit", "应为 MM-DD，当前为 %q", s)
		}
	}
	for i, t := range c.Region.Targets {
		if t.Name == "" || t.WorkdaysBefore < 0 || t.WorkdaysBefore > 60 {
			bad(fmt.Sprintf("region.targets[%d]", i), "需要名称和 0–60 之间的 workdays_before")
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "应为 debug、info、warn 或 error，当前为 %q", c.Log.Level)
	}
	return p
}

// TuneRuntime applies GCPercent and MemoryLimitMB to the Go runtime, each
// unless its environment variable (GOGC, GOMEMLIMIT) is set. A service that
// allocates per request for short-lived answers spends less CPU collecting
// with a higher GC percent; the soft limit keeps the peak memory bounded when
// a burst of sign-offs holds argon2id blocks (BENCHMARKS.md).
func (s Server) TuneRuntime(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(s.GCPercent)
	}
	if getenv("GOMEMLIMIT") == "" && s.MemoryLimitMB > 0 {
		debug.SetMemoryLimit(int64(s.MemoryLimitMB) << 20)
	}
}
