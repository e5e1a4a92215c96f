package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"qianfa/audit"
)

// auditSelect reads the events of one seq range, for VerifyAudit.
const auditSelect = "SELECT id, chain, pos, at, actor_id, actor_username, action, agency_id, report_id, " +
	"from_state, to_state, comment, revision, data, prev_hash, hash FROM audit_events WHERE id > ? AND id <= ? ORDER BY id"

// auditSelectSQLite reads the same columns as auditSelect packed into one
// BLOB per row: the sixteen numbers (six integer columns, then the byte
// length of each text column), each followed by a space, then the ten text
// columns' bytes back to back. The pure-Go SQLite driver fetches every
// column value through the engine's API under its mutex and copies it into
// a new Go value, which was 60 % of verification's CPU with one column per
// field (BENCHMARKS.md, fix 25). A NULL anywhere makes the row NULL, which
// the reader refuses: every column is NOT NULL.
const auditSelectSQLite = "SELECT CAST(printf('%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d ', " +
	"id, pos, actor_id, agency_id, report_id, revision, " +
	"length(CAST(chain AS BLOB)), length(CAST(at AS BLOB)), length(CAST(actor_username AS BLOB)), " +
	"length(CAST(action AS BLOB)), length(CAST(from_state AS BLOB)), length(CAST(to_state AS BLOB)), " +
	"length(CAST(comment AS BLOB)), length(CAST(data AS BLOB)), length(CAST(prev_hash AS BLOB)), " +
	"length(CAST(hash AS BLOB))) || " +
	"chain || at || actor_username || action || from_state || to_state || comment || data || prev_hash || hash AS BLOB) " +
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
		columns := auditColumns
		if sqlite {
			columns = 1
		}
		r := auditRangeReader{stmt: q, sqlite: sqlite, vals: make([]driver.Value, columns)}
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
	sqlite bool // auditSelectSQLite: one packed BLOB per row
	vals   []driver.Value
	f      auditFields
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
	if len(rows.Columns()) != len(r.vals) {
		return nil, fmt.Errorf("audit events: %d columns, want %d", len(rows.Columns()), len(r.vals))
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

// auditFields are the values of one row, as either form of the select
// gives them; the byte slices are the driver's, valid until the next row.
type auditFields struct {
	ints  [6]int64 // id, pos, actor_id, agency_id, report_id, revision
	at    time.Time
	atRaw []byte // at as stored text, when the driver did not parse it
	texts [auditTexts][]byte
}

// The text columns in the order of auditFields.texts and of the packed row.
const (
	textChain = iota
	textAt    // only in the packed row; auditFields keeps it in atRaw
	textActorUsername
	textAction
	textFromState
	textToState
	textComment
	textData
	textPrevHash
	textHash
	auditTexts
)

// event decodes the current row.
func (r *auditRangeReader) event() (audit.Event, error) {
	var err error
	if r.sqlite {
		err = r.f.unpack(asBytes(r.vals[0]))
	} else {
		err = r.f.fromColumns(r.vals)
	}
	if err != nil {
		return audit.Event{}, err
	}
	return r.build(&r.f)
}

// fromColumns takes the sixteen columns of auditSelect.
func (f *auditFields) fromColumns(v []driver.Value) error {
	for i, col := range [6]int{0, 2, 4, 7, 8, 12} {
		n, ok := v[col].(int64)
		if !ok {
			var err error
			if n, err = strconv.ParseInt(string(asBytes(v[col])), 10, 64); err != nil {
				return fmt.Errorf("audit events: column %d: %v is not an integer", col, v[col])
			}
		}
		f.ints[i] = n
	}
	f.at, f.atRaw = time.Time{}, nil
	switch at := v[3].(type) {
	case time.Time:
		f.at = at
	default:
		if f.atRaw = asBytes(at); f.atRaw == nil {
			return fmt.Errorf("audit event %d: at %v is not a time", f.ints[0], v[3])
		}
	}
	for i, col := range [auditTexts]int{1, 3, 5, 6, 9, 10, 11, 13, 14, 15} {
		f.texts[i] = asBytes(v[col])
	}
	return nil
}

// unpack takes the packed row of auditSelectSQLite.
func (f *auditFields) unpack(b []byte) error {
	if b == nil {
		return errors.New("audit events: a row has a NULL column")
	}
	var lens [auditTexts]int64
	for i := range 16 {
		n, rest, ok := packedNumber(b)
		if !ok {
			return errors.New("audit events: malformed packed row")
		}
		if i < 6 {
			f.ints[i] = n
		} else {
			lens[i-6] = n
		}
		b = rest
	}
	for i, n := range lens {
		if n < 0 || n > int64(len(b)) {
			return fmt.Errorf("audit event %d: malformed packed row", f.ints[0])
		}
		f.texts[i], b = b[:n], b[n:]
	}
	if len(b) != 0 {
		return fmt.Errorf("audit event %d: malformed packed row", f.ints[0])
	}
	f.at, f.atRaw = time.Time{}, f.texts[textAt]
	return nil
}

// packedNumber reads a decimal integer followed by a space.
func packedNumber(b []byte) (int64, []byte, bool) {
	neg := len(b) > 0 && b[0] == '-'
	i := 0
	if neg {
		i = 1
	}
	var n int64
	start := i
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if n > (math.MaxInt64-9)/10 {
			return 0, nil, false
		}
		n = n*10 + int64(b[i]-'0')
	}
	if i == start || i >= len(b) || b[i] != ' ' {
		return 0, nil, false
	}
	if neg {
		n = -n
	}
	return n, b[i+1:], true
}

// build makes the event of f: chain and hash in one string, the names
// interned, comment, data and previous hash appended to the range's arena.
func (r *auditRangeReader) build(f *auditFields) (audit.Event, error) {
	var e audit.Event
	e.Seq, e.Pos, e.ActorID, e.AgencyID, e.ReportID, e.Revision = f.ints[0], f.ints[1], f.ints[2], f.ints[3], f.ints[4], int(f.ints[5])
	if f.atRaw == nil {
		e.At = f.at.UTC()
	} else {
		t, err := parseSQLiteTime(string(f.atRaw))
		if err != nil {
			return e, fmt.Errorf("audit event %d: %w", e.Seq, err)
		}
		e.At = t
	}
	chain, hash := f.texts[textChain], f.texts[textHash]
	r.row = append(append(r.row[:0], chain...), hash...)
	row := string(r.row)
	e.Chain, e.Hash = row[:len(chain)], row[len(chain):]
	e.ActorUsername, e.Action = r.names.of(f.texts[textActorUsername]), r.names.of(f.texts[textAction])
	e.FromState, e.ToState = r.names.of(f.texts[textFromState]), r.names.of(f.texts[textToState])
	for _, t := range [3]int{textComment, textData, textPrevHash} {
		r.arena = append(r.arena, f.texts[t]...)
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
