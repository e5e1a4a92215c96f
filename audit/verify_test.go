package audit

import (
	"strings"
	"testing"
	"time"
)

// sampleLog builds two interleaved chains, Seq 10..60:
//
//	10 report:7#1  20 agency:3#1  30 report:7#2  40 report:7#3  50 agency:3#2  60 report:7#4
func sampleLog(t testing.TB) ([]Event, map[string]Head) {
	heads := map[string]Head{}
	chains := []string{"report:7", "agency:3", "report:7", "report:7", "agency:3", "report:7"}
	at := time.Date(2021, 1, 20, 9, 30, 0, 0, time.UTC)
	events := make([]Event, len(chains))
	for i, c := range chains {
		events[i] = Event{Seq: int64(10 * (i + 1)), Chain: c, At: at.Add(time.Duration(i) * time.Second),
			ActorID: 5, ActorUsername: "drafter", Action: "save", AgencyID: 3, ReportID: 7, Comment: "第一次保存"}
		heads[c] = Next(testKey, heads[c], &events[i])
	}
	return events, heads
}

func without(events []Event, seqs ...int64) []Event {
	var out []Event
next:
	for _, e := range events {
		for _, s := range seqs {
			if e.Seq == s {
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

func TestVerifyIntact(t *testing.T) {
	events, heads := sampleLog(t)
	got := Verify(testKey, events, heads)
	if !got.OK || got.Events != 6 || len(got.Head) != 64 || got.FirstBadSeq != 0 || got.Reason != "" || got.Code != "" {
		t.Fatalf("got %+v", got)
	}
	// The summary changes whenever a chain grows.
	more := Event{Seq: 70, Chain: "agency:3"}
	heads["agency:3"] = Next(testKey, heads["agency:3"], &more)
	if grown := Verify(testKey, append(events, more), heads); !grown.OK || grown.Head == got.Head {
		t.Errorf("after growth: %+v (before %s)", grown, got.Head)
	}
}

// TestVerifyTampering has one case per kind of tampering.
func TestVerifyTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(events []Event, heads map[string]Head) []Event
		seq    int64
		code   string
	}{
		{"modified comment", func(ev []Event, _ map[string]Head) []Event { ev[2].Comment = "已修改"; return ev }, 30, ReasonMACMismatch},
		{"modified time by 1µs", func(ev []Event, _ map[string]Head) []Event { ev[3].At = ev[3].At.Add(time.Microsecond); return ev }, 40, ReasonMACMismatch},
		{"moved to another chain", func(ev []Event, _ map[string]Head) []Event { ev[4].Chain = "agency:4"; return ev }, 50, ReasonMACMismatch},
		{"forged event appended", func(ev []Event, h map[string]Head) []Event {
			return append(ev, Event{Seq: 70, Chain: "report:7", Pos: 5, PrevHash: ev[5].Hash, Hash: strings.Repeat("ab", 32)})
		}, 70, ReasonMACMismatch},
		{"event made with another key", func(ev []Event, h map[string]Head) []Event {
			e := Event{Seq: 70, Chain: "report:7"}
			h["report:7"] = Next([]byte("another key"), h["report:7"], &e)
			return append(ev, e)
		}, 70, ReasonMACMismatch},
		{"deleted middle event", func(ev []Event, _ map[string]Head) []Event { return without(ev, 30) }, 40, ReasonMissingEvent},
		{"deleted first event", func(ev []Event, _ map[string]Head) []Event { return without(ev, 10) }, 30, ReasonMissingEvent},
		{"replayed event inserted", func(ev []Event, _ map[string]Head) []Event {
			dup := ev[2]
			dup.Seq = 35
			return append(ev[:3], append([]Event{dup}, ev[3:]...)...)
		}, 35, ReasonInsertedEvent},
		{"reordered events", func(ev []Event, _ map[string]Head) []Event {
			ev[2].Seq, ev[3].Seq = ev[3].Seq, ev[2].Seq
			ev[2], ev[3] = ev[3], ev[2]
			return ev
		}, 30, ReasonReordered},
		{"forked chain", func(ev []Event, h map[string]Head) []Event {
			e := Event{Seq: 70, Chain: "report:7"}
			h["report:7"] = Next(testKey, Head{Count: 4, Hash: ev[3].Hash}, &e)
			return append(ev, e)
		}, 70, ReasonPrevMismatch},
		{"truncated chain", func(ev []Event, _ map[string]Head) []Event { return without(ev, 60) }, 40, ReasonHeadMismatch},
		{"head hash altered", func(ev []Event, h map[string]Head) []Event {
			h["agency:3"] = Head{Count: 2, Hash: ev[0].Hash}
			return ev
		}, 50, ReasonHeadMismatch},
		{"head count rolled back", func(ev []Event, h map[string]Head) []Event {
			h["report:7"] = Head{Count: 3, Hash: ev[3].Hash}
			return ev
		}, 60, ReasonHeadMismatch},
		{"two chains truncated", func(ev []Event, _ map[string]Head) []Event { return without(ev, 50, 60) }, 20, ReasonHeadMismatch},
		{"whole chain deleted", func(ev []Event, _ map[string]Head) []Event { return without(ev, 20, 50) }, 0, ReasonHeadWithoutEvents},
		{"head missing", func(ev []Event, h map[string]Head) []Event { delete(h, "agency:3"); return ev }, 20, ReasonHeadMissing},
		{"not in Seq order", func(ev []Event, _ map[string]Head) []Event { ev[1], ev[2] = ev[2], ev[1]; return ev }, 20, ReasonSeqOrder},
	}
	for _, tc := range tests {
		events, heads := sampleLog(t)
		events = tc.tamper(events, heads)
		got := Verify(testKey, events, heads)
		if got.OK || got.FirstBadSeq != tc.seq || got.Code != tc.code || got.Events != len(events) || got.Head != "" {
			t.Errorf("%s: got %+v, want first bad %d %s", tc.name, got, tc.seq, tc.code)
		}
		if !strings.HasPrefix(got.Reason, tc.code+": ") {
			t.Errorf("%s: reason %q", tc.name, got.Reason)
		}
	}
}

func TestVerifyReasonText(t *testing.T) {
	events, heads := sampleLog(t)
	tests := []struct {
		events []Event
		want   string
	}{
		{without(events, 30), "missing_event: report:7 缺少第 2 个事件，事件 40 记为第 3 个：事件被删除"},
		{without(events, 60), "head_mismatch: report:7 的链头记录 4 个事件，链上有 3 个、最后为事件 40，两者不符：链被截断或链头被篡改"},
	}
	for _, tc := range tests {
		if got := Verify(testKey, tc.events, heads); got.Reason != tc.want {
			t.Errorf("got %q\nwant %q", got.Reason, tc.want)
		}
	}
}

// TestVerifyTimeRoundTrip: what a database gives back (another zone, no
// monotonic reading) verifies as long as the instant is the same.
func TestVerifyTimeRoundTrip(t *testing.T) {
	events, heads := sampleLog(t)
	for i := range events {
		events[i].At = time.UnixMicro(events[i].At.UnixMicro()).In(time.FixedZone("CST", 8*3600))
	}
	if got := Verify(testKey, events, heads); !got.OK {
		t.Errorf("got %+v", got)
	}
}

func TestVerifierStreamsLikeVerify(t *testing.T) {
	events, heads := sampleLog(t)
	events = without(events, 30)
	v := NewVerifier(testKey, heads)
	for _, e := range events {
		v.Add(e)
	}
	if got, want := v.Result(), Verify(testKey, events, heads); got != want {
		t.Errorf("streaming %+v, batch %+v", got, want)
	}
}

func TestVerifyEmpty(t *testing.T) {
	got := Verify(testKey, nil, map[string]Head{"report:8": {}})
	if !got.OK || got.Events != 0 || len(got.Head) != 64 {
		t.Errorf("got %+v", got)
	}
}

func TestVerifierAddDoesNotAllocate(t *testing.T) {
	events, heads := sampleLog(t)
	v := NewVerifier(testKey, heads)
	for _, e := range events[:5] {
		v.Add(e)
	}
	last := events[5]
	allocs := testing.AllocsPerRun(100, func() {
		v.lastSeq = 50 // replay the same event each run
		v.chains["report:7"].count = 3
		v.chains["report:7"].hash = events[3].Hash
		v.Add(last)
	})
	if allocs != 0 || v.bad != nil {
		t.Errorf("Add allocates %.1f times per event (failure %+v)", allocs, v.bad)
	}
}
