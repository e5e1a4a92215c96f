package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"qianfa/bench/scale"
	"qianfa/calendar"
	"qianfa/models"
	"qianfa/notifications"
)

// scaleConfig sizes the -scale run.
type scaleConfig struct {
	agencies, perOffice, reports, events, samples int
	verifyOnly                                    bool // re-time verification on a kept database
}

// runScale generates the region-sized database and measures the queries
// that grow with it: task lists, the supervisor dashboard, reminder
// planning, audit verification, and the database size.
func runScale(ctx context.Context, cfg benchConfig, out io.Writer) error {
	if cfg.scale.verifyOnly {
		return rerunVerify(ctx, cfg, out)
	}
	dir, dsn, cleanup, err := workspace(ctx, cfg, "qianfa-scale-")
	if err != nil {
		return err
	}
	defer cleanup()
	store, err := openStore(ctx, cfg.driver, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	doc, _, err := yearContent(time.Now().Year() - 1)
	if err != nil {
		return err
	}
	sc := cfg.scale
	due := time.Now().Year() - 1
	start := time.Now()
	data, err := scale.Generate(ctx, store.SQLDB(), scale.Params{Agencies: sc.agencies, PerOffice: sc.perOffice,
		Reports: sc.reports, Events: sc.events, DueYear: due, Content: doc.Content, Key: auditKey, Log: out})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "generated %d agencies in %d offices, %d reports, %d audit events in %s\n",
		len(data.AgencyIDs), len(data.Offices), data.ReportCount, data.EventCount, time.Since(start).Round(time.Second))
	fmt.Fprintf(out, "\n| measurement (%s) | result |\n|---|---|\n", cfg.driver)
	if err := measurePlanning(ctx, store, due, out); err != nil {
		return err
	}
	if err := measureVerify(ctx, cfg, store, out); err != nil {
		return err
	}
	if err := measureHTTP(ctx, cfg, store, dsn, data, due, filepath.Join(dir, "server.log"), out); err != nil {
		return err
	}
	if size, err := databaseSize(ctx, store, cfg.driver, dsn); err == nil {
		fmt.Fprintf(out, "| database size | %.0f MB |\n", mb(size))
	}
	return explainAll(ctx, store, cfg.driver, data, due, out)
}

// measurePlanning times one day's reminder planning: reading what the planner
// needs from the database and planning, on a working day in January.
func measurePlanning(ctx context.Context, store *models.Store, due int, out io.Writer) error {
	// The deadline day (or the working day before it): every unpublished report is reminded.
	cal := calendar.New()
	day := calendar.Deadline(calendar.KindAgency, due)
	for !cal.IsWorkday(day) {
		day = day.AddDays(-1)
	}
	now := day.At(9, 0)
	var times []time.Duration
	var planned, reports int
	for range 3 {
		start := time.Now()
		in, err := models.ReminderSource{Store: store, BaseURL: "http://localhost:8080"}.PlanInput(ctx, day)
		if err != nil {
			return err
		}
		ns := notifications.Plan(now, cal, notifications.DefaultPolicy(), in)
		times = append(times, time.Since(start))
		planned, reports = len(ns), len(in.Reports)
	}
	fmt.Fprintf(out, "| reminder planning for %s (%d report entries → %d notifications), median of 3 | %s ms |\n",
		day, reports, planned, ms(med(times)))
	return nil
}

