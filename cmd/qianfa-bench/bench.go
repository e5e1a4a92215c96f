package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/go-sql-driver/mysql"
)

// measured is one product or floor phase with the server's peak RSS.
type measured struct {
	phase
	rss int64
	cpu cpuUse
}

// runBench prepares the database, seeds it, and runs the product and floor
// phases for every K.
func runBench(ctx context.Context, cfg benchConfig, out io.Writer) error {
	dir, dsn, cleanup, err := workspace(ctx, cfg, "qianfa-bench-")
	if err != nil {
		return err
	}
	defer cleanup()
	fx, err := seedDB(ctx, cfg, dsn)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "qianfa-bench: %s, %d agencies, %d reports, %d leader step(s), reauth=%v, conflict=%d, %d CPUs (GOMAXPROCS %d), %s per phase; seeded in %s\n",
		cfg.driver, cfg.agencies, len(fx.flows), cfg.steps, cfg.reauth, cfg.conflict, runtime.NumCPU(), runtime.GOMAXPROCS(0),
		cfg.duration, fx.sessions.Round(time.Millisecond))
	b := &bencher{cfg: cfg, dsn: dsn, fx: fx, pool: &pool{flows: fx.flows}, log: filepath.Join(dir, "server.log"), out: out}
	if cfg.driver == "mysql" {
		b.dbPID = databasePID()
	}
	var rows []summaryRow
	for _, k := range cfg.clients {
		row := summaryRow{k: k}
		for round := 1; round <= cfg.rounds && ctx.Err() == nil; round++ {
			prod, err := b.productPhase(ctx, k)
			if err != nil {
				return err
			}
			b.print(fmt.Sprintf("product c=%d round %d", k, round), prod)
			row.product = append(row.product, prod)
			if cfg.floor {
				fl, err := b.floorPhase(ctx, k)
				if err != nil {
					return err
				}
				b.print(fmt.Sprintf("floor c=%d round %d", k, round), fl)
				row.floor = append(row.floor, fl)
			}
		}
		rows = append(rows, row)
	}
	printSummary(out, cfg, rows)
	if b.pool.next.Load() >= int64(len(fx.flows)) {
		fmt.Fprintln(out, "note: the reports ran out; raise -reports (and -agencies) for longer phases")
	}
	return nil
}

// bencher holds what the phases share.
type bencher struct {
	cfg           benchConfig
	dsn           string
	fx            *fixture
	pool          *pool
	floorVersions []int64
	log           string
	out           io.Writer
	dbPID         int // a local MariaDB/MySQL server, 0 when none (its CPU is then not shown)
}

func (b *bencher) productPhase(ctx context.Context, k int) (measured, error) {
	base, srv := b.cfg.url, (*serverProc)(nil)
	if base == "" {
		var err error
		if srv, err = startServer(b.cfg, roleProduct, b.dsn, b.log); err != nil {
			return measured{}, err
		}
		defer srv.stop()
		base = srv.base
	}
	var body func(ctx context.Context, i int, c *client) bool
	if b.cfg.conflict > 1 {
		groups := make([]raceGroup, (k+b.cfg.conflict-1)/b.cfg.conflict)
		members := make([]racer, k)
		body = func(ctx context.Context, i int, c *client) bool {
			return raceStep(ctx, c, &groups[i/b.cfg.conflict], &members[i], b.pool, b.fx.contents, b.cfg.reauth)
		}
	} else {
		body = func(ctx context.Context, _ int, c *client) bool {
			return flowOnce(ctx, c, b.pool, b.fx.contents, b.cfg.reauth)
		}
	}
	if srv == nil {
		return measured{phase: runClients(ctx, base, k, b.cfg.duration, body)}, nil
	}
	return b.measure(ctx, srv, k, body), nil
}

func (b *bencher) floorPhase(ctx context.Context, k int) (measured, error) {
	// A floor request cut by the end of the phase before may have been
	// committed: the clients start from the rows' versions as stored, so that
	// no phase counts a 409 that only the bench caused.
	if err := b.readFloorVersions(ctx); err != nil {
		return measured{}, err
	}
	srv, err := startServer(b.cfg, roleFloor, b.dsn, b.log)
	if err != nil {
		return measured{}, err
	}
	defer srv.stop()
	body := func(ctx context.Context, i int, c *client) bool {
		return floorOnce(ctx, c, b.fx.floorIDs[i], &b.floorVersions[i])
	}
	return b.measure(ctx, srv, k, body), nil
}

