package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"qianfa/audit"
)

// auditSelect reads the events of one seq range, for VerifyAudit.
const auditSelect = "SELECT id, chain, pos, at, actor_id, actor_username, action, agency_id, report_id, " +
	"from_state, to_state, comment, revision, data, prev_hash, hash FROM audit_events WHERE id > ? AND id <= ? ORDER BY id"

// auditSelectSQLite is auditSelect with the text columns read as BLOBs: for every
// TEXT value of every row the SQLite driver looks up the column's declared type
// (under the engine's mutex) to decide whether to parse a time, and parses at
// twice; with BLOBs it hands over the bytes, and parseSQLiteTime reads at
// (measured with BenchmarkVerifyAudit: 372 000 → 455 000 events/s).
const auditSelectSQLite = "SELECT id, CAST(chain AS BLOB), pos, CAST(at AS BLOB), actor_id, CAST(actor_username AS BLOB), " +
	"CAST(action AS BLOB), agency_id, report_id, CAST(from_state AS BLOB), CAST(to_state AS BLOB), CAST(comment AS BLOB), " +
	"revision, CAST(data AS BLOB), CAST(prev_hash AS BLOB), CAST(hash AS BLOB) " +
	"FROM audit_events WHERE id > ? AND id <= ? ORDER BY id"

// auditReaders is how many connections read disjoint seq ranges of the log at
// once for VerifyAudit. Reading (the pure-Go SQLite engine, or MariaDB's wire
// protocol) costs several times the MAC check, so one reader kept the
// verifier waiting (BENCHMARKS.md).
const auditReaders = 3

// auditChunk is one range (after, upTo] of seqs and, once read, its events.
type auditChunk struct {
	after, upTo int64
	events      []audit.Event
	err         error
	done        chan struct{}
}

// auditBatches streams the whole log in seq order into the returned channel,
// in ranges of batch seqs read by auditReaders connections in parallel, while
// the caller verifies: the ranges are disjoint and handed over in order, so
// the verifier sees exactly the sequence one ordered scan would give. Only
// events up to the largest seq at the start are read. The error channel
// yields one value once the stream ends.
func (s *Store) auditBatches(ctx context.Context, batch int) (<-chan []audit.Event, <-chan error) {
	out := make(chan []audit.Event, 2)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- s.streamAudit(ctx, int64(batch), out)
	}()
	return out, errc
}

