package audit

import (
	"fmt"
	"testing"
	"time"
)

// benchLog is n events spread over 1000 report chains, as a busy year looks.
func benchLog(n int) ([]Event, map[string]Head) {
	heads := map[string]Head{}
	events := make([]Event, n)
	at := time.Date(2021, 1, 20, 9, 30, 0, 0, time.UTC)
	for i := range events {
		id := int64(i % 1000)
		events[i] = Event{Seq: int64(i + 1), Chain: ReportChain(id), At: at.Add(time.Duration(i) * time.Second),
			ActorID: 5, ActorUsername: "drafter", Action: "content_saved", AgencyID: 3, ReportID: id,
			FromState: "draft", ToState: "draft", Comment: "保存草稿", Revision: 2, Data: fmt.Sprintf(`{"version":%d}`, i)}
		heads[events[i].Chain] = Next(testKey, heads[events[i].Chain], &events[i])
	}
	return events, heads
}

func BenchmarkVerify(b *testing.B) {
	events, heads := benchLog(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := Verify(testKey, events, heads); !r.OK {
			b.Fatalf("%+v", r)
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(events))/b.Elapsed().Seconds(), "events/s")
}
