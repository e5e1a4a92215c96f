package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"time"

	"qianfa/calendar"
	"qianfa/config"
	"qianfa/models"
	"qianfa/notifications"
)

const remindersUsage = "用法: qianfa reminders preview --date YYYY-MM-DD [--config config.yaml]"

func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "preview" {
		fmt.Fprintln(stderr, remindersUsage)
		return 2
	}
	fs := flag.NewFlagSet("reminders preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	dateText := fs.String("date", "", "预览的日期 YYYY-MM-DD（北京时间）")
	if fs.Parse(args[1:]) != nil {
		return 2
	}
	day, err := calendar.ParseDate(*dateText)
	if err != nil {
		fmt.Fprintf(stderr, "--date 应为 YYYY-MM-DD：%q\n%s\n", *dateText, remindersUsage)
		return 2
	}
	cfg, ok := loadConfig(cfgPath, stderr)
	if !ok {
		return 2
	}
	if err := previewReminders(ctx, cfg, day, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// previewReminders prints what the schedule would send on day. It reads the
// database and writes nothing: no outbox row, no mail, no migration.
func previewReminders(ctx context.Context, cfg config.Config, day calendar.Date, stdout io.Writer) error {
	store, err := models.Open(ctx, cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return fmt.Errorf("打开数据库：%w", err)
	}
	defer store.Close()
	cal, err := reminderCalendar(ctx, cfg, store)
	if err != nil {
		return err
	}
	src, err := reminderSource(cfg, store)
	if err != nil {
		return err
	}
	in, err := src.PlanInput(ctx, day)
	if err != nil {
		return fmt.Errorf("读取报告：%w", err)
	}
	pol := reminderPolicy(cfg)
	lines := notifications.Preview(day, cal, pol, in)
	desc := cal.Describe(day)
	switch {
	case !desc.Work:
		fmt.Fprintf(stdout, "%s 不是工作日%s，不发送提醒。\n", day, holidayNote(desc))
		return nil
	case len(lines) == 0:
		fmt.Fprintf(stdout, "%s 没有要发送的提醒。\n", day)
		return nil
	}
	fmt.Fprintf(stdout, "%s %s 将发送 %d 条提醒（仅预览，未发送）：\n", day, pol.SendAt, len(lines))
	fmt.Fprintln(stdout, "收件人\t报告\t类型\t剩余工作日")
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return nil
}

func holidayNote(d calendar.Day) string {
	if d.Name == "" {
		return ""
	}
	return "（" + d.Name + "）"
}

// reminderPolicy is the reminders.* configuration as the planner takes it. The
// digest starts with the earliest reminder.
func reminderPolicy(cfg config.Config) notifications.Policy {
	pol := notifications.DefaultPolicy()
	r := cfg.Reminders
	pol.DaysBefore = slices.Clone(r.DaysBefore)
	pol.IdleEscalationWorkdays = r.IdleWorkdays
	pol.Digest = r.Digest
	pol.SendAt = r.SendAt
	if len(r.DaysBefore) > 0 {
		pol.DigestWindow = slices.Max(r.DaysBefore)
	}
	return pol
}

// reminderSource reads the planner's input, counting agency reports to the
// region's internal submission date when one is set.
func reminderSource(cfg config.Config, store *models.Store) (models.ReminderSource, error) {
	src := models.ReminderSource{Store: store, BaseURL: cfg.Server.BaseURL}
	if s := cfg.Region.InternalSubmit; s != "" {
		md, err := calendar.ParseMonthDay(s)
		if err != nil {
			return src, fmt.Errorf("region.internal_submit：%w", err)
		}
		src.InternalSubmit = &md
	}
	return src, nil
}

// reminderCalendar is the calendar with the overrides of reminders.calendar_file
// and, winning over them, those the admin set in the database.
func reminderCalendar(ctx context.Context, cfg config.Config, store *models.Store) (*calendar.Calendar, error) {
	base, err := loadCalendar(cfg)
	if err != nil {
		return nil, err
	}
	db, err := store.CalendarOverrideList(ctx)
	if err != nil {
		return nil, fmt.Errorf("读取节假日调整：%w", err)
	}
	return base.WithOverrides(append(base.Overrides(), db...)), nil
}

// liveCalendar returns the calendar of every planner run: the database
// overrides are read again each time, so an admin's change applies at the
// next run; if they cannot be read, the previous calendar is kept.
func liveCalendar(cfg config.Config, store *models.Store, log *slog.Logger) (func() *calendar.Calendar, error) {
	last, err := loadCalendar(cfg)
	if err != nil {
		return nil, err
	}
	return func() *calendar.Calendar {
		cal, err := reminderCalendar(context.Background(), cfg, store)
		if err != nil {
			log.Error("calendar overrides unreadable, keeping the previous calendar", "err", err)
			return last
		}
		last = cal
		return cal
	}, nil
}

// reminderSender sends through smtp.* when smtp.host is set; without it the
// messages are kept for the 发件箱 page.
func reminderSender(cfg config.Config) (notifications.Sender, error) {
	if cfg.SMTP.Host == "" {
		return notifications.OutboxOnly{}, nil
	}
	s, err := notifications.NewSMTPSender(notifications.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port,
		Username: cfg.SMTP.Username, Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS})
	if err != nil {
		return nil, fmt.Errorf("smtp：%w", err)
	}
	return s, nil
}

// replicaName names this process as a lease owner: host and pid.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "qianfa"
	}
	return host + ":" + strconv.Itoa(os.Getpid())
}

// startReminders schedules the planner and the sender when reminders.enabled,
// and returns the function that stops them, waiting for running jobs.
func startReminders(ctx context.Context, cfg config.Config, store *models.Store, log *slog.Logger) (stop func(), err error) {
	if !cfg.Reminders.Enabled {
		return func() {}, nil
	}
	pol := reminderPolicy(cfg)
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	cal, err := liveCalendar(cfg, store, log)
	if err != nil {
		return nil, err
	}
	src, err := reminderSource(cfg, store)
	if err != nil {
		return nil, err
	}
	sender, err := reminderSender(cfg)
	if err != nil {
		return nil, err
	}
	d := notifications.NewDispatcher(store, sender, replicaName())
	d.Backoff.MaxAttempts, d.Log = cfg.Reminders.MaxAttempts, log
	p := &notifications.Planner{Source: src, Outbox: store, Calendar: cal, Policy: pol, Now: time.Now}
	// The jobs outlive the signal that stops the server: a send in flight
	// finishes, within the shutdown timeout, before its row is marked.
	jobs, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := notifications.NewCron(log)
	if err := notifications.Schedule(jobs, c, p, d, log); err != nil {
		cancel()
		return nil, err
	}
	c.Start()
	log.Info("reminders scheduled", "send_at", pol.SendAt, "owner", d.Owner, "smtp", cfg.SMTP.Host != "")
	return func() {
		defer cancel()
		done := c.Stop().Done()
		select {
		case <-done:
		case <-time.After(cfg.Server.ShutdownTimeout):
			cancel() // a leased row is retried by another replica after its lease
			<-done
		}
	}, nil
}
