package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// clockTicks is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// 100 on every Linux this runs on).
const clockTicks = 100

// cpuTime is the CPU (user + system) a process has used so far, read from
// /proc/<pid>/stat; zero when it cannot be read (not Linux, process gone).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	return parseStatCPU(b)
}

// parseStatCPU takes utime and stime out of a /proc/<pid>/stat line. The
// command name (field 2) is in parentheses and may hold spaces and
// parentheses itself, so the fields are counted after its last ')'.
func parseStatCPU(stat []byte) time.Duration {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(stat[i+1:]) // f[0] is field 3 (state); utime and stime are fields 14 and 15
	if len(f) < 13 {
		return 0
	}
	user, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	sys, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(user+sys) * time.Second / clockTicks
}

// databasePID finds a local MariaDB or MySQL server process, so that a run
// on MySQL can say what the database's CPU was; 0 when there is none here.
func databasePID() int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil {
			continue
		}
		switch string(bytes.TrimSpace(comm)) {
		case "mariadbd", "mysqld":
			pid, _ := strconv.Atoi(filepath.Base(d))
			return pid
		}
	}
	return 0
}

// cpuUse is the CPU each process used during a phase.
type cpuUse struct {
	server, database, generator time.Duration
	haveDatabase                bool
}

// cpuMeter reads the CPU of the server, the database and this process (the
// load generator) at the start and at the end of a phase.
type cpuMeter struct {
	serverPID, databasePID int
	start                  cpuUse
}

func startCPU(serverPID, dbPID int) *cpuMeter {
	m := &cpuMeter{serverPID: serverPID, databasePID: dbPID}
	m.start = m.read()
	return m
}

func (m *cpuMeter) read() cpuUse {
	u := cpuUse{server: cpuTime(m.serverPID), generator: cpuTime(os.Getpid())}
	if m.databasePID > 0 {
		u.database, u.haveDatabase = cpuTime(m.databasePID), true
	}
	return u
}

func (m *cpuMeter) stop() cpuUse {
	end := m.read()
	return cpuUse{server: end.server - m.start.server, database: end.database - m.start.database,
		generator: end.generator - m.start.generator, haveDatabase: end.haveDatabase}
}

// cpuPerRequest is a phase's CPU in milliseconds per request.
type cpuPerRequest struct {
	server, database, generator float64
	haveDatabase                bool
}

func (u cpuUse) msPerRequest(requests int) cpuPerRequest {
	if requests == 0 {
		return cpuPerRequest{}
	}
	per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(requests) }
	return cpuPerRequest{server: per(u.server), database: per(u.database), generator: per(u.generator),
		haveDatabase: u.haveDatabase}
}

func (c cpuPerRequest) total() float64 { return c.server + c.database + c.generator }

// String is "server / database / generator", the database "–" when it is not
// on this host.
func (c cpuPerRequest) String() string {
	db := "–"
	if c.haveDatabase {
		db = strconv.FormatFloat(c.database, 'f', 3, 64)
	}
	return strconv.FormatFloat(c.server, 'f', 3, 64) + " / " + db + " / " + strconv.FormatFloat(c.generator, 'f', 3, 64)
}
