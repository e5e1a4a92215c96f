package audit

import (
	"testing"
	"time"
)

var testKey = func() []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = byte(i)
	}
	return k
}()

// TestNextKnownAnswer pins the canonical encoding: the MACs below were
// computed independently from the documented layout (length-prefixed
// strings, 8-byte big-endian numbers, At in Unix microseconds).
func TestNextKnownAnswer(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	e1 := Event{Seq: 99, Chain: ReportChain(7), ActorID: 5, ActorUsername: "drafter", Action: "submit",
		AgencyID: 3, ReportID: 7, FromState: "draft", ToState: "in_review", Comment: "请审核", Revision: 1,
		Data: `{"findings":0}`, At: time.Date(2021, 1, 20, 17, 30, 0, 123456789, shanghai)}
	head := Next(testKey, Head{}, &e1)
	const h1 = "b91efcca474b9398facdbba466bcde0b6f374fd186fe7540c852fc7286b8cb4f"
	wantAt := time.Date(2021, 1, 20, 9, 30, 0, 123456000, time.UTC)
	if e1.Pos != 1 || e1.PrevHash != "" || e1.Hash != h1 || head != (Head{Count: 1, Hash: h1}) || e1.At != wantAt {
		t.Fatalf("first event: pos %d prev %q hash %s at %v head %+v", e1.Pos, e1.PrevHash, e1.Hash, e1.At, head)
	}
	e2 := Event{Seq: 100, Chain: "report:7", ActorID: 5, ActorUsername: "drafter", Action: "withdraw",
		AgencyID: 3, ReportID: 7, FromState: "in_review", ToState: "draft", Revision: 1, At: wantAt}
	head = Next(testKey, head, &e2)
	const h2 = "785f0695ba6ff03a2d2e87b7f641beab8cc16065a331cc6ae464b29a48ed295b"
	if e2.Pos != 2 || e2.PrevHash != h1 || e2.Hash != h2 || head != (Head{Count: 2, Hash: h2}) {
		t.Fatalf("second event: pos %d prev %q hash %s head %+v", e2.Pos, e2.PrevHash, e2.Hash, head)
	}
	got := Verify(testKey, []Event{e1, e2}, map[string]Head{"report:7": head})
	want := Result{OK: true, Events: 2, Head: "f1b441aaa592c91f2ac0d5dbb9815d477498aadd06bbd5397a2898a463078119"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestCanonicalUnambiguous shows that moving bytes between neighbouring
// fields changes the MAC, which a plain join would not.
func TestCanonicalUnambiguous(t *testing.T) {
	a := Event{Chain: "report:7", FromState: "draft|x", ToState: "in_review"}
	b := Event{Chain: "report:7", FromState: "draft", ToState: "x|in_review"}
	Next(testKey, Head{}, &a)
	Next(testKey, Head{}, &b)
	if a.Hash == b.Hash {
		t.Error("shifting bytes between fields kept the MAC")
	}
}

func TestChainNames(t *testing.T) {
	if ReportChain(7) != "report:7" || AgencyChain(3) != "agency:3" {
		t.Errorf("got %q %q", ReportChain(7), AgencyChain(3))
	}
}