func (s *Store) streamAudit(ctx context.Context, batch int64, out chan<- []audit.Event) error {
	db := s.readSQL()
	var first, last int64
	err := db.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM audit_events").Scan(&first, &last)
	if err != nil || last == 0 {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *auditChunk)
	// pending holds the chunks in seq order; its capacity bounds how far the
	// readers run ahead of the verifier.
	pending := make(chan *auditChunk, 2*auditReaders)
	var wg sync.WaitGroup
	for range auditReaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.readAuditRanges(ctx, db, jobs, batch)
			for c := range jobs { // only left when the reader could not start
				c.err = err
				close(c.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(pending)
		for after := first - 1; after < last; after += batch {
			c := &auditChunk{after: after, upTo: min(after+batch, last), done: make(chan struct{})}
			select {
			case pending <- c:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	defer cancel() // runs before wg.Wait: stops readers and dispatcher on an early return
	for c := range pending {
		select {
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if c.err != nil {
			return c.err
		}
		if len(c.events) == 0 {
			continue
		}
		select {
		case out <- c.events:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}

// readAuditRanges reads the chunks of jobs until it is closed, with one
// statement prepared on one connection and read through the driver itself:
//   - on MariaDB a prepared statement's rows come in the binary protocol, so
//     integers and DATETIMEs arrive as binary fields instead of text the
//     server formats and the driver parses again (the DSN's interpolateParams
//     sends every other query as text);
//   - driver.Rows.Next hands over each row's values without database/sql's
//     Scan (reflection and conversion for every column: a quarter of the
//     reading time in pprof on MariaDB).
func (s *Store) readAuditRanges(ctx context.Context, db *sql.DB, jobs <-chan *auditChunk, batch int64) error {
	sqlite := s.driver == DriverSQLite
	query := auditSelect
	if sqlite {
		query = auditSelectSQLite
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		// Both drivers Open accepts implement the context interfaces.
		p, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("audit events: the %s driver cannot prepare with a context", s.driver)
		}
		stmt, err := p.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		q, ok := stmt.(driver.StmtQueryContext)
		if !ok {
			return fmt.Errorf("audit events: the %s driver cannot query with a context", s.driver)
		}
		r := auditRangeReader{stmt: q, sqlite: sqlite, vals: make([]driver.Value, auditColumns)}
		for c := range jobs {
			c.events, c.err = r.read(ctx, c.after, c.upTo, make([]audit.Event, 0, batch))
			close(c.done)
		}
		return nil
	})
}

// auditColumns is the number of columns of auditSelect.
const auditColumns = 16

// auditRangeReader turns the rows of one prepared auditSelect into events.
type auditRangeReader struct {
	stmt   driver.StmtQueryContext
	sqlite bool // auditSelectSQLite: text columns as BLOBs, at as text
	vals   []driver.Value
	names  interned // actions, states and usernames repeat
	row    []byte   // chain and hash of the current row
	arena  []byte   // comment, data and prev_hash of a range
	ends   []int    // where each of those ends in arena, three per event
}

func (r *auditRangeReader) read(ctx context.Context, after, upTo int64, events []audit.Event) ([]audit.Event, error) {
	rows, err := r.stmt.QueryContext(ctx, []driver.NamedValue{{Ordinal: 1, Value: after}, {Ordinal: 2, Value: upTo}})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if len(rows.Columns()) != auditColumns {
		return nil, fmt.Errorf("audit events: %d columns, want %d", len(rows.Columns()), auditColumns)
	}
	if r.names == nil {
		r.names = interned{}
	}
	r.arena, r.ends = r.arena[:0], r.ends[:0]
	for {
		if err := rows.Next(r.vals); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		e, err := r.event()
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	// One string for the comments, data and previous hashes of the range,
	// which the verifier does not keep; chain and hash, which it keeps for
	// every chain, have a string per event so as not to pin the range.
	arena := string(r.arena)
	start := 0
	for i := range events {
		e, ends := &events[i], r.ends[3*i:3*i+3]
		e.Comment, e.Data, e.PrevHash = arena[start:ends[0]], arena[ends[0]:ends[1]], arena[ends[1]:ends[2]]
		start = ends[2]
	}
	return events, nil
}

// event decodes the current row; the driver's byte slices are only valid
// until the next row.
func (r *auditRangeReader) event() (audit.Event, error) {
	v := r.vals
	var e audit.Event
	var ints [6]int64
	for i, col := range [6]int{0, 2, 4, 7, 8, 12} {
		n, ok := v[col].(int64)
		if !ok {
			var err error
			if n, err = strconv.ParseInt(string(asBytes(v[col])), 10, 64); err != nil {
				return e, fmt.Errorf("audit events: column %d: %v is not an integer", col, v[col])
			}
		}
		ints[i] = n
	}
	e.Seq, e.Pos, e.ActorID, e.AgencyID, e.ReportID, e.Revision = ints[0], ints[1], ints[2], ints[3], ints[4], int(ints[5])
	switch at := v[3].(type) {
	case time.Time:
		e.At = at.UTC()
	default:
		b := asBytes(at)
		if b == nil {
			return e, fmt.Errorf("audit event %d: at %v is not a time", e.Seq, v[3])
		}
		t, err := parseSQLiteTime(string(b))
		if err != nil {
			return e, fmt.Errorf("audit event %d: %w", e.Seq, err)
		}
		e.At = t
	}
	chain, hash := asBytes(v[1]), asBytes(v[15])
	r.row = append(append(r.row[:0], chain...), hash...)
	row := string(r.row)
	e.Chain, e.Hash = row[:len(chain)], row[len(chain):]
	e.ActorUsername, e.Action = r.names.of(asBytes(v[5])), r.names.of(asBytes(v[6]))
	e.FromState, e.ToState = r.names.of(asBytes(v[9])), r.names.of(asBytes(v[10]))
	for _, col := range [3]int{11, 13, 14} { // comment, data, prev_hash
		r.arena = append(r.arena, asBytes(v[col])...)
		r.ends = append(r.ends, len(r.arena))
	}
	return e, nil
}

// asBytes is the bytes of a text value as a driver hands it over ([]byte,
// or string from a driver that converts), nil for anything else.
func asBytes(v driver.Value) []byte {
	switch b := v.(type) {
	case []byte:
		return b
	case string:
		return []byte(b)
	}
	return nil
}

// sqliteTimeFormats are the layouts the SQLite driver (glebarez/go-sqlite 1.23)
// reads a DATETIME with, in its order; it writes the first.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime reads a stored DATETIME as the driver would, in UTC.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseStoredTime(s); ok {
		return t, nil
	}
	ts := strings.TrimSuffix(s, "Z")
	for _, f := range sqliteTimeFormats {
		if t, err := time.ParseInLocation(f, ts, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	// The driver also reads Time.String()'s form, with or without the monotonic part.
	if i := strings.Index(s, "m="); i > 0 {
		s = s[:i]
	}
	t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("at %q: not a time", s)
	}
	return t.UTC(), nil
}

// parseStoredTime reads the form the driver writes (its first layout) for
// the times the store writes, "2006-01-02 15:04:05.999999-07:00" (UTC
// offset, at most microseconds), without time.Parse's generality; ok is false
// for anything else.
func parseStoredTime(s string) (time.Time, bool) {
	n := len(s)
	if n < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
		s[n-6] != '+' || s[n-3] != ':' || s[n-5:n-3] != "00" || s[n-2:] != "00" {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nanos := 0
	if frac := s[19 : n-6]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		f, ok := digits(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			f *= 10
		}
		nanos = f
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC)
	if t.Day() != day { // 2022-02-30 does not exist; let time.Parse refuse it
		return time.Time{}, false
	}
	return t, true
}

// digits is the value of a string of ASCII digits.
func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// interned hands out one string per distinct value.
type interned map[string]string

func (m interned) of(b []byte) string {
	if s, ok := m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	m[s] = s
	return s
}
