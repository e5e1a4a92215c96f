package models_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/notifications"
	"qianfa/workflow"
)

const baseURL = "https://qianfa.example.gov.cn"

// fakeClock is the time of every store, planner and sender of a simulation.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// shanghai is an Asia/Shanghai wall-clock time "2006-01-02 15:04".
func shanghai(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// region is a supervising office with a supervisor and four agencies under
// it: one report in draft, one in review, one in approval on its second
// step, and one agency without a 2021 report.
type region struct {
	office                    *models.Agency
	supervisor                *models.User
	draft, review, approval   modelstest.Team
	missing                   *models.Agency
	rDraft, rReview, rApprove *models.Report
}

func teamUnder(t *testing.T, s *models.Store, code string, office int64, steps ...string) modelstest.Team {
	t.Helper()
	a := modelstest.MustAgency(t, s, code, office, steps...)
	return modelstest.Team{
		Agency:    a,
		Drafter:   modelstest.MustUser(t, s, a.ID, code+"-drafter", workflow.RoleDrafter),
		Reviewer:  modelstest.MustUser(t, s, a.ID, code+"-reviewer", workflow.RoleReviewer),
		Leader:    modelstest.MustUser(t, s, a.ID, code+"-leader", workflow.RoleLeader),
		Leader2:   modelstest.MustUser(t, s, a.ID, code+"-leader2", workflow.RoleLeader),
		Publisher: modelstest.MustUser(t, s, a.ID, code+"-publisher", workflow.RolePublisher),
	}
}

func move(t *testing.T, s *models.Store, r *models.Report, by *models.User, action workflow.Action, at string) {
	t.Helper()
	got, _, err := s.Transition(ctx, r.ID, by.Actor(), by.Username, workflow.Request{Action: action, Version: r.Version},
		workflow.Options{}, shanghai(at))
	if err != nil {
		t.Fatalf("%s by %s: %v", action, by.Username, err)
	}
	*r = *got
}

func newRegion(t *testing.T, s *models.Store, clk *fakeClock) region {
	t.Helper()
	clk.Set(shanghai("2021-12-20 10:00"))
	var g region
	g.office = modelstest.MustAgency(t, s, "330424", 0)
	g.supervisor = modelstest.MustUser(t, s, g.office.ID, "supervisor", workflow.RoleSupervisor)
	g.draft = teamUnder(t, s, "330424-mzj", g.office.ID)
	g.review = teamUnder(t, s, "330424-czj", g.office.ID)
	g.approval = teamUnder(t, s, "330424-jyj", g.office.ID, "分管领导审核", "主要负责人签发")
	g.missing = modelstest.MustAgency(t, s, "330424-slj", g.office.ID)
	g.rDraft = modelstest.MustReport(t, s, g.draft.Agency.ID, 2021, `{"title":"海盐县民政局2021年度政府信息公开工作年度报告"}`)
	g.rReview = modelstest.MustReport(t, s, g.review.Agency.ID, 2021, `{}`)
	g.rApprove = modelstest.MustReport(t, s, g.approval.Agency.ID, 2021, `{}`)
	move(t, s, g.rReview, g.review.Drafter, workflow.Submit, "2022-01-05 10:00")
	move(t, s, g.rApprove, g.approval.Drafter, workflow.Submit, "2021-12-28 10:00")
	move(t, s, g.rApprove, g.approval.Reviewer, workflow.Approve, "2021-12-29 10:00")
	move(t, s, g.rApprove, g.approval.Leader, workflow.Approve, "2022-01-10 16:00")
	return g
}

func rcpt(us ...*models.User) []notifications.Recipient {
	var out []notifications.Recipient
	for _, u := range us {
		out = append(out, notifications.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name})
	}
	return out
}