// rerunVerify times audit verification three times on the kept scale
// database of -dsn, without generating it again (about a minute).
func rerunVerify(ctx context.Context, cfg benchConfig, out io.Writer) error {
	if cfg.dsn == "" {
		return fmt.Errorf("-scale-verify needs -dsn naming the kept database")
	}
	store, err := openStore(ctx, cfg.driver, cfg.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	for range 3 {
		if err := measureVerify(ctx, cfg, store, out); err != nil {
			return err
		}
	}
	return nil
}

func measureVerify(ctx context.Context, cfg benchConfig, store *models.Store, out io.Writer) error {
	if cfg.profileDir != "" {
		f, err := os.Create(filepath.Join(cfg.profileDir, "verify.cpu.pprof"))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	res, err := store.VerifyAudit(ctx, auditKey)
	if err != nil {
		return err
	}
	d := time.Since(start)
	if !res.OK {
		return fmt.Errorf("audit verification failed: %+v", res)
	}
	fmt.Fprintf(out, "| audit verification (%d events, ok)%s | %.2f s = %.0f events/s |\n",
		res.Events, bufferPoolNote(ctx, store, cfg.driver), d.Seconds(), float64(res.Events)/d.Seconds())
	return nil
}

// bufferPoolNote says, on MySQL, how the audit table compares with InnoDB's
// buffer pool: a log larger than the pool is read from disk at every
// verification, and that, not the check, sets its speed (BENCHMARKS.md).
func bufferPoolNote(ctx context.Context, store *models.Store, driver string) string {
	if driver != "mysql" {
		return ""
	}
	var pool, table int64
	err := store.SQLDB().QueryRowContext(ctx, "SELECT @@innodb_buffer_pool_size, "+
		"(SELECT data_length FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'audit_events')").
		Scan(&pool, &table)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(", buffer pool %.0f MB, audit rows %.0f MB", mb(pool), mb(table))
}

// measureHTTP starts the product server on the scale database and times the
// task lists and the dashboard, one request at a time.
func measureHTTP(ctx context.Context, cfg benchConfig, store *models.Store, dsn string, data *scale.Data, due int, logPath string, out io.Writer) error {
	sup, _, err := store.CreateSession(ctx, data.Supervisors[0], time.Hour)
	if err != nil {
		return err
	}
	var reviewers []string
	for i := 0; i < len(data.Reviewers) && len(reviewers) < 20; i += max(1, len(data.Reviewers)/20) {
		t, _, err := store.CreateSession(ctx, data.Reviewers[i], time.Hour)
		if err != nil {
			return err
		}
		reviewers = append(reviewers, t)
	}
	srv, err := startServer(cfg, roleProduct, dsn, logPath)
	if err != nil {
		return err
	}
	defer srv.stop()
	c := &client{http: newHTTPClient(1), base: srv.base, rec: newRecorder()}
	n := cfg.scale.samples
	y := strconv.Itoa(due)
	probes := []struct{ name, path string }{
		{"task list of a reviewer (GET /api/v1/reports?state=in_review)", "/api/v1/reports?state=in_review"},
		{fmt.Sprintf("supervisor's report list, office of %d agencies (GET /api/v1/reports?year=%s)", cfg.scale.perOffice, y), "/api/v1/reports?year=" + y},
		{fmt.Sprintf("supervisor dashboard, office of %d agencies (GET /api/v1/dashboard?year=%s)", cfg.scale.perOffice, y), "/api/v1/dashboard?year=" + y},
	}
	for i, p := range probes {
		for k := range n {
			token := sup
			if i == 0 {
				token = reviewers[k%len(reviewers)]
			}
			if _, err := c.do(ctx, p.name, "GET", p.path, token, nil); err != nil {
				return err
			}
		}
		s := c.rec.byAction[p.name]
		sum := summarize(s, time.Second)
		fmt.Fprintf(out, "| %s, %d requests: p50 / p99 | %s / %s ms%s |\n", p.name, n, ms(sum.p50), ms(sum.p99), errNote(sum))
	}
	fmt.Fprintf(out, "| server peak RSS after these | %.0f MB |\n", mb(srv.peakRSS()))
	return nil
}

func errNote(s summary) string {
	if len(s.errs) == 0 {
		return ""
	}
	return " (errors: " + s.errText() + ")"
}

func databaseSize(ctx context.Context, store *models.Store, driver, dsn string) (int64, error) {
	if driver == "sqlite" {
		var total int64
		for _, suffix := range []string{"", "-wal"} {
			if st, err := os.Stat(dsn + suffix); err == nil {
				total += st.Size()
			}
		}
		return total, nil
	}
	var size int64
	err := store.SQLDB().QueryRowContext(ctx, "SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&size)
	return size, err
}

// explainAll prints the plans of the queries measured above.
func explainAll(ctx context.Context, store *models.Store, driver string, data *scale.Data, due int, out io.Writer) error {
	ids := data.AgencyIDs[:min(len(data.AgencyIDs), 500)]
	in := "(" + strconv.FormatInt(ids[0], 10)
	for _, id := range ids[1:3] {
		in += "," + strconv.FormatInt(id, 10)
	}
	in += ",…)"
	list := "agency_id IN (" + joinIDs(ids) + ")"
	queries := []struct{ name, sql string }{
		{"task list: agency_id IN (1 agency) AND state", fmt.Sprintf("SELECT id FROM reports WHERE agency_id IN (%d) AND state = 'in_review' ORDER BY year DESC, agency_id, id", ids[0])},
		{"supervisor list/dashboard: agency_id IN " + in + " AND year AND kind", "SELECT id FROM reports WHERE " + list + fmt.Sprintf(" AND year = %d AND kind = 'agency' ORDER BY year DESC, agency_id, id", due)},
		{"child agencies of an office", fmt.Sprintf("SELECT id FROM agencies WHERE parent_id = %d ORDER BY id", data.Offices[0])},
		{"reminder planning: unpublished reports", "SELECT id, agency_id, year, kind, state, step, revision, updated_at FROM reports " +
			"WHERE state IN ('draft', 'in_review', 'in_approval', 'approved') ORDER BY year, agency_id, id"},
		{"audit verification batch", "SELECT id FROM audit_events WHERE id > 1000 AND id <= 6000 ORDER BY id"},
		{"report audit trail", "SELECT id FROM audit_events WHERE report_id = 7 ORDER BY id"},
	}
	fmt.Fprintf(out, "\nquery plans (%s):\n", driver)
	for _, q := range queries {
		prefix := "EXPLAIN QUERY PLAN "
		if driver == "mysql" {
			prefix = "EXPLAIN "
		}
		rows, err := store.SQLDB().QueryContext(ctx, prefix+q.sql)
		if err != nil {
			return fmt.Errorf("explain %s: %w", q.name, err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(out, "- %s\n", q.name)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			line := ""
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				if v == nil || slices.Contains([]string{"id", "parent", "notused", "select_type", "partitions", "filtered"}, cols[i]) {
					continue
				}
				line += fmt.Sprintf(" %s=%v", cols[i], v)
			}
			fmt.Fprintf(out, "   %s\n", line)
		}
		rows.Close()
	}
	return nil
}

func joinIDs(ids []int64) string {
	b := make([]byte, 0, len(ids)*6)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}
