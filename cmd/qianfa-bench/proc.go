package main

import (
	"bufio"

	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is a server role running as a child process.
type serverProc struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
}

// startServer re-executes this binary in role and waits until it listens.
func startServer(cfg benchConfig, role, dsn, logPath string) (*serverProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-role", role, "-db", cfg.driver, "-dsn", dsn, "-reauth=" + strconv.FormatBool(cfg.reauth)}
	if cfg.profileDir != "" {
		args = append(args, "-profile", cfg.profileDir)
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &serverProc{cmd: cmd, log: logf}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				line <- addr
			}
		}
	}()
	select {
	case addr := <-line:
		p.base = "http://" + addr
		return p, nil
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, fmt.Errorf("%s server did not start (log: %s)", role, logPath)
	}
}

// peakRSS is the child's peak resident set (VmHWM) in bytes.
func (p *serverProc) peakRSS() int64 {
	return procStatusKB(p.cmd.Process.Pid, "VmHWM:") * 1024
}

func (p *serverProc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	_ = p.log.Close()
}

func procStatusKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