// readFloorVersions sets the floor clients' versions from the database.
func (b *bencher) readFloorVersions(ctx context.Context) error {
	store, err := openStore(ctx, b.cfg.driver, b.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	b.floorVersions, err = storedVersions(ctx, store, b.fx.floorIDs)
	return err
}

// measure runs k clients against srv and records its peak RSS and the CPU
// that the server, the database and the load generator used meanwhile.
func (b *bencher) measure(ctx context.Context, srv *serverProc, k int, body func(ctx context.Context, i int, c *client) bool) measured {
	meter := startCPU(srv.cmd.Process.Pid, b.dbPID)
	m := measured{phase: runClients(ctx, srv.base, k, b.cfg.duration, body)}
	m.cpu = meter.stop()
	m.rss = srv.peakRSS()
	return m
}

// actionOrder is the order the results list the actions in.
var actionOrder = []string{actSave, actSubmit, actReview, actLeader, actPassword, actPublish, actGet, actFloor}

func (b *bencher) print(title string, m measured) {
	fmt.Fprintf(b.out, "\n== %s: %.1fs, server peak RSS %.1f MB%s\n", title, m.elapsed.Seconds(), mb(m.rss), exhaustedNote(m.exhausted))
	fmt.Fprintf(b.out, "%-28s %8s %9s %8s %8s %8s  %s\n", "action", "n", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
	for _, a := range actionOrder {
		if s, ok := m.rec.byAction[a]; ok {
			printLine(b.out, a, summarize(s, m.elapsed))
		}
	}
	printLine(b.out, "overall", summarize(m.rec.overall(), m.elapsed))
	if m.rec.flows > 0 {
		fmt.Fprintf(b.out, "complete flows: %d (%.1f flows/s)\n", m.rec.flows, float64(m.rec.flows)/m.elapsed.Seconds())
	}
	if cpu := m.cpu.msPerRequest(len(m.rec.overall().lat)); cpu.server > 0 {
		fmt.Fprintf(b.out, "CPU per request, ms (server / database / load generator): %s\n", cpu)
	}
}

func printLine(w io.Writer, name string, s summary) {
	fmt.Fprintf(w, "%-28s %8d %9.1f %8s %8s %8s  %s\n", name, s.n, s.rate, ms(s.p50), ms(s.p95), ms(s.p99), s.errText())
}

func exhaustedNote(ex bool) string {
	if ex {
		return " (reports ran out before the end)"
	}
	return ""
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// summaryRow is every round of one K.
type summaryRow struct {
	k       int
	product []measured
	floor   []measured
}

// printSummary prints the medians over the rounds as a Markdown table.
func printSummary(w io.Writer, cfg benchConfig, rows []summaryRow) {
	fmt.Fprintf(w, "\n## Summary (%s, reauth=%v, conflict=%d; medians of %d round(s))\n\n", cfg.driver, cfg.reauth, cfg.conflict, cfg.rounds)
	fmt.Fprintln(w, "| c | product req/s | flows/s | transitions/s | product p50 / p99 ms | floor req/s | floor p50 / p99 ms | ratio req/s | ratio p99 | product RSS MB | floor RSS MB |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		p := medianOf(r.product)
		line := fmt.Sprintf("| %d | %.0f | %.1f | %.0f | %s / %s | ", r.k, p.rate, p.flows, p.transitions, ms(p.p50), ms(p.p99))
		if len(r.floor) > 0 {
			f := medianOf(r.floor)
			line += fmt.Sprintf("%.0f | %s / %s | **%.2f** | %.2f | %.0f | %.0f |", f.rate, ms(f.p50), ms(f.p99),
				p.rate/f.rate, float64(p.p99)/float64(f.p99), p.rss, f.rss)
		} else {
			line += fmt.Sprintf("– | – | – | – | %.0f | – |", p.rss)
		}
		fmt.Fprintln(w, line)
	}
	printCPUSummary(w, rows)
}

// printCPUSummary prints the medians of the CPU each request cost the server,
// the database (a local MariaDB/MySQL; SQLite's is the server's) and the load
// generator. When both phases keep the cores busy, the ratio of the totals is
// the ratio of the rates, and the columns say where the difference goes.
func printCPUSummary(w io.Writer, rows []summaryRow) {
	if len(rows) == 0 || len(rows[0].product) == 0 || medianOf(rows[0].product).cpu.server == 0 {
		return
	}
	fmt.Fprintln(w, "\n| c | product CPU ms/request: server / database / generator | floor CPU ms/request | floor ÷ product total |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|")
	for _, r := range rows {
		p := medianOf(r.product).cpu
		line := fmt.Sprintf("| %d | %s | ", r.k, p)
		if len(r.floor) > 0 {
			f := medianOf(r.floor).cpu
			line += fmt.Sprintf("%s | %.2f |", f, f.total()/p.total())
		} else {
			line += "– | – |"
		}
		fmt.Fprintln(w, line)
	}
}

type medians struct {
	rate, flows, transitions, rss float64
	p50, p99                      time.Duration
	cpu                           cpuPerRequest
}

func medianOf(ms []measured) medians {
	var rate, flows, trans, rss []float64
	var p50, p99 []time.Duration
	var srv, db, gen []float64
	haveDB := false
	for _, m := range ms {
		s := summarize(m.rec.overall(), m.elapsed)
		c := m.cpu.msPerRequest(s.n)
		srv, db, gen, haveDB = append(srv, c.server), append(db, c.database), append(gen, c.generator), c.haveDatabase
		rate, p50, p99 = append(rate, s.rate), append(p50, s.p50), append(p99, s.p99)
		flows = append(flows, float64(m.rec.flows)/m.elapsed.Seconds())
		n := 0
		for a, ser := range m.rec.byAction {
			if a != actSave && a != actGet && a != actFloor {
				n += len(ser.lat)
			}
		}
		trans = append(trans, float64(n)/m.elapsed.Seconds())
		rss = append(rss, mb(m.rss))
	}
	return medians{rate: med(rate), flows: med(flows), transitions: med(trans), rss: med(rss), p50: med(p50), p99: med(p99),
		cpu: cpuPerRequest{server: med(srv), database: med(db), generator: med(gen), haveDatabase: haveDB}}
}

func med[T float64 | time.Duration](v []T) T {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// workspace makes the run's directory (database file, server log) and a fresh database,
// and returns how to remove both, unless -keep asks to keep them.
func workspace(ctx context.Context, cfg benchConfig, prefix string) (dir, dsn string, cleanup func(), err error) {
	if dir, err = os.MkdirTemp("", prefix); err != nil {
		return "", "", nil, err
	}
	dsn, drop, err := prepareDB(ctx, cfg, dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", "", nil, err
	}
	return dir, dsn, func() {
		drop()
		if cfg.keepDB {
			fmt.Fprintf(os.Stderr, "kept %s (database and server log)\n", dir)
			return
		}
		_ = os.RemoveAll(dir)
	}, nil
}

// prepareDB returns the DSN of a fresh database and how to remove it.
func prepareDB(ctx context.Context, cfg benchConfig, dir string) (string, func(), error) {
	if cfg.driver == "sqlite" {
		if cfg.dsn != "" {
			return cfg.dsn, func() {}, nil
		}
		return filepath.Join(dir, "bench.db"), func() {}, nil
	}
	server := cfg.dsn
	if server == "" {
		server = "root@tcp(127.0.0.1:3306)/"
	}
	mc, err := mysql.ParseDSN(server)
	if err != nil {
		return "", nil, fmt.Errorf("-dsn: %w", err)
	}
	if mc.DBName != "" && cfg.url != "" {
		return server, func() {}, nil // the running server's database
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	mc.DBName = ""
	db, err := sql.Open("mysql", mc.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	name := "bench_" + hex.EncodeToString(rnd[:])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_ = db.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	mc.DBName, mc.ParseTime = name, true
	drop := func() {
		if !cfg.keepDB {
			_, _ = db.ExecContext(context.Background(), "DROP DATABASE "+name)
		} else {
			fmt.Fprintf(os.Stderr, "kept database %s\n", name)
		}
		_ = db.Close()
	}
	return mc.FormatDSN(), drop, nil
}

// seedDB migrates and seeds the database, then closes it before the servers open it.
func seedDB(ctx context.Context, cfg benchConfig, dsn string) (*fixture, error) {
	store, err := openStore(ctx, cfg.driver, dsn)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	return seed(ctx, store, cfg, slices.Max(cfg.clients))
}
