// Package audit keeps the audit log tamper-evident: every event is chained
// to the previous event of its chain by an HMAC-SHA256 over a canonical
// encoding, and the chain's head (count and newest MAC) is kept on the
// owner's row. Verify detects modified, deleted, inserted and reordered
// events and truncated chains. It imports only the standard library.
package audit

import (
	"strconv"
	"time"
)

// Event is one audit log entry. Seq is the storage id and gives the global
// order; every other field except Hash is covered by the MAC.
type Event struct {
	Seq                int64     // database id, global order; NOT covered by the MAC
	Chain              string    // "report:7" or "agency:3"
	Pos                int64     // 1-based position within the chain
	At                 time.Time // UTC, microsecond precision (stored as DATETIME(6))
	ActorID            int64
	ActorUsername      string
	Action             string
	AgencyID           int64
	ReportID           int64
	FromState, ToState string
	Comment            string
	Revision           int
	Data               string // compact JSON text or ""; MAC'd byte for byte, so store it as text
	PrevHash           string // hex MAC of the previous event in the chain, "" for Pos 1
	Hash               string // hex HMAC-SHA256(key, canonical(event without Seq/Hash))
}

// Head is the state of one chain, kept on the chain owner's row: the number
// of events and the MAC of the newest one ("" when empty).
type Head struct {
	Count int64
	Hash  string
}

// ReportChain names the chain of report id.
func ReportChain(id int64) string { return "report:" + strconv.FormatInt(id, 10) }

// AgencyChain names the chain of agency id.
func AgencyChain(id int64) string { return "agency:" + strconv.FormatInt(id, 10) }

// Next appends e to the chain whose head is head: it sets e.Pos and
// e.PrevHash, normalises e.At to UTC microseconds (what DATETIME(6) keeps),
// computes e.Hash, and returns the chain's new head for the owner's row.
func Next(key []byte, head Head, e *Event) Head {
	e.Pos = head.Count + 1
	e.PrevHash = head.Hash
	e.At = e.At.UTC().Truncate(time.Microsecond)
	m := newMAC(key)
	e.Hash = string(m.event(e))
	return Head{Count: e.Pos, Hash: e.Hash}
}