func TestReminderSource(t *testing.T) {
	clk := &fakeClock{}
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		g := newRegion(t, s, clk)
		internal := calendar.MonthDay{Month: time.January, Day: 26}
		in, err := models.ReminderSource{Store: s, BaseURL: baseURL, InternalSubmit: &internal}.PlanInput(ctx, calendar.Date{Year: 2022, Month: 1, Day: 25})
		if err != nil {
			t.Fatal(err)
		}
		sup := rcpt(g.supervisor)
		deadline := calendar.Date{Year: 2022, Month: 1, Day: 26}
		base := func(id int64, agency, state string, holders, leaders []notifications.Recipient, last time.Time) notifications.ReportStatus {
			return notifications.ReportStatus{ID: id, AgencyName: agency, OfficeName: "单位330424", Year: 2021,
				Kind: calendar.KindAgency, Deadline: deadline, State: state, LastActivity: last.UTC(),
				Holders: holders, Leaders: leaders, Supervisors: sup}
		}
		d := base(g.rDraft.ID, "单位330424-mzj", "draft", rcpt(g.draft.Drafter), rcpt(g.draft.Leader, g.draft.Leader2), shanghai("2021-12-20 10:00"))
		d.Title = "海盐县民政局2021年度政府信息公开工作年度报告"
		r := base(g.rReview.ID, "单位330424-czj", "in_review", rcpt(g.review.Reviewer), rcpt(g.review.Leader, g.review.Leader2), shanghai("2022-01-05 10:00"))
		a := base(g.rApprove.ID, "单位330424-jyj", "in_approval", rcpt(g.approval.Leader2), rcpt(g.approval.Leader, g.approval.Leader2), shanghai("2022-01-10 16:00"))
		a.StepName = "主要负责人签发"
		m := base(0, "单位330424-slj", "", nil, nil, time.Time{})
		want := []notifications.ReportStatus{d, r, a, m}
		if len(in.Reports) != len(want) || in.BaseURL != baseURL {
			t.Fatalf("got %d reports, base %q: %+v", len(in.Reports), in.BaseURL, in.Reports)
		}
		for i := range want {
			got := in.Reports[i]
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want[i]) || !got.LastActivity.Equal(want[i].LastActivity) {
				t.Errorf("report %d:\n got %+v\nwant %+v", i, got, want[i])
			}
		}
	}, models.WithClock(clk.Now))
}

// mailbox is an in-process SMTP server counting the messages it receives by
// Message-ID. It can be stopped (connections refused) and started again on
// the same address.
type mailbox struct {
	mu   sync.Mutex
	got  map[string]int
	addr string
	srv  *smtp.Server
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: b}, nil }

type mailSession struct{ box *mailbox }

func (*mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (*mailSession) Reset()                               {}
func (*mailSession) Logout() error                        { return nil }

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return err
	}
	id := strings.Trim(m.Header.Get("Message-Id"), "<>")
	s.box.mu.Lock()
	s.box.got[id]++
	s.box.mu.Unlock()
	return nil
}

func (b *mailbox) start(t *testing.T) {
	t.Helper()
	addr := b.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	b.addr = ln.Addr().String()
	b.srv = smtp.NewServer(b)
	b.srv.Domain = "localhost"
	b.srv.ReadTimeout, b.srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = b.srv.Serve(ln) }()
}

func (b *mailbox) stop() { _ = b.srv.Close() }

func (b *mailbox) counts() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return maps.Clone(b.got)
}

