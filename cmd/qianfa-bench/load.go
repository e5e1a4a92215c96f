package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Action names as the results list them.
const (
	actSave     = "save content"
	actSubmit   = "submit"
	actReview   = "review approve"
	actLeader   = "leader approve"
	actPassword = "leader approve + password"
	actPublish  = "publish"
	actGet      = "get (after 409)"
	actFloor    = "floor step"
)

// pool hands out the seeded reports; each is flowed once.
type pool struct {
	flows []flowTarget
	next  atomic.Int64
}

func (p *pool) take() (*flowTarget, bool) {
	i := p.next.Add(1) - 1
	if i >= int64(len(p.flows)) {
		return nil, false
	}
	return &p.flows[i], true
}

// phase is one measured run of K clients.
type phase struct {
	rec       *recorder
	elapsed   time.Duration
	exhausted bool // the reports ran out before the duration
}

// runClients runs k clients until the deadline and merges their recorders.
func runClients(ctx context.Context, base string, k int, d time.Duration, body func(ctx context.Context, i int, c *client) bool) phase {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	hc := newHTTPClient(k)
	defer hc.CloseIdleConnections()
	recs := make([]*recorder, k)
	var exhausted atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	for i := range k {
		recs[i] = newRecorder()
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &client{http: hc, base: base, rec: recs[i]}
			for ctx.Err() == nil {
				if !body(ctx, i, c) {
					exhausted.Store(ctx.Err() == nil)
					return
				}
			}
		}()
	}
	wg.Wait()
	ph := phase{rec: newRecorder(), elapsed: time.Since(start), exhausted: exhausted.Load()}
	for _, r := range recs {
		ph.rec.merge(r)
	}
	return ph
}

// flowOnce drives one report through the whole flow; it returns false when
// the reports ran out. A request cut by the end of the phase is not recorded.
func flowOnce(ctx context.Context, c *client, p *pool, contents map[int][]byte, reauth bool) bool {
	f, ok := p.take()
	if !ok {
		return false
	}
	path := "/api/v1/reports/" + strconv.FormatInt(f.reportID, 10)
	c.body = contentBody(c.body, f.version, contents[f.year])
	r, err := c.do(ctx, actSave, "PUT", path+"/content", f.drafter, c.body)
	if err != nil || r.status != 200 {
		return true
	}
	type step struct{ name, action, token, password string }
	steps := []step{{actSubmit, "submit", f.drafter, ""}, {actReview, "approve", f.reviewer, ""}}
	for i, l := range f.leaders {
		s := step{actLeader, "approve", l, ""}
		if i == len(f.leaders)-1 && reauth {
			s = step{actPassword, "approve", l, benchPassword}
		}
		steps = append(steps, s)
	}
	steps = append(steps, step{actPublish, "publish", f.publisher, ""})
	v := r.version
	for _, s := range steps {
		c.body = transitionBody(c.body, s.action, v, s.password)
		r, err := c.do(ctx, s.name, "POST", path+"/transitions", s.token, c.body)
		if err != nil || r.status != 200 {
			return true
		}
		v = r.version
	}
	c.rec.flows++
	return true
}

// raceGroup is the clients that race on one report at a time.
type raceGroup struct {
	mu  sync.Mutex
	cur *flowTarget
}

// current is the group's report; a member that saw f published moves the group on.
func (g *raceGroup) current(p *pool, done *flowTarget) (*flowTarget, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cur == nil || g.cur == done {
		f, ok := p.take()
		if !ok {
			return nil, false
		}
		g.cur = f
	}
	return g.cur, true
}

// racer is one member of a race group: it acts on the state it last saw and,
// when refused, reads the report again.
type racer struct {
	f     *flowTarget
	known result
}

// raceStep sends the next action of the report as this member sees it.
func raceStep(ctx context.Context, c *client, g *raceGroup, m *racer, p *pool, contents map[int][]byte, reauth bool) bool {
	if m.f == nil || m.known.state == "published" {
		f, ok := g.current(p, m.f)
		if !ok {
			return false
		}
		if f != m.f {
			m.f, m.known = f, result{version: f.version, state: "draft", status: 200}
		}
		if m.known.state == "published" {
			return true
		}
	}
	f := m.f
	path := "/api/v1/reports/" + strconv.FormatInt(f.reportID, 10)
	var r result
	var err error
	switch m.known.state {
	case "draft":
		if m.known.version == f.version {
			c.body = contentBody(c.body, m.known.version, contents[f.year])
			r, err = c.do(ctx, actSave, "PUT", path+"/content", f.drafter, c.body)
		} else {
			r, err = c.do(ctx, actSubmit, "POST", path+"/transitions", f.drafter, transitionBody(c.body, "submit", m.known.version, ""))
		}
	case "in_review":
		r, err = c.do(ctx, actReview, "POST", path+"/transitions", f.reviewer, transitionBody(c.body, "approve", m.known.version, ""))
	case "in_approval":
		name, pw := actLeader, ""
		if m.known.step == len(f.leaders)-1 && reauth {
			name, pw = actPassword, benchPassword
		}
		r, err = c.do(ctx, name, "POST", path+"/transitions", f.leaders[m.known.step], transitionBody(c.body, "approve", m.known.version, pw))
	case "approved":
		r, err = c.do(ctx, actPublish, "POST", path+"/transitions", f.publisher, transitionBody(c.body, "publish", m.known.version, ""))
		if err == nil && r.status == 200 {
			c.rec.flows++
		}
	default:
		err = fmt.Errorf("unexpected state %q", m.known.state)
	}
	if err == nil && r.status == 200 {
		m.known = r
		return true
	}
	if ctx.Err() != nil {
		return true
	}
	r, err = c.do(ctx, actGet, "GET", path, f.drafter, nil)
	if err == nil && r.status == 200 {
		m.known = r
	}
	return true
}

// floorOnce sends one floor step on the client's own report row.
func floorOnce(ctx context.Context, c *client, id int64, version *int64) bool {
	state := "in_review"
	if *version%2 == 0 {
		state = "draft"
	}
	c.body = append(c.body[:0], `{"version":`...)
	c.body = strconv.AppendInt(c.body, *version, 10)
	c.body = append(c.body, `,"state":"`+state+`"}`...)
	r, err := c.do(ctx, actFloor, "POST", "/floor/"+strconv.FormatInt(id, 10), "", c.body)
	if err == nil && r.status == 200 {
		*version = r.version
	} else if err == nil && r.status == 409 {
		*version = intField(c.resp.Bytes(), `"version":`)
	}
	return true
}
