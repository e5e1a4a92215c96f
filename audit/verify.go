package audit

import (
	"fmt"
	"sort"
)

// Reason codes of a failed verification (Result.Code).
const (
	ReasonSeqOrder          = "seq_order"           // events not given in increasing Seq order
	ReasonMACMismatch       = "mac_mismatch"        // an event was modified or forged
	ReasonMissingEvent      = "missing_event"       // a position is skipped: events deleted
	ReasonReordered         = "reordered"           // a skipped position turns up later: events swapped
	ReasonInsertedEvent     = "inserted_event"      // a position repeats: an event inserted or replayed
	ReasonPrevMismatch      = "prev_mismatch"       // an event does not link to its predecessor
	ReasonHeadMissing       = "head_missing"        // a chain has events but no head on an owner row
	ReasonHeadMismatch      = "head_mismatch"       // the head disagrees with the newest event: truncated
	ReasonHeadWithoutEvents = "head_without_events" // the head counts events but none are left
)

// Result is the outcome of a verification, as GET /api/v1/audit/verify
// returns it. When OK, Head is the hex HMAC over every chain's head (count
// and newest MAC, sorted by chain name): one value that changes whenever any
// chain grows, worth recording outside the database. When not OK,
// FirstBadSeq names the first bad event (for a truncated chain, the newest
// event left in it; 0 when none is left) and Reason says why, as
// "code: Chinese explanation"; Code repeats the code alone.
type Result struct {
	OK          bool   `json:"ok"`
	Events      int    `json:"events"`
	Head        string `json:"head,omitempty"`
	FirstBadSeq int64  `json:"first_bad_seq,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Code        string `json:"reason_code,omitempty"`
}

// Verify checks events, given in increasing Seq order and in any mix of
// chains, against key and against heads, the chain heads kept on the owner
// rows. Every chain with events needs a head; a head without events must be
// empty.
func Verify(key []byte, events []Event, heads map[string]Head) Result {
	v := NewVerifier(key, heads)
	for i := range events {
		v.Add(events[i])
	}
	return v.Result()
}

// Verifier is the streaming form of Verify, for logs too large to hold in
// memory: call Add for each event in Seq order, then Result once.
type Verifier struct {
	m       *mac
	heads   map[string]Head
	chains  map[string]*chainState
	events  int
	lastSeq int64
	bad     *failure
}

// chainState is what a chain looks like after the events seen so far.
type chainState struct {
	count             int64
	hash              string
	firstSeq, lastSeq int64
}

// failure is the first problem found; a missing position may later turn
// out to be a reordering.
type failure struct {
	seq       int64
	code      string
	reason    string
	chain     string
	want, got int64 // positions of a missing_event
}

// NewVerifier starts a verification with key and the chain heads kept on
// the owner rows.
func NewVerifier(key []byte, heads map[string]Head) *Verifier {
	return &Verifier{m: newMAC(key), heads: heads, chains: map[string]*chainState{}}
}

// Add checks the next event in Seq order. After the first problem it only
// counts events and watches whether a missing position turns up later.
func (v *Verifier) Add(e Event) {
	v.events++
	if v.bad != nil {
		v.refine(&e)
		return
	}
	if v.events > 1 && e.Seq <= v.lastSeq {
		v.fail(e.Seq, ReasonSeqOrder, fmt.Sprintf("事件 %d 排在事件 %d 之后，未按序号递增", e.Seq, v.lastSeq))
		return
	}
	v.lastSeq = e.Seq
	c := v.chains[e.Chain]
	if c == nil {
		c = &chainState{firstSeq: e.Seq}
		v.chains[e.Chain] = c
	}
	if !equalHex(v.m.event(&e), e.Hash) {
		v.fail(e.Seq, ReasonMACMismatch, fmt.Sprintf("事件 %d（%s 第 %d 个）的校验码不符：内容被修改或伪造", e.Seq, e.Chain, e.Pos))
		return
	}
	if !v.links(c, &e) {
		return
	}
	c.count, c.hash, c.lastSeq = e.Pos, e.Hash, e.Seq
}

// links checks that e takes the next position of its chain and points to the
// chain's newest event.
func (v *Verifier) links(c *chainState, e *Event) bool {
	want := c.count + 1
	switch {
	case e.Pos > want:
		v.fail(e.Seq, ReasonMissingEvent, missingReason(e, want))
		v.bad.chain, v.bad.want, v.bad.got = e.Chain, want, e.Pos
	case e.Pos < want:
		v.fail(e.Seq, ReasonInsertedEvent, fmt.Sprintf("事件 %d（%s 第 %d 个）位置重复，此处应为第 %d 个：事件被插入或重放", e.Seq, e.Chain, e.Pos, want))
	case e.PrevHash != c.hash:
		v.fail(e.Seq, ReasonPrevMismatch, fmt.Sprintf("事件 %d（%s 第 %d 个）与前一事件不衔接：前序哈希不符", e.Seq, e.Chain, e.Pos))
	default:
		return true
	}
	return false
}

func missingReason(e *Event, want int64) string {
	return fmt.Sprintf("%s 缺少第 %d 个事件，事件 %d 记为第 %d 个：事件被删除", e.Chain, want, e.Seq, e.Pos)
}

// refine turns a missing_event into reordered when a genuine event with a
// missing position of that chain appears later in Seq order.
func (v *Verifier) refine(e *Event) {
	b := v.bad
	if b.code != ReasonMissingEvent || e.Chain != b.chain || e.Pos < b.want || e.Pos >= b.got {
		return
	}
	if !equalHex(v.m.event(e), e.Hash) {
		return
	}
	b.code = ReasonReordered
	b.reason = fmt.Sprintf("%s 第 %d 个事件（事件 %d）排在第 %d 个（事件 %d）之后：事件顺序被调换", b.chain, e.Pos, e.Seq, b.got, b.seq)
}

func (v *Verifier) fail(seq int64, code, reason string) {
	v.bad = &failure{seq: seq, code: code, reason: reason}
}

// Result finishes the verification: it compares every chain with its head
// and reports the outcome. Call it once, after the last Add.
func (v *Verifier) Result() Result {
	if v.bad == nil {
		v.checkHeads()
	}
	if b := v.bad; b != nil {
		return Result{Events: v.events, FirstBadSeq: b.seq, Code: b.code, Reason: b.code + ": " + b.reason}
	}
	return Result{OK: true, Events: v.events, Head: v.m.heads(v.seenHeads())}
}

// checkHeads records the head problem with the lowest Seq; problems without
// an event (Seq 0) come last, by chain name.
func (v *Verifier) checkHeads() {
	var found []failure
	for _, chain := range v.chainNames() {
		if f, bad := v.checkHead(chain); bad {
			found = append(found, f)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].seq, found[j].seq
		return a != 0 && (b == 0 || a < b)
	})
	if len(found) > 0 {
		v.bad = &found[0]
	}
}

// checkHead compares one chain's events with its head.
func (v *Verifier) checkHead(chain string) (failure, bool) {
	c, seen := v.chains[chain]
	h, kept := v.heads[chain]
	switch {
	case !seen && h == (Head{}):
		return failure{}, false
	case !seen:
		return failure{code: ReasonHeadWithoutEvents,
			reason: fmt.Sprintf("%s 的链头记录 %d 个事件，但链上没有任何事件：事件被全部删除", chain, h.Count)}, true
	case !kept:
		return failure{seq: c.firstSeq, code: ReasonHeadMissing,
			reason: fmt.Sprintf("%s 有 %d 个事件（自事件 %d 起），但没有链头记录", chain, c.count, c.firstSeq)}, true
	case h.Count != c.count || h.Hash != c.hash:
		return failure{seq: c.lastSeq, code: ReasonHeadMismatch,
			reason: fmt.Sprintf("%s 的链头记录 %d 个事件，链上有 %d 个、最后为事件 %d，两者不符：链被截断或链头被篡改", chain, h.Count, c.count, c.lastSeq)}, true
	}
	return failure{}, false
}

// chainNames lists every chain seen in events or in heads, sorted.
func (v *Verifier) chainNames() []string {
	names := make([]string, 0, len(v.chains)+len(v.heads))
	for c := range v.chains {
		names = append(names, c)
	}
	for c := range v.heads {
		if _, ok := v.chains[c]; !ok {
			names = append(names, c)
		}
	}
	sort.Strings(names)
	return names
}

// seenHeads is the head of every chain as the events build it.
func (v *Verifier) seenHeads() map[string]Head {
	heads := make(map[string]Head, len(v.chains))
	for name, c := range v.chains {
		heads[name] = Head{Count: c.count, Hash: c.hash}
	}
	return heads
}
