package faults

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

// mariadb is a throwaway MariaDB server: its own data directory, socket and port.
type mariadb struct {
	t       *testing.T
	bin     string
	dir     string
	port    int
	cmd     *exec.Cmd
	done    chan struct{}
	stopped bool
}

// appUser is the account the server under test uses: every privilege on its database
// and none globally, so that read_only applies to it.
const (
	appUser     = "qianfa"
	appPassword = "qianfa-faults"
	appDatabase = "qianfa"
)

// needTool finds a MariaDB program, or skips the test (fails it when CI=true).
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v not found: the fault tests need MariaDB installed", names)
	}
	t.Skipf("%v not found: MariaDB fault tests skipped", names)
	return ""
}

// startMariaDB initialises a data directory and starts mariadbd on a free port.
func startMariaDB(t *testing.T) *mariadb {
	t.Helper()
	install := needTool(t, "mariadb-install-db", "mysql_install_db")
	bin := needTool(t, "mariadbd", "/usr/sbin/mariadbd", "mysqld", "/usr/sbin/mysqld")
	dir, err := os.MkdirTemp("", "qianfa-faults-mdb-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	out, err := exec.Command(install, "--no-defaults", "--user=root", "--datadir="+filepath.Join(dir, "data"),
		"--auth-root-authentication-method=normal", "--skip-test-db").CombinedOutput()
	if err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	m := &mariadb{t: t, bin: bin, dir: dir, port: freePort(t)}
	m.start()
	t.Cleanup(m.stop)
	m.exec(fmt.Sprintf("CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", appDatabase),
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", appUser, appPassword),
		fmt.Sprintf("GRANT ALL ON %s.* TO '%s'@'%%'", appDatabase, appUser))
	return m
}

// start runs mariadbd on the data directory and waits until it accepts connections.
func (m *mariadb) start() {
	m.t.Helper()
	var log bytes.Buffer
	m.cmd = exec.Command(m.bin, "--no-defaults", "--user=root", "--datadir="+filepath.Join(m.dir, "data"),
		"--socket="+filepath.Join(m.dir, "mysqld.sock"), fmt.Sprintf("--port=%d", m.port),
		"--bind-address=127.0.0.1", "--pid-file="+filepath.Join(m.dir, "mysqld.pid"),
		"--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
		"--innodb-buffer-pool-size=32M", "--log-error="+filepath.Join(m.dir, "error.log"))
	m.cmd.Stdout, m.cmd.Stderr = &log, &log
	if err := m.cmd.Start(); err != nil {
		m.t.Fatalf("mariadbd: %v", err)
	}
	m.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(m.cmd, m.done)
	m.stopped = false
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if db, err := sql.Open("mysql", m.rootDSN()); err == nil {
			err = db.Ping()
			_ = db.Close()
			if err == nil {
				return
			}
		}
		select {
		case <-m.done:
			errLog, _ := os.ReadFile(filepath.Join(m.dir, "error.log"))
			m.t.Fatalf("mariadbd exited at start:\n%s\n%s", log.String(), errLog)
		case <-time.After(100 * time.Millisecond):
		}
	}
	m.t.Fatal("mariadbd did not accept connections within 60 s")
}

// stop shuts mariadbd down (SIGTERM, as a service manager does) and waits for it.
func (m *mariadb) stop() {
	if m.stopped || m.cmd == nil {
		return
	}
	m.stopped = true
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(60 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
	}
}

func (m *mariadb) rootDSN() string {
	return fmt.Sprintf("root@unix(%s)/?timeout=2s", filepath.Join(m.dir, "mysqld.sock"))
}

// appDSN is the DSN the server under test uses, over TCP like a deployment.
func (m *mariadb) appDSN() string {
	return fmt.Sprintf("%s:%s@tcp(127.0.0.1:%d)/%s?charset=utf8mb4&parseTime=true&loc=UTC&timeout=3s",
		appUser, appPassword, m.port, appDatabase)
}

// exec runs statements as root over the socket.
func (m *mariadb) exec(stmts ...string) {
	m.t.Helper()
	db, err := sql.Open("mysql", m.rootDSN())
	if err != nil {
		m.t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			m.t.Fatalf("%s: %v", s, err)
		}
	}
}

// freePort asks the kernel for a port that is free now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