func newMailbox(t *testing.T) (*mailbox, notifications.Sender) {
	t.Helper()
	box := &mailbox{got: map[string]int{}}
	box.start(t)
	t.Cleanup(box.stop)
	_, port, _ := net.SplitHostPort(box.addr)
	p, _ := strconv.Atoi(port)
	sender, err := notifications.NewSMTPSender(notifications.SMTPConfig{Host: "127.0.0.1", Port: p,
		From: "签发系统 <noreply@example.gov.cn>", TLS: "none", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return box, sender
}

// replica is one scheduler+sender instance with its own connection pool.
type replica struct {
	planner    *notifications.Planner
	dispatcher *notifications.Dispatcher
}

func replicas(t *testing.T, driver string, clk *fakeClock, sender notifications.Sender) ([]*models.Store, []replica) {
	t.Helper()
	dsn := modelstest.FreshDSN(t, driver)
	cal := calendar.New()
	var stores []*models.Store
	var out []replica
	for i := range 3 {
		s := modelstest.OpenStore(t, driver, dsn, models.WithClock(clk.Now))
		stores = append(stores, s)
		d := notifications.NewDispatcher(s, sender, "replica-"+strconv.Itoa(i))
		d.Batch, d.Now, d.Log = 4, clk.Now, slog.New(slog.NewTextHandler(io.Discard, nil))
		out = append(out, replica{
			planner: &notifications.Planner{Source: models.ReminderSource{Store: s, BaseURL: baseURL}, Outbox: s,
				Calendar: func() *calendar.Calendar { return cal }, Policy: notifications.DefaultPolicy(), Now: clk.Now},
			dispatcher: d,
		})
	}
	return stores, out
}

// parallel runs f on every replica at once.
func parallel(t *testing.T, rs []replica, f func(r replica) (int, error)) int {
	t.Helper()
	var wg sync.WaitGroup
	n := make([]int, len(rs))
	errs := make([]error, len(rs))
	for i, r := range rs {
		wg.Go(func() { n[i], errs[i] = f(r) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return n[0] + n[1] + n[2]
}

// dispatchAll runs the three senders until none has anything due.
func dispatchAll(t *testing.T, rs []replica) {
	t.Helper()
	for range 100 {
		handled := parallel(t, rs, func(r replica) (int, error) {
			res, err := r.dispatcher.RunOnce(context.Background())
			return res.Sent + res.Retrying + res.Failed + res.Kept, err
		})
		if handled == 0 {
			return
		}
	}
	t.Fatal("senders still busy after 100 rounds")
}

// TestMonthOnThreeReplicas plans and sends January 2022 at 09:00 each day on
// three replicas sharing one database: every planned reminder arrives exactly
// once by Message-ID. In the second run the SMTP server refuses connections
// all of 2022-01-18, and the retries deliver that day's mail on the 19th.
func TestMonthOnThreeReplicas(t *testing.T) {
	for _, down := range []string{"", "2022-01-18"} {
		for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
			name := dbName(driver) + "/smtp-up"
			if down != "" {
				name = dbName(driver) + "/smtp-down-" + down
			}
			t.Run(name, func(t *testing.T) { simulateMonth(t, driver, down) })
		}
	}
}

func simulateMonth(t *testing.T, driver, down string) {
	clk := &fakeClock{}
	box, sender := newMailbox(t)
	stores, rs := replicas(t, driver, clk, sender)
	g := newRegion(t, stores[0], clk)
	cal, pol := calendar.New(), notifications.DefaultPolicy()
	want := map[string]string{} // Message-ID → dedupe key
	for day := 1; day <= 31; day++ {
		today := calendar.Date{Year: 2022, Month: time.January, Day: day}
		clk.Set(today.At(9, 0))
		in, err := models.ReminderSource{Store: stores[0], BaseURL: baseURL}.PlanInput(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notifications.Plan(clk.Now(), cal, pol, in) {
			want[n.MessageID] = n.DedupeKey
		}
		parallel(t, rs, func(r replica) (int, error) { return r.planner.RunOnce(context.Background()) })
		if today.String() != down {
			dispatchAll(t, rs)
			continue
		}
		box.stop()
		for _, minutes := range []int{0, 1, 3, 7, 15} {
			clk.Set(today.At(9, minutes))
			dispatchAll(t, rs)
		}
		box.start(t)
	}
	checkKeys(t, g, want)
	got := box.counts()
	for id, key := range want {
		if got[id] != 1 {
			t.Errorf("%s (%s) received %d times, want once", key, id, got[id])
		}
	}
	for id, n := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("unexpected message %s received %d times", id, n)
		}
	}
	counts, err := stores[1].OutboxCounts(ctx)
	wantCounts := map[string]int64{"pending": 0, "sent": int64(len(want)), "failed": 0, "kept": 0}
	if err != nil || !maps.Equal(counts, wantCounts) {
		t.Errorf("outbox %v, %v; want %v", counts, err, wantCounts)
	}
	if down != "" {
		checkRetried(t, stores[2], down)
	}
}

// checkKeys pins a few of the month's reminders, so that the month is not
// trivially empty, and checks none falls on a day off.
func checkKeys(t *testing.T, g region, want map[string]string) {
	t.Helper()
	keys := slices.Sorted(maps.Values(want))
	for _, k := range []string{
		fmt.Sprintf("%d|u%d|deadline|2022-01-30", g.rDraft.ID, g.draft.Drafter.ID),
		fmt.Sprintf("%d|u%d|reminder|2022-01-18", g.rReview.ID, g.review.Reviewer.ID),
		fmt.Sprintf("%d|u%d|reminder|2022-01-28", g.rApprove.ID, g.approval.Leader2.ID),
		fmt.Sprintf("%d|u%d|escalation|2022-01-13", g.rApprove.ID, g.approval.Leader.ID),
		fmt.Sprintf("0|u%d|digest|2022-01-11", g.supervisor.ID),
	} {
		if !slices.Contains(keys, k) {
			t.Errorf("no planned notification %s", k)
		}
	}
	for _, k := range keys {
		day := k[strings.LastIndex(k, "|")+1:]
		if d, _ := calendar.ParseDate(day); !calendar.New().IsWorkday(d) {
			t.Errorf("%s planned on a day off", k)
		}
		if strings.Contains(k, fmt.Sprintf("|u%d|", g.approval.Leader.ID)) && !strings.Contains(k, "|escalation|") {
			t.Errorf("%s: the leader who signed the first step was reminded", k)
		}
	}
	if len(keys) < 40 {
		t.Errorf("only %d notifications planned in the month: %v", len(keys), keys)
	}
}

// checkRetried checks that the mail of the day the SMTP server was down went
// out on a later attempt.
func checkRetried(t *testing.T, s *models.Store, down string) {
	t.Helper()
	sent, err := s.ListOutbox(ctx, models.OutboxFilter{Status: models.OutboxSent, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range sent {
		if m.Day != down {
			continue
		}
		n++
		if m.Attempts != 6 || m.LastError == "" || m.SentAt == nil || calendar.Today(*m.SentAt).String() != "2022-01-19" {
			t.Errorf("%s: attempts %d, last error %q, sent %v; want the 6th attempt on 2022-01-19", m.DedupeKey, m.Attempts, m.LastError, m.SentAt)
		}
	}
	if n == 0 {
		t.Errorf("nothing was planned on %s", down)
	}
}

// TestSenderStoppedBetweenClaimAndSend: a replica claims a row and stops; the
// row goes out from another replica once the lease has expired, once.
func TestSenderStoppedBetweenClaimAndSend(t *testing.T) {
	for _, driver := range []string{models.DriverSQLite, models.DriverMySQL} {
		t.Run(dbName(driver), func(t *testing.T) {
			clk := &fakeClock{}
			box, sender := newMailbox(t)
			stores, rs := replicas(t, driver, clk, sender)
			team := modelstest.MustTeam(t, stores[0], "mzj")
			n := note(1, team.Drafter, notifications.KindReminder)
			if _, err := stores[0].Enqueue(ctx, []notifications.Notification{n}); err != nil {
				t.Fatal(err)
			}
			lease := rs[0].dispatcher.Lease
			if items, err := stores[0].Claim(ctx, "replica-0", sendAt, lease, 10); err != nil || len(items) != 1 {
				t.Fatalf("claim: %v, %v", items, err)
			}
			steps := []struct {
				at   time.Time
				sent int
			}{{sendAt.Add(time.Minute), 0}, {sendAt.Add(lease - time.Microsecond), 0}, {sendAt.Add(lease), 1}, {sendAt.Add(2 * lease), 0}}
			for _, st := range steps {
				clk.Set(st.at)
				res, err := rs[1].dispatcher.RunOnce(ctx)
				if err != nil || res.Sent != st.sent {
					t.Fatalf("at %v: %+v, %v; want %d sent", st.at, res, err, st.sent)
				}
			}
			if err := stores[0].MarkSent(ctx, 1, "replica-0", sendAt.Add(2*lease)); !errors.Is(err, notifications.ErrLeaseLost) {
				t.Errorf("the stopped replica's MarkSent: %v, want ErrLeaseLost", err)
			}
			if got := box.counts(); !maps.Equal(got, map[string]int{n.MessageID: 1}) {
				t.Errorf("received %v, want %s once", got, n.MessageID)
			}
		})
	}
}

// dbName names a driver's subtest as modelstest.ForEachDB does.
func dbName(driver string) string {
	if driver == models.DriverMySQL {
		return "mariadb"
	}
	return driver
}
