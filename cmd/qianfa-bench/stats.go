package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// series holds the latencies and refusals of one action.
type series struct {
	lat  []time.Duration
	errs map[string]int // "409 stale_version" → count
}

// recorder belongs to one client (no locking); phases merge them.
type recorder struct {
	byAction map[string]*series
	flows    int
}

func newRecorder() *recorder { return &recorder{byAction: map[string]*series{}} }

func (r *recorder) series(action string) *series {
	s := r.byAction[action]
	if s == nil {
		s = &series{errs: map[string]int{}}
		r.byAction[action] = s
	}
	return s
}

func (r *recorder) add(action string, d time.Duration, res result) {
	s := r.series(action)
	s.lat = append(s.lat, d)
	if res.status >= 300 {
		s.errs[fmt.Sprintf("%d %s", res.status, res.code)]++
	}
}

func (r *recorder) merge(o *recorder) {
	r.flows += o.flows
	for a, s := range o.byAction {
		m := r.series(a)
		m.lat = append(m.lat, s.lat...)
		for k, v := range s.errs {
			m.errs[k] += v
		}
	}
}

// overall is every action's series merged.
func (r *recorder) overall() *series {
	all := &series{errs: map[string]int{}}
	for _, s := range r.byAction {
		all.lat = append(all.lat, s.lat...)
		for k, v := range s.errs {
			all.errs[k] += v
		}
	}
	return all
}

// summary is one series over a phase of length elapsed.
type summary struct {
	n             int
	rate          float64
	p50, p95, p99 time.Duration
	errs          map[string]int
}

func summarize(s *series, elapsed time.Duration) summary {
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	return summary{n: len(lat), rate: float64(len(lat)) / elapsed.Seconds(),
		p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), errs: s.errs}
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func (s summary) errText() string {
	if len(s.errs) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(s.errs))
	for k := range s.errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, s.errs[k])
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
