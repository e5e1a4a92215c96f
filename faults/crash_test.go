package faults

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// SIGKILL in the middle of a stream of transitions: after a restart, every report's state
// and version agree with its audit events and the whole log verifies.
func TestKilledMidStream(t *testing.T) {
	m := startMariaDB(t)
	s := newServer(t, "mysql", m.appDSN())
	s.start()
	admin := s.login("admin", demoPassword)
	reports := fleet(s, admin, 8)

	var wg sync.WaitGroup
	var mu sync.Mutex
	moves := 0
	for _, r := range reports {
		wg.Add(1)
		go func(r fleetReport) {
			defer wg.Done()
			state, version := "draft", int64(1)
			for {
				a := s.call("POST", "/api/v1/reports/"+strconv.FormatInt(r.id, 10)+"/transitions", r.token,
					map[string]any{"action": toggle(state), "version": version})
				if a.err != nil || a.status != http.StatusOK {
					return // the server is gone, or died while answering
				}
				if state == "draft" {
					state = "in_review"
				} else {
					state = "draft"
				}
				version++
				mu.Lock()
				moves++
				mu.Unlock()
			}
		}(r)
	}
	time.Sleep(1500 * time.Millisecond)
	s.kill()
	wg.Wait()
	t.Logf("%d transitions answered before SIGKILL", moves)
	if moves < 8 {
		t.Fatalf("only %d transitions before the kill: the stream did not flow", moves)
	}

	s.start()
	admin = s.login("admin", demoPassword)
	for _, r := range reports {
		checkAgainstAudit(t, s, admin, r.id)
	}
	if code, out := s.cli("audit", "verify"); code != 0 {
		t.Fatalf("qianfa audit verify: exit %d\n%s", code, out)
	}
	// The stream can go on from where the database says it stopped.
	for _, r := range reports {
		st := s.report(admin, r.id)
		s.must(http.StatusOK, "POST", "/api/v1/reports/"+strconv.FormatInt(r.id, 10)+"/transitions", r.token,
			map[string]any{"action": toggle(st.State), "version": st.Version}, nil)
	}
}

// checkAgainstAudit asserts that report id is in the state its last state change led to,
// at the version its changes add up to: import (version 1) plus one per transition.
func checkAgainstAudit(t *testing.T, s *server, token string, id int64) {
	t.Helper()
	st := s.report(token, id)
	events := s.reportAudit(token, id)
	state, version := "", int64(0)
	for _, e := range events {
		switch {
		case e.FromState == "" && e.ToState == "draft":
			state, version = "draft", 1
		case e.FromState != "" && e.ToState != "":
			if e.FromState != state {
				t.Errorf("report %d: event %d leaves %s, but the previous event left it in %s", id, e.Seq, e.FromState, state)
			}
			state = e.ToState
			version++
		}
	}
	if st.State != state || st.Version != version {
		t.Errorf("report %d is %s at version %d; its %d audit events say %s at version %d\n%+v",
			id, st.State, st.Version, len(events), state, version, events)
	}
}
