package faults

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// promptly is how long any answer may take while the database is down: the driver's
// dial timeout is 3 s, so a request must never hang on a dead database.
const promptly = 5 * time.Second

// The database stops while requests flow: readiness and every call answer 503
// unavailable, promptly; when the database is back, the same process serves again.
func TestDatabaseOutage(t *testing.T) {
	m := startMariaDB(t)
	s := newServer(t, "mysql", m.appDSN())
	s.start()
	admin := s.login("admin", demoPassword)
	r := fleet(s, admin, 1)[0]
	path := "/api/v1/reports/" + strconv.FormatInt(r.id, 10)
	s.must(http.StatusOK, "GET", "/readyz", "", nil, nil)

	flow := startFlow(s, r, path)
	time.Sleep(300 * time.Millisecond)
	m.stop()
	calls := []struct {
		name         string
		method, path string
		token        string
		body         any
	}{
		{"readyz", "GET", "/readyz", "", nil},
		{"read a report", "GET", path, r.token, nil},
		{"list reports", "GET", "/api/v1/reports", admin, nil},
		{"transition", "POST", path + "/transitions", r.token, map[string]any{"action": "submit", "version": 1}},
		{"save content", "PUT", path + "/content", r.token, map[string]any{"version": 1, "content": seedDocument(t)}},
		{"login", "POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": demoPassword}},
	}
	// Three rounds: the pool's idle connections die first, then new dials are refused.
	for round := range 3 {
		for _, c := range calls {
			a := s.call(c.method, c.path, c.token, c.body)
			if a.err != nil || a.status != http.StatusServiceUnavailable || a.code() != "unavailable" || a.elapsed > promptly {
				t.Errorf("round %d, %s with the database down: %d %q in %v (err %v), want 503 unavailable within %v\n%s",
					round, c.name, a.status, a.code(), a.elapsed.Round(time.Millisecond), a.err, promptly, a.body)
			}
			noStackTrace(t, a)
		}
	}
	if page := s.page("/reports", admin); page.status != http.StatusServiceUnavailable || !strings.Contains(string(page.body), "<title>出错了") {
		t.Errorf("page with the database down: %d, want 503 and a Chinese error page\n%.300s", page.status, page.body)
	}
	if st := s.call("GET", "/healthz", "", nil); st.status != http.StatusOK {
		t.Errorf("/healthz with the database down: %d, want 200 (the process is up)", st.status)
	}

	m.start()
	deadline := time.Now().Add(30 * time.Second)
	for s.call("GET", "/readyz", "", nil).status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still failing 30 s after the database came back:\n%s", s.out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	flow.stopAndCheck(t)
	// Nothing was written while the database was away, and the same process works again.
	if st := s.report(r.token, r.id); st.State != "draft" || st.Version != 1 {
		t.Fatalf("after the outage the report is %s at version %d, want draft at 1", st.State, st.Version)
	}
	s.must(http.StatusOK, "POST", path+"/transitions", r.token, map[string]any{"action": "submit", "version": 1}, nil)
	checkAgainstAudit(t, s, admin, r.id)
	if code, out := s.cli("audit", "verify"); code != 0 {
		t.Fatalf("qianfa audit verify: exit %d\n%s", code, out)
	}
}

// flow is a client loop that keeps calling while the database goes away and comes back.
type flow struct {
	stop chan struct{}
	done chan []answer
}

// startFlow reads the report and tries a stale transition (409 while the database is up,
// so the loop changes nothing) every 20 ms.
func startFlow(s *server, r fleetReport, path string) *flow {
	f := &flow{stop: make(chan struct{}), done: make(chan []answer, 1)}
	go func() {
		var seen []answer
		for {
			select {
			case <-f.stop:
				f.done <- seen
				return
			case <-time.After(20 * time.Millisecond):
			}
			seen = append(seen, s.call("GET", path, r.token, nil),
				s.call("POST", path+"/transitions", r.token, map[string]any{"action": "submit", "version": 999}),
				s.call("GET", "/readyz", "", nil))
		}
	}()
	return f
}

// stopAndCheck ends the loop: every answer was a normal one or 503, none hung.
func (f *flow) stopAndCheck(t *testing.T) {
	t.Helper()
	close(f.stop)
	seen := <-f.done
	counts := map[int]int{}
	for _, a := range seen {
		counts[a.status]++
		switch {
		case a.err != nil:
			t.Errorf("client loop: transport error %v after %v", a.err, a.elapsed)
		case a.status != http.StatusOK && a.status != http.StatusConflict && a.status != http.StatusServiceUnavailable:
			t.Errorf("client loop: %d %s", a.status, a.body)
		case a.elapsed > promptly:
			t.Errorf("client loop: answer %d took %v", a.status, a.elapsed)
		}
	}
	if counts[http.StatusServiceUnavailable] == 0 || counts[http.StatusOK] == 0 {
		t.Errorf("client loop saw %v: want both 200 and 503 answers", counts)
	}
	t.Logf("client loop: %d calls, statuses %v", len(seen), counts)
}

// page fetches a page as a browser signed in with token would.
func (s *server) page(path, token string) answer {
	req, err := http.NewRequest("GET", s.url+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: "qianfa_session", Value: token})
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return answer{err: err, elapsed: time.Since(start)}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, body: body, elapsed: time.Since(start), err: err}
}
