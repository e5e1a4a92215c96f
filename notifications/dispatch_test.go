package notifications

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qianfa/calendar"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type sourceFunc func(ctx context.Context, today calendar.Date) (PlanInput, error)

func (f sourceFunc) PlanInput(ctx context.Context, today calendar.Date) (PlanInput, error) {
	return f(ctx, today)
}

func newPlanner(out Outbox, clk *clock, calls *atomic.Int64) *Planner {
	return &Planner{
		Source: sourceFunc(func(context.Context, calendar.Date) (PlanInput, error) {
			calls.Add(1)
			return PlanInput{BaseURL: baseURL, Reports: reports2021()}, nil
		}),
		Outbox: out, Calendar: func() *calendar.Calendar { return calendar.New() },
		Policy: DefaultPolicy(), Now: clk.Now,
	}
}

func newTestDispatcher(out Outbox, s Sender, owner string, clk *clock) *Dispatcher {
	d := NewDispatcher(out, s, owner)
	d.Now, d.Log = clk.Now, quiet
	return d
}

// Three replicas planning at once, and again later, store each notification once;
// nothing is planned on a day off.
func TestPlannerReplicas(t *testing.T) {
	out, clk, calls := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}, new(atomic.Int64)
	var wg sync.WaitGroup
	total := make([]int, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := newPlanner(out, clk, calls).RunOnce(context.Background())
			if err != nil {
				t.Error(err)
			}
			total[i] = n
		}()
	}
	wg.Wait()
	if n, _ := newPlanner(out, clk, calls).RunOnce(context.Background()); n != 0 {
		t.Errorf("second run inserted %d", n)
	}
	want := len(plan2021(t, "2022-01-28"))
	if sum := total[0] + total[1] + total[2]; sum != want || len(out.rows) != 6 || want != 6 {
		t.Errorf("inserted %v, rows %d, planned %d; want 6", total, len(out.rows), want)
	}
	clk.Set(at("2022-01-31 09:00"))
	calls.Store(0)
	if n, err := newPlanner(out, clk, calls).RunOnce(context.Background()); n != 0 || err != nil || calls.Load() != 0 {
		t.Errorf("Spring Festival: inserted %d, err %v, source calls %d", n, err, calls.Load())
	}
}

// The SMTP server refuses connections, then comes back: every message is delivered
// once, and planning again adds nothing.
func TestDeliveredOnceAfterOutage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connection refused

	out, clk, calls := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}, new(atomic.Int64)
	planner := newPlanner(out, clk, calls)
	if _, err := planner.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	sender, err := NewSMTPSender(smtpConfig(t, addr, "none", nil))
	if err != nil {
		t.Fatal(err)
	}
	d := newTestDispatcher(out, sender, "replica-1", clk)
	steps := []struct {
		at   string
		up   bool
		want DispatchResult
	}{
		{"2022-01-28 09:00", false, DispatchResult{Retrying: 6}},
		{"2022-01-28 09:00", false, DispatchResult{}}, // not before the retry time
		{"2022-01-28 09:01", true, DispatchResult{Sent: 6}},
		{"2022-01-28 09:30", true, DispatchResult{}},
	}
	box := &mailbox{user: "qianfa", pass: "s3cret"}
	for i, st := range steps {
		if st.up && i > 0 && !steps[i-1].up {
			serveMailbox(t, box, addr, nil, false)
		}
		clk.Set(at(st.at))
		res, err := d.RunOnce(context.Background())
		if err != nil || res != st.want {
			t.Errorf("step %d at %s: %+v, %v; want %+v", i, st.at, res, err, st.want)
		}
	}
	if n, _ := planner.RunOnce(context.Background()); n != 0 {
		t.Errorf("replanning inserted %d", n)
	}
	if res, _ := d.RunOnce(context.Background()); res != (DispatchResult{}) {
		t.Errorf("after replanning: %+v", res)
	}
	var got, want []string
	for _, env := range box.messages() {
		got = append(got, messageIDOf(t, env))
	}
	for _, n := range plan2021(t, "2022-01-28") {
		want = append(want, "<"+n.MessageID+">")
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("delivered Message-IDs\n%v\nwant\n%v", got, want)
	}
}

// A send that keeps failing is retried after 1, 2, 4 … 64 minutes and is failed
// for good at the 8th attempt.
func TestBackoffGivesUp(t *testing.T) {
	out, clk := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}
	n := find(t, plan2021(t, "2022-01-28"), "1|u1|reminder|2022-01-28")
	if _, err := out.Enqueue(context.Background(), []Notification{n}); err != nil {
		t.Fatal(err)
	}
	d := newTestDispatcher(out, &recorder{fail: errors.New("451 try later")}, "r", clk)
	var delays []time.Duration
	var last DispatchResult
	for range 8 {
		before := clk.Now()
		res, err := d.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		last = res
		if r := out.rows[0]; !r.nextAt.IsZero() {
			delays = append(delays, r.nextAt.Sub(before))
			clk.Set(r.nextAt)
		}
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64}
	for i := range want {
		want[i] *= time.Minute
	}
	if !reflect.DeepEqual(delays, want) || last != (DispatchResult{Failed: 1}) {
		t.Errorf("delays %v, last %+v", delays, last)
	}
	if got := out.statuses()[n.DedupeKey]; got != "failed" || out.rows[0].lastErr != "451 try later" {
		t.Errorf("status %s, error %q", got, out.rows[0].lastErr)
	}
	clk.Set(at("2022-02-28 09:00"))
	if res, _ := d.RunOnce(context.Background()); res != (DispatchResult{}) {
		t.Errorf("failed row claimed again: %+v", res)
	}
}

