package faults

import (
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// write is one request that changes a report, tried while the database refuses writes.
type write struct {
	name         string
	method, path string
	body         any
}

func writes(t *testing.T, path string, version int64) []write {
	return []write{
		{"transition", "POST", path + "/transitions", map[string]any{"action": "submit", "version": version}},
		{"save content", "PUT", path + "/content", map[string]any{"version": version, "content": seedDocument(t)}},
	}
}

// refusedCleanly tries every write and checks the answer is a clear error and that
// nothing changed: state, version and audit events as before.
func refusedCleanly(t *testing.T, s *server, r fleetReport, admin, wantMessage string) {
	t.Helper()
	path := "/api/v1/reports/" + strconv.FormatInt(r.id, 10)
	before := s.report(r.token, r.id)
	events := len(s.reportAudit(admin, r.id))
	for _, w := range writes(t, path, before.Version) {
		a := s.call(w.method, w.path, r.token, w.body)
		if a.err != nil || a.status != http.StatusServiceUnavailable || a.code() != "unavailable" ||
			a.message() != wantMessage || a.elapsed > promptly {
			t.Errorf("%s on a database that refuses writes: %d %s in %v (err %v), want 503 unavailable %q",
				w.name, a.status, a.body, a.elapsed, a.err, wantMessage)
		}
		noStackTrace(t, a)
	}
	after := s.report(r.token, r.id)
	if after != before {
		t.Errorf("report changed from %+v to %+v although every write was refused", before, after)
	}
	if n := len(s.reportAudit(admin, r.id)); n != events {
		t.Errorf("audit events of the report: %d, were %d", n, events)
	}
}

// MariaDB switched to read_only (a failover replica, a maintenance window): writes get a
// clear error and leave nothing behind; reads go on; writes work again afterwards.
func TestMariaDBReadOnly(t *testing.T) {
	m := startMariaDB(t)
	s := newServer(t, "mysql", m.appDSN())
	s.start()
	admin := s.login("admin", demoPassword)
	r := fleet(s, admin, 1)[0]

	m.exec("SET GLOBAL read_only = 1")
	refusedCleanly(t, s, r, admin, "数据库当前为只读状态，修改未保存，请稍后重试")
	m.exec("SET GLOBAL read_only = 0")
	s.must(http.StatusOK, "POST", "/api/v1/reports/"+strconv.FormatInt(r.id, 10)+"/transitions", r.token,
		map[string]any{"action": "submit", "version": 1}, nil)
	checkAgainstAudit(t, s, admin, r.id)
}

// A SQLite database that cannot grow (disk full, quota): the server process gets a file
// size limit of one byte, so every write of the database or its WAL fails with EFBIG.
func TestSQLiteCannotGrow(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) not found")
	}
	s := newServer(t, "sqlite", filepath.Join(t.TempDir(), "qianfa.db"))
	s.start()
	admin := s.login("admin", demoPassword)
	r := fleet(s, admin, 1)[0]

	pid := strconv.Itoa(s.cmd.Process.Pid)
	limit := func(soft string) {
		if out, err := exec.Command(prlimit, "--pid", pid, "--fsize="+soft+":unlimited").CombinedOutput(); err != nil {
			t.Fatalf("prlimit: %v %s", err, strings.TrimSpace(string(out)))
		}
	}
	limit("1")
	// EFBIG is an I/O error to SQLite; a full disk (ENOSPC) is SQLITE_FULL, "存储空间不足".
	refusedCleanly(t, s, r, admin, "数据库存储故障，修改未保存，请联系管理员")
	limit("unlimited")
	s.must(http.StatusOK, "POST", "/api/v1/reports/"+strconv.FormatInt(r.id, 10)+"/transitions", r.token,
		map[string]any{"action": "submit", "version": 1}, nil)
	checkAgainstAudit(t, s, admin, r.id)
	if code, out := s.cli("audit", "verify"); code != 0 {
		t.Fatalf("qianfa audit verify: exit %d\n%s", code, out)
	}
}
