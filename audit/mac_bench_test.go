package audit

import (
	"testing"
	"time"
)

// BenchmarkMAC is the cost of appending one event to a chain: its canonical
// encoding and HMAC-SHA256, which every write to a report pays.
func BenchmarkMAC(b *testing.B) {
	e := Event{Chain: ReportChain(7), At: time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC), ActorID: 5,
		ActorUsername: "leader", Action: "approve", AgencyID: 3, ReportID: 7, FromState: "in_approval",
		ToState: "approved", Comment: "同意", Revision: 2, Data: `{"from_step":0,"to_step":0}`}
	head := Head{Count: 11, Hash: "9f2c"}
	b.ReportAllocs()
	for b.Loop() {
		ev := e
		Next(testKey, head, &ev)
	}
}