// A replica that dies after sending but before marking leaves the row leased; after
// the lease another replica sends it again with the same Message-ID, and the dead
// replica's late mark is refused.
func TestReplicaKilledMidSend(t *testing.T) {
	out, clk := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}
	n := find(t, plan2021(t, "2022-01-28"), "1|u1|reminder|2022-01-28")
	if _, err := out.Enqueue(context.Background(), []Notification{n}); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	items, err := out.Claim(context.Background(), "a", clk.Now(), 5*time.Minute, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %v %v", items, err)
	}
	_ = rec.Send(context.Background(), MessageOf(items[0].Notification)) // then "a" dies

	b := newTestDispatcher(out, rec, "b", clk)
	for _, st := range []struct {
		at   string
		want DispatchResult
	}{{"2022-01-28 09:04", DispatchResult{}}, {"2022-01-28 09:06", DispatchResult{Sent: 1}}} {
		clk.Set(at(st.at))
		if res, err := b.RunOnce(context.Background()); res != st.want || err != nil {
			t.Errorf("%s: %+v %v, want %+v", st.at, res, err, st.want)
		}
	}
	if err := out.MarkSent(context.Background(), items[0].ID, "a", clk.Now()); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("late MarkSent: %v", err)
	}
	if len(rec.sent) != 2 || rec.sent[0].MessageID != rec.sent[1].MessageID || rec.sent[0].MessageID != n.MessageID {
		t.Errorf("sent %+v", rec.sent)
	}
	if out.rows[0].item.Attempts != 2 || out.statuses()[n.DedupeKey] != "sent" {
		t.Errorf("attempts %d, status %s", out.rows[0].item.Attempts, out.statuses()[n.DedupeKey])
	}
}

// Without SMTP the messages are kept for the 发件箱 page and not claimed again.
func TestOutboxOnlyKeeps(t *testing.T) {
	out, clk := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}
	if _, err := out.Enqueue(context.Background(), plan2021(t, "2022-01-28")); err != nil {
		t.Fatal(err)
	}
	d := newTestDispatcher(out, OutboxOnly{}, "r", clk)
	for i, want := range []DispatchResult{{Kept: 6}, {}} {
		if res, err := d.RunOnce(context.Background()); res != want || err != nil {
			t.Errorf("run %d: %+v %v", i, res, err)
		}
	}
	for k, s := range out.statuses() {
		if s != "kept" {
			t.Errorf("%s: %s", k, s)
		}
	}
}

// Planned before the send time, a notification waits for it.
func TestNotBeforeSendTime(t *testing.T) {
	out, clk := newMemOutbox(), &clock{now: at("2022-01-28 07:30")}
	ns := Plan(clk.Now(), calendar.New(), DefaultPolicy(), PlanInput{BaseURL: baseURL, Reports: reports2021()})
	if _, err := out.Enqueue(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	d := newTestDispatcher(out, &recorder{}, "r", clk)
	for _, st := range []struct {
		at   string
		want DispatchResult
	}{{"2022-01-28 08:59", DispatchResult{}}, {"2022-01-28 09:00", DispatchResult{Sent: 6}}} {
		clk.Set(at(st.at))
		if res, _ := d.RunOnce(context.Background()); res != st.want {
			t.Errorf("%s: %+v", st.at, res)
		}
	}
}

func TestSchedule(t *testing.T) {
	c := NewCron(quiet)
	out, clk, calls := newMemOutbox(), &clock{now: at("2022-01-28 09:00")}, new(atomic.Int64)
	p := newPlanner(out, clk, calls)
	p.Policy.SendAt = "08:30"
	if err := Schedule(context.Background(), c, p, newTestDispatcher(out, OutboxOnly{}, "r", clk), quiet); err != nil {
		t.Fatal(err)
	}
	entries := c.Entries()
	if len(entries) != 2 || c.Location() != calendar.Location() {
		t.Fatalf("%d entries, location %v", len(entries), c.Location())
	}
	from := at("2022-01-28 10:00").UTC()
	if got := entries[0].Schedule.Next(from); !got.Equal(at("2022-01-29 08:30")) {
		t.Errorf("planner next %v", got)
	}
	if got := entries[1].Schedule.Next(from); !got.Equal(at("2022-01-28 10:01")) {
		t.Errorf("dispatcher next %v", got)
	}
	p.Policy.SendAt = "nine"
	if err := Schedule(context.Background(), NewCron(quiet), p, nil, quiet); err == nil {
		t.Error("bad send_at accepted")
	}
}
