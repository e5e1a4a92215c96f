package main

import (
	"math"
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	for _, tc := range []struct {
		name, stat string
		want       time.Duration
	}{
		{"plain", "3813 (mariadbd) S 1 3813 3813 0 -1 4194624 93421 0 12 0 183540 39210 0 0 20 0 40 0 2931 8591412080", 2227500 * time.Millisecond},
		{"name with spaces and parentheses", "42 (a (b) c) R 1 42 42 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 0", 100 * time.Millisecond},
		{"truncated", "42 (x) R 1 2 3", 0},
		{"no name", "garbage", 0},
		{"not numbers", "42 (x) R 1 42 42 0 -1 0 0 0 0 0 u s 0 0", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseStatCPU([]byte(tc.stat)); got != tc.want {
				t.Fatalf("parseStatCPU = %v, want %v", got, tc.want)
			}
		})
	}
}

// This process's own CPU grows while it works, and a missing process reads as none.
func TestCPUTimeOfThisProcess(t *testing.T) {
	before := cpuTime(os.Getpid())
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
	}
	if after := cpuTime(os.Getpid()); after <= before {
		t.Fatalf("CPU time went from %v to %v over 300 ms of work", before, after)
	}
	if got := cpuTime(0); got != 0 {
		t.Fatalf("cpuTime(0) = %v", got)
	}
}

func TestCPUPerRequest(t *testing.T) {
	u := cpuUse{server: 400 * time.Millisecond, database: 700 * time.Millisecond, generator: 100 * time.Millisecond, haveDatabase: true}
	c := u.msPerRequest(1000)
	if c.String() != "0.400 / 0.700 / 0.100" || math.Abs(c.total()-1.2) > 1e-9 {
		t.Fatalf("per request %q, total %v", c, c.total())
	}
	u.haveDatabase = false
	if got := u.msPerRequest(1000).String(); got != "0.400 / – / 0.100" {
		t.Fatalf("without a local database: %q", got)
	}
	if got := u.msPerRequest(0); got != (cpuPerRequest{}) {
		t.Fatalf("no requests: %+v", got)
	}
}
