package main

import (
	"testing"
	"time"
)

func TestParseResult(t *testing.T) {
	ok := []byte(`{"id":7,"agency":{"id":3,"code":"c","name":"n"},"year":2025,"edition":"2021","kind":"agency",` +
		`"state":"in_approval","state_label":"待领导签发","version":12,"approval_step":{"index":1,"name":"签发","of":2},` +
		`"content":{"format":"qianfa.report/1","version":99,"state":"draft"}}`)
	tests := []struct {
		name   string
		status int
		body   []byte
		want   result
	}{
		{"report", 200, ok, result{status: 200, version: 12, state: "in_approval", step: 1}},
		{"refused", 409, []byte(`{"error":{"code":"stale_version","message":"x","details":[]}}`),
			result{status: 409, code: "stale_version", version: -1}},
		{"floor", 200, []byte(`{"id":3,"version":5}`), result{status: 200, version: 5}},
	}
	for _, tt := range tests {
		if got := parseResult(tt.status, tt.body); got != tt.want {
			t.Errorf("%s: parseResult = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestBodies(t *testing.T) {
	if got := string(transitionBody(nil, "approve", 7, "pw")); got != `{"action":"approve","version":7,"password":"pw"}` {
		t.Errorf("transitionBody = %s", got)
	}
	if got := string(transitionBody([]byte("junk"), "submit", 3, "")); got != `{"action":"submit","version":3}` {
		t.Errorf("transitionBody = %s", got)
	}
	if got := string(contentBody(nil, 4, []byte(`{"a":1}`))); got != `{"version":4,"content":{"a":1}}` {
		t.Errorf("contentBody = %s", got)
	}
}

func TestPercentiles(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 200; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	s := summarize(&series{lat: lat}, 2*time.Second)
	if s.n != 200 || s.rate != 100 || s.p50 != 100*time.Millisecond || s.p95 != 190*time.Millisecond || s.p99 != 198*time.Millisecond {
		t.Errorf("summary = %+v", s)
	}
	if pct(nil, 99) != 0 {
		t.Error("pct of nothing")
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-c", "1, 8,64", "-agencies", "10", "-reports", "50"})
	if err != nil || len(c.clients) != 3 || c.clients[2] != 64 || c.driver != "sqlite" || !c.reauth || !c.floor {
		t.Fatalf("parseFlags = %+v, %v", c, err)
	}
	for _, bad := range [][]string{{"-c", "0"}, {"-db", "pg"}, {"-agencies", "10", "-reports", "51"}, {"-steps", "0"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

func TestRecorderMerge(t *testing.T) {
	a, b := newRecorder(), newRecorder()
	a.add(actSubmit, time.Millisecond, result{status: 200})
	b.add(actSubmit, 2*time.Millisecond, result{status: 409, code: "stale_version"})
	b.add(actPublish, 3*time.Millisecond, result{status: 200})
	b.flows = 1
	a.merge(b)
	all := a.overall()
	if a.flows != 1 || len(a.byAction[actSubmit].lat) != 2 || len(all.lat) != 3 || all.errs["409 stale_version"] != 1 {
		t.Errorf("merged: flows %d, submit %d, overall %d, errs %v", a.flows, len(a.byAction[actSubmit].lat), len(all.lat), all.errs)
	}
}
