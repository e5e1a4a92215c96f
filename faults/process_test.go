package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// qianfaBin is the binary under test, built once by TestMain.
var qianfaBin string

// QIANFA_FAULTS_BIN names a binary built beforehand instead (it must be of this tree).
func TestMain(m *testing.M) {
	if qianfaBin = os.Getenv("QIANFA_FAULTS_BIN"); qianfaBin != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "qianfa-faults-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	qianfaBin = filepath.Join(dir, "qianfa")
	build := exec.Command("go", "build", "-o", qianfaBin, "./cmd/qianfa")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/qianfa: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// lockedBuffer collects a process's output from its copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is one qianfa process.
type server struct {
	t    *testing.T
	env  []string
	dir  string
	url  string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// newServer configures a qianfa process on database driver/dsn, with its audit key in dir.
func newServer(t *testing.T, driver, dsn string) *server {
	t.Helper()
	dir := t.TempDir()
	port := freePort(t)
	s := &server{t: t, dir: dir, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.env = append(environWithoutQianfa(),
		"QIANFA_DATABASE_DRIVER="+driver, "QIANFA_DATABASE_DSN="+dsn,
		"QIANFA_AUDIT_KEY_FILE="+filepath.Join(dir, "audit.key"),
		fmt.Sprintf("QIANFA_SERVER_ADDR=127.0.0.1:%d", port), "QIANFA_SERVER_BASE_URL="+s.url,
		"QIANFA_REMINDERS_ENABLED=false", "QIANFA_LOG_LEVEL=info")
	t.Cleanup(s.kill)
	return s
}

// environWithoutQianfa is this process's environment without QIANFA_* variables: the
// server rejects names it does not know (QIANFA_TEST_MYSQL_DSN, QIANFA_FAULTS_BIN).
func environWithoutQianfa() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "QIANFA_") {
			env = append(env, kv)
		}
	}
	return env
}

// start runs `qianfa serve --demo` and waits until /healthz answers.
func (s *server) start() {
	s.t.Helper()
	s.out = &lockedBuffer{}
	s.cmd = exec.Command(qianfaBin, "serve", "--demo")
	s.cmd.Dir, s.cmd.Env = s.dir, s.env
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(s.cmd, s.done)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.done:
			s.t.Fatalf("qianfa serve exited at start:\n%s", s.out)
		case <-time.After(100 * time.Millisecond):
		}
	}
	s.t.Fatalf("qianfa serve did not answer /healthz within 60 s:\n%s", s.out)
}

// kill ends the process with SIGKILL: no graceful shutdown, like a crash.
func (s *server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	s.cmd = nil
}

// cli runs another qianfa command against the same database and key.
func (s *server) cli(args ...string) (int, string) {
	s.t.Helper()
	cmd := exec.Command(qianfaBin, args...)
	cmd.Dir, cmd.Env = s.dir, s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		s.t.Fatal(err)
	}
	return 0, string(out)
}

// answer is one HTTP exchange as the client saw it.
type answer struct {
	status  int
	body    []byte
	elapsed time.Duration
	err     error // transport error (connection refused, timeout)
}

func (a answer) code() string {
	var b struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(a.body, &b)
	return b.Error.Code
}

func (a answer) message() string {
	var b struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(a.body, &b)
	return b.Error.Message
}

// client is an API client with a short timeout: a hang is a failure, not a wait.
var client = &http.Client{Timeout: 15 * time.Second}

// call sends a JSON request.
func (s *server) call(method, path, token string, body any) answer {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		if raw, ok := body.(json.RawMessage); ok {
			b = raw
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return answer{err: err, elapsed: time.Since(start)}
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, body: out, elapsed: time.Since(start), err: err}
}

// must calls and insists on status want, returning the decoded body in v (if not nil).
func (s *server) must(want int, method, path, token string, body, v any) {
	s.t.Helper()
	a := s.call(method, path, token, body)
	if a.err != nil || a.status != want {
		s.t.Fatalf("%s %s: %d %v %s, want %d", method, path, a.status, a.err, a.body, want)
	}
	if v != nil {
		if err := json.Unmarshal(a.body, v); err != nil {
			s.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// login signs username in and returns the bearer token.
func (s *server) login(username, password string) string {
	s.t.Helper()
	var out struct{ Token string }
	s.must(http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, &out)
	return out.Token
}

// demoPassword is the password of every demo user (contract/api.md).
const demoPassword = "demo12345"

// seedDocument is the demo report, imported to give every agency a report.
func seedDocument(t *testing.T) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("../demo/haiyan-minzheng-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noStackTrace fails when an answer carries Go internals instead of a message for people.
func noStackTrace(t *testing.T, a answer) {
	t.Helper()
	for _, leak := range []string{"goroutine ", ".go:", "panic", "Error 1", "sql:", "dial tcp", "database is"} {
		if strings.Contains(string(a.body), leak) {
			t.Errorf("answer %d leaks %q: %s", a.status, leak, a.body)
		}
	}
}
