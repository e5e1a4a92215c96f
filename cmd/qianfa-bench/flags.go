package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The hidden roles of a re-executed bench binary.
const (
	roleProduct = "product" // the Qianfa handlers on the store
	roleFloor   = "floor"   // one guarded UPDATE and one INSERT per request
)

// benchConfig is the command line.
type benchConfig struct {
	driver     string        // sqlite | mysql
	dsn        string        // sqlite: file (default: temporary); mysql: DSN of the server, a fresh bench_<random> database is created in it
	keepDB     bool          // keep the MariaDB database afterwards
	url        string        // drive a running server instead of starting one (seeding still goes to -dsn)
	agencies   int           // N
	reports    int           // M
	clients    []int         // K, one phase per value
	duration   time.Duration // per phase
	rounds     int           // product/floor rounds per K, interleaved
	steps      int           // leader approval steps per agency
	reauth     bool          // the last leader step asks for the password (auth.require_reauth)
	conflict   int           // >1: that many clients race on each report
	floor      bool          // also measure the floor
	profileDir string        // write the servers' CPU and heap profiles here
	scaleMode  bool          // generate the region-sized database and measure it instead
	scale      scaleConfig

	// server role
	role string
	addr string
}

func parseFlags(args []string) (benchConfig, error) {
	var c benchConfig
	var clients string
	fs := flag.NewFlagSet("qianfa-bench", flag.ContinueOnError)
	fs.StringVar(&c.driver, "db", "sqlite", "database: sqlite or mysql")
	fs.StringVar(&c.dsn, "dsn", "", "sqlite: database file (default: a temporary file); mysql: server DSN, e.g. root@tcp(127.0.0.1:3306)/ (a fresh bench_<random> database is created and dropped)")
	fs.BoolVar(&c.keepDB, "keep", false, "keep the database afterwards")
	fs.StringVar(&c.url, "url", "", "drive the server at this URL instead of starting one; it must use the database of -db/-dsn (with -dsn naming that database)")
	fs.IntVar(&c.agencies, "agencies", 400, "N: agencies to create, each with a drafter, a reviewer, leaders and a publisher")
	fs.IntVar(&c.reports, "reports", 1200, "M: draft reports to create (at most 5 per agency: the due year first, then the years before)")
	fs.StringVar(&clients, "c", "8,64", "K: concurrent clients, a comma-separated list (one phase each)")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "length of each measured phase")
	fs.IntVar(&c.rounds, "rounds", 1, "product/floor rounds per K (interleaved; the medians are reported)")
	fs.IntVar(&c.steps, "steps", 1, "leader approval steps per agency")
	fs.BoolVar(&c.reauth, "reauth", true, "the last leader step verifies the password (argon2id), as shipped")
	fs.IntVar(&c.conflict, "conflict", 0, "when > 1, that many clients race on each report (only 409s are expected)")
	fs.BoolVar(&c.floor, "floor", true, "also measure the floor server and print the ratio")
	fs.StringVar(&c.profileDir, "profile", "", "directory for the servers' CPU and heap profiles")
	fs.BoolVar(&c.scaleMode, "scale", false, "generate a region-sized database and measure task lists, the dashboard, reminder planning and audit verification")
	fs.IntVar(&c.scale.agencies, "scale-agencies", 10000, "-scale: reporting agencies")
	fs.IntVar(&c.scale.perOffice, "scale-office", 500, "-scale: agencies per supervising office")
	fs.IntVar(&c.scale.reports, "scale-reports", 100000, "-scale: reports in mixed states")
	fs.IntVar(&c.scale.events, "scale-events", 2000000, "-scale: audit events")
	fs.BoolVar(&c.scale.verifyOnly, "scale-verify", false, "-scale: only time audit verification (3 runs) on the kept database that -dsn names (mysql: with its database name)")
	fs.IntVar(&c.scale.samples, "scale-samples", 100, "-scale: requests per measured query")
	fs.StringVar(&c.role, "role", "", "internal: run as the product or floor server")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "internal: listen address of a server role")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, f := range strings.Split(clients, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return c, fmt.Errorf("-c: %q is not a positive number", f)
		}
		c.clients = append(c.clients, k)
	}
	switch {
	case c.driver != "sqlite" && c.driver != "mysql":
		return c, fmt.Errorf("-db: sqlite or mysql, not %q", c.driver)
	case c.agencies < 1 || c.reports < 1 || c.reports > maxYears*c.agencies:
		return c, fmt.Errorf("-reports must be between 1 and %d × -agencies (%d)", maxYears, maxYears*c.agencies)
	case c.steps < 1 || c.rounds < 1 || c.duration <= 0:
		return c, fmt.Errorf("-steps, -rounds and -duration must be positive")
	}
	return c, nil
}
