package audit

import (
	"strings"
	"testing"
)

// FuzzVerify tampers with a valid log as ops dictate and checks that Verify
// never panics and always answers consistently.
func FuzzVerify(f *testing.F) {
	f.Add([]byte{}, "")
	f.Add([]byte{0, 2}, "x")
	f.Add([]byte{1, 2, 3, 2, 4, 5}, "改")
	f.Add([]byte{5, 1, 6, 0, 7, 3}, "")
	f.Fuzz(func(t *testing.T, ops []byte, text string) {
		events, heads := sampleLog(t)
		events = tamper(events, heads, ops, text)
		got := Verify(testKey, events, heads)
		if got.Events != len(events) {
			t.Fatalf("Events = %d, want %d", got.Events, len(events))
		}
		if got.OK != (got.Reason == "") || got.OK != (got.Code == "") || got.OK != (len(got.Head) == 64) {
			t.Fatalf("inconsistent result %+v", got)
		}
		if !got.OK && !strings.HasPrefix(got.Reason, got.Code+": ") {
			t.Fatalf("reason %q without code %q", got.Reason, got.Code)
		}
		if len(ops) == 0 && !got.OK {
			t.Fatalf("untouched log fails: %+v", got)
		}
	})
}

// tamper applies ops, two bytes each: an operation and an event index.
func tamper(ev []Event, heads map[string]Head, ops []byte, text string) []Event {
	for i := 0; i+1 < len(ops) && len(ev) > 0; i += 2 {
		n := int(ops[i+1]) % len(ev)
		e := &ev[n]
		switch ops[i] % 9 {
		case 0:
			ev = append(ev[:n:n], ev[n+1:]...)
		case 1:
			m := (n + 1) % len(ev)
			ev[n].Seq, ev[m].Seq = ev[m].Seq, ev[n].Seq
		case 2:
			ev = append(ev, *e)
		case 3:
			e.Comment = text
		case 4:
			e.Pos += int64(ops[i+1]) - 128
		case 5:
			e.Chain = text
		case 6:
			heads[text] = Head{Count: int64(ops[i+1]), Hash: text}
		case 7:
			e.Hash, e.PrevHash = text, e.Hash
		case 8:
			e.Seq = -e.Seq
		}
	}
	return ev
}
