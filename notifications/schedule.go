package notifications

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"qianfa/calendar"
)

// PlanSource reads the planner's input from the store: every report not yet
// published that reminders or digests may concern, with its recipients.
type PlanSource interface {
	PlanInput(ctx context.Context, today calendar.Date) (PlanInput, error)
}

// Planner writes the notifications due today into the outbox. Running it twice,
// or on every replica at once, plans each notification once (dedupe keys).
type Planner struct {
	Source   PlanSource
	Outbox   Outbox
	Calendar func() *calendar.Calendar // the current calendar; the admin may replace it
	Policy   Policy
	Now      func() time.Time
}

// RunOnce plans the Asia/Shanghai day of Now and returns how many rows were new.
func (p *Planner) RunOnce(ctx context.Context) (int, error) {
	now := p.Now()
	cal := p.Calendar()
	if !cal.IsWorkday(calendar.Today(now)) {
		return 0, nil
	}
	in, err := p.Source.PlanInput(ctx, calendar.Today(now))
	if err != nil {
		return 0, fmt.Errorf("notifications: plan input: %w", err)
	}
	ns := Plan(now, cal, p.Policy, in)
	if len(ns) == 0 {
		return 0, nil
	}
	n, err := p.Outbox.Enqueue(ctx, ns)
	if err != nil {
		return n, fmt.Errorf("notifications: enqueue: %w", err)
	}
	return n, nil
}

// NewCron returns a scheduler on Asia/Shanghai time that survives a panicking job.
func NewCron(log *slog.Logger) *cron.Cron {
	l := cronLogger{log}
	return cron.New(cron.WithLocation(calendar.Location()), cron.WithLogger(l), cron.WithChain(cron.Recover(l)))
}

// Schedule adds the planner, daily at the policy's send time Asia/Shanghai (it
// plans nothing on days off), and the dispatcher, every minute. Each job recovers
// from panics and is skipped while its previous run is still going. ctx is given to
// every run; cancel it on shutdown and wait on c.Stop().
func Schedule(ctx context.Context, c *cron.Cron, p *Planner, d *Dispatcher, log *slog.Logger) error {
	hour, minute, err := p.Policy.sendTime()
	if err != nil {
		return err
	}
	chain := cron.NewChain(cron.Recover(cronLogger{log}), cron.SkipIfStillRunning(cronLogger{log}))
	planSpec := fmt.Sprintf("CRON_TZ=%s %d %d * * *", calendar.Location(), minute, hour)
	if _, err := c.AddJob(planSpec, chain.Then(cron.FuncJob(func() {
		n, err := p.RunOnce(ctx)
		logRun(log, "reminder planner", err, "planned", n)
	}))); err != nil {
		return fmt.Errorf("notifications: schedule planner: %w", err)
	}
	if _, err := c.AddJob("CRON_TZ="+calendar.Location().String()+" * * * * *", chain.Then(cron.FuncJob(func() {
		res, err := d.RunOnce(ctx)
		logRun(log, "outbox dispatcher", err, "sent", res.Sent, "retrying", res.Retrying, "failed", res.Failed, "kept", res.Kept)
	}))); err != nil {
		return fmt.Errorf("notifications: schedule dispatcher: %w", err)
	}
	return nil
}

func logRun(log *slog.Logger, job string, err error, kv ...any) {
	if err != nil {
		log.Error(job+" failed", append(kv, "err", err)...)
		return
	}
	log.Debug(job+" ran", kv...)
}

// cronLogger passes cron's messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
