package models_test

import (
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

var t0 = time.Date(2021, 1, 10, 9, 0, 0, 0, time.UTC)

type step struct {
	by      *models.User
	action  workflow.Action
	reauth  bool
	state   workflow.State
	stepIdx int
}

func TestTransitionFullFlow(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj", "分管领导审核", "主要负责人签发")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		flow := []step{
			{team.Drafter, workflow.Submit, false, workflow.InReview, 0},
			{team.Reviewer, workflow.Approve, false, workflow.InApproval, 0},
			{team.Leader, workflow.Approve, false, workflow.InApproval, 1},
			{team.Leader2, workflow.Approve, true, workflow.Approved, 0},
			{team.Publisher, workflow.Publish, false, workflow.Published, 0},
		}
		for i, st := range flow {
			at := t0.Add(time.Duration(i) * time.Hour)
			got, tr, err := s.Transition(ctx, r.ID, st.by.Actor(), st.by.Username,
				workflow.Request{Action: st.action, Version: int64(i + 1), Reauthenticated: st.reauth},
				workflow.Options{RequireReauth: true}, at)
			if err != nil {
				t.Fatalf("step %d %s: %v", i, st.action, err)
			}
			if got.State != st.state || got.Step != st.stepIdx || got.Version != int64(i+2) || tr.To != st.state {
				t.Fatalf("step %d: state %s step %d version %d, want %s %d %d", i, got.State, got.Step, got.Version, st.state, st.stepIdx, i+2)
			}
		}
		read, err := s.ReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantPublished := t0.Add(4 * time.Hour)
		if read.State != workflow.Published || read.Version != 6 || read.Revision != 1 || read.AuditCount != 6 ||
			read.SubmittedBy == nil || *read.SubmittedBy != team.Drafter.ID ||
			read.PublishedAt == nil || !read.PublishedAt.Equal(wantPublished) {
			t.Errorf("final report = %+v", read)
		}
		approvals, err := s.Approvals(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got [][3]int64
		for _, a := range approvals {
			got = append(got, [3]int64{int64(a.Revision), int64(a.Step), a.UserID})
		}
		want := [][3]int64{{1, -1, team.Reviewer.ID}, {1, 0, team.Leader.ID}, {1, 1, team.Leader2.ID}}
		if !slices.Equal(got, want) {
			t.Errorf("approvals = %v, want %v", got, want)
		}
		pubs, err := s.Publications(ctx, r.ID)
		if err != nil || len(pubs) != 1 || pubs[0].Content != `{"v":1}` || pubs[0].PublishedBy != team.Publisher.ID || pubs[0].Revision != 1 {
			t.Errorf("publications = %+v, %v", pubs, err)
		}
		rev, err := s.Revision(ctx, r.ID, 1)
		if err != nil || rev.Content != `{"v":1}` || rev.AuthorID != team.Drafter.ID || rev.StateAtFreeze != workflow.InReview {
			t.Errorf("revision 1 = %+v, %v", rev, err)
		}
		events, err := s.ListAudit(ctx, models.AuditFilter{ReportID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action+":"+e.FromState+">"+e.ToState)
		}
		wantActions := []string{"create:>draft", "submit:draft>in_review", "approve:in_review>in_approval",
			"approve:in_approval>in_approval", "approve:in_approval>approved", "publish:approved>published"}
		if !slices.Equal(actions, wantActions) {
			t.Errorf("audit = %v, want %v", actions, wantActions)
		}
		if res, err := s.VerifyAudit(ctx, modelstest.AuditKey); err != nil || !res.OK || res.Events != 6+teamEvents {
			t.Errorf("verify = %+v, %v", res, err)
		}
	})
}

// teamEvents is how many agency-chain events MustTeam writes: agency_create
// and five user_create.
const teamEvents = 6

func TestReturnStartsNewRevision(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, `{"v":1}`)
		do := func(u *models.User, a workflow.Action, v int64, comment string) {
			t.Helper()
			if _, _, err := s.Transition(ctx, r.ID, u.Actor(), u.Username,
				workflow.Request{Action: a, Version: v, Comment: comment}, workflow.Options{}, t0); err != nil {
				t.Fatalf("%s v%d: %v", a, v, err)
			}
		}
		do(team.Drafter, workflow.Submit, 1, "")
		do(team.Reviewer, workflow.Approve, 2, "")
		do(team.Leader, workflow.Return, 3, "数据有误")
		if _, err := s.SaveContent(ctx, team.Drafter.AuditActor(), r.ID, 4, `{"v":2}`, 0, 1); err != nil {
			t.Fatal(err)
		}
		do(team.Drafter, workflow.Submit, 5, "")
		do(team.Reviewer, workflow.Approve, 6, "")
		got, err := s.ReportByID(ctx, r.ID)
		if err != nil || got.Revision != 2 || got.State != workflow.InApproval || got.Version != 7 || got.WarningCount != 1 {
			t.Fatalf("report = %+v, %v", got, err)
		}
		revs, err := s.ListRevisions(ctx, r.ID)
		if err != nil || len(revs) != 2 || revs[1].Number != 2 || revs[0].Content != "" {
			t.Fatalf("revisions = %+v, %v", revs, err)
		}
		if rev, _ := s.Revision(ctx, r.ID, 2); rev.Content != `{"v":2}` {
			t.Errorf("revision 2 content %q", rev.Content)
		}
		for _, c := range []struct {
			user *models.User
			want int
		}{{team.Reviewer, 2}, {team.Leader, 0}, {team.Drafter, 0}} {
			n, err := s.LastRevisionApprovedBy(ctx, r.ID, c.user.ID)
			if err != nil || n != c.want {
				t.Errorf("last revision approved by %s = %d, %v; want %d", c.user.Username, n, err, c.want)
			}
		}
	})
}

// Racing identical requests: exactly one wins, the rest are stale_version.
// With a fixed clock the racers build byte-identical audit events (a double
// click within one microsecond), which must not change the answer.
func TestConcurrentTransitionsOneWins(t *testing.T) {
	const n = 50
	clocks := []struct {
		name string
		now  func() time.Time
	}{{"clock", time.Now}, {"same microsecond", func() time.Time { return t0 }}}
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		for i, clock := range clocks {
			t.Run(clock.name, func(t *testing.T) {
				r := modelstest.MustReport(t, s, team.Agency.ID, 2020+i, "{}")
				errs := make([]error, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						_, _, errs[i] = s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
							workflow.Request{Action: workflow.Submit, Version: 1}, workflow.Options{}, clock.now())
					})
				}
				wg.Wait()
				ok, stale := 0, 0
				for _, err := range errs {
					switch {
					case err == nil:
						ok++
					case errors.Is(err, workflow.ErrStaleVersion()):
						stale++
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
				if ok != 1 || stale != n-1 {
					t.Errorf("%d succeeded, %d stale; want 1 and %d", ok, stale, n-1)
				}
				got, err := s.ReportByID(ctx, r.ID)
				if err != nil || got.State != workflow.InReview || got.Version != 2 || got.AuditCount != 2 || got.Revision != 1 {
					t.Errorf("report = state %s version %d audit %d revision %d, %v", got.State, got.Version, got.AuditCount, got.Revision, err)
				}
				if revs, _ := s.ListRevisions(ctx, r.ID); len(revs) != 1 {
					t.Errorf("%d revisions, want 1", len(revs))
				}
			})
		}
		mustVerify(t, s)
	})
}

func TestTransitionErrors(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, "{}")
		cases := []struct {
			name string
			id   int64
			by   *models.User
			req  workflow.Request
			code string
		}{
			{"missing report", r.ID + 100, team.Drafter, workflow.Request{Action: workflow.Submit, Version: 1}, workflow.CodeNotFound},
			{"stale", r.ID, team.Drafter, workflow.Request{Action: workflow.Submit, Version: 7}, workflow.CodeStaleVersion},
			{"wrong state", r.ID, team.Publisher, workflow.Request{Action: workflow.Publish, Version: 1}, workflow.CodeInvalidTransition},
			{"wrong role", r.ID, team.Reviewer, workflow.Request{Action: workflow.Submit, Version: 1}, workflow.CodeForbidden},
		}
		for _, c := range cases {
			_, _, err := s.Transition(ctx, c.id, c.by.Actor(), c.by.Username, c.req, workflow.Options{}, t0)
			if workflow.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want code %s", c.name, err, c.code)
			}
		}
		if err := s.AuditReauthFailure(ctx, r.ID, team.Leader.AuditActor(), "", t0); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ReportByID(ctx, r.ID)
		if got.Version != 1 || got.AuditCount != 2 {
			t.Errorf("after refused transitions: version %d audit %d, want 1 and 2", got.Version, got.AuditCount)
		}
	})
}

func TestDuplicateReport(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		a := modelstest.MustAgency(t, s, "mzj", 0)
		modelstest.MustReport(t, s, a.ID, 2020, "{}")
		err := s.CreateReport(ctx, modelstest.System, &models.Report{AgencyID: a.ID, Year: 2020, Edition: "2019", Content: "{}"})
		if workflow.KindOf(err) != workflow.KindConflict || workflow.CodeOf(err) != workflow.CodeDuplicate {
			t.Errorf("second report: %v, want conflict duplicate", err)
		}
		gov := &models.Report{AgencyID: a.ID, Year: 2020, Kind: models.KindGovernment, Edition: "2019", Content: "{}"}
		if err := s.CreateReport(ctx, modelstest.System, gov); err != nil {
			t.Errorf("government report of the same year: %v", err)
		}
		err = s.CreateReport(ctx, modelstest.System, &models.Report{AgencyID: a.ID + 9, Year: 2020, Edition: "2019", Content: "{}"})
		if workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("report of a missing agency: %v, want not_found", err)
		}
		list, err := s.ListReports(ctx, models.ReportFilter{AgencyIDs: []int64{a.ID}, Year: 2020})
		if err != nil || len(list) != 2 || list[0].Content != "" {
			t.Errorf("list = %+v, %v", list, err)
		}
		if list, _ := s.ListReports(ctx, models.ReportFilter{AgencyIDs: []int64{}}); len(list) != 0 {
			t.Errorf("empty scope listed %d reports", len(list))
		}
	})
}

func TestSaveContent(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		r := modelstest.MustReport(t, s, team.Agency.ID, 2020, "{}")
		actor := team.Drafter.AuditActor()
		got, err := s.SaveContent(ctx, actor, r.ID, 1, `{"a":1}`, 2, 3)
		if err != nil || got.Version != 2 || got.ErrorCount != 2 || got.AuditCount != 2 {
			t.Fatalf("save = %+v, %v", got, err)
		}
		if _, err := s.SaveContent(ctx, actor, r.ID, 1, `{"a":2}`, 0, 0); workflow.CodeOf(err) != workflow.CodeStaleVersion {
			t.Errorf("stale save: %v", err)
		}
		if _, err := s.SaveContent(ctx, actor, r.ID+5, 1, `{}`, 0, 0); workflow.CodeOf(err) != workflow.CodeNotFound {
			t.Errorf("missing report: %v", err)
		}
		if _, err := s.SaveContent(ctx, actor, r.ID, 2, `{}`, 0, 0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), "d", workflow.Request{Action: workflow.Submit, Version: 3}, workflow.Options{}, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveContent(ctx, actor, r.ID, 4, `{}`, 0, 0); workflow.CodeOf(err) != workflow.CodeInvalidTransition {
			t.Errorf("save outside draft: %v", err)
		}
	})
}

// TestConcurrentTransitionsOfDifferentReports guards against lock conflicts
// between transitions of different reports (MariaDB once deadlocked on the
// gap locks of idx_reports_state, which it scans once the table holds a few
// dozen reports): every transition must succeed.
func TestConcurrentTransitionsOfDifferentReports(t *testing.T) {
	const workers, rounds, others = 8, 20, 40
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		team := modelstest.MustTeam(t, s, "mzj")
		for i := range others {
			modelstest.MustReport(t, s, team.Agency.ID, 1900+i, "{}")
		}
		if s.Dialect() == models.DriverMySQL { // fresh statistics, as a live server has
			if _, err := s.RawDB().ExecContext(ctx, "ANALYZE TABLE reports"); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			r := modelstest.MustReport(t, s, team.Agency.ID, 2000+w, "{}")
			wg.Go(func() {
				for i := range rounds {
					action := workflow.Submit
					if i%2 == 1 {
						action = workflow.Withdraw
					}
					if _, _, err := s.Transition(ctx, r.ID, team.Drafter.Actor(), team.Drafter.Username,
						workflow.Request{Action: action, Version: int64(i + 1)}, workflow.Options{}, time.Now()); err != nil {
						errs[w] = err
						return
					}
				}
			})
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Errorf("worker %d: %v", w, err)
			}
		}
		list, err := s.ListReports(ctx, models.ReportFilter{Year: 2000})
		if err != nil || len(list) != 1 || list[0].Version != rounds+1 || list[0].AuditCount != rounds+1 {
			t.Errorf("reports %+v, %v", list, err)
		}
	})
}

// TestGuardUsesPrimaryKey checks the access path of the guarded update on
// MariaDB: a scan of idx_reports_state (chosen for "state = ?" once the
// table holds a few dozen reports) takes gap locks that deadlock concurrent
// transitions of different reports.
func TestGuardUsesPrimaryKey(t *testing.T) {
	s := modelstest.NewStore(t, models.DriverMySQL)
	a := modelstest.MustAgency(t, s, "mzj", 0)
	for i := range 40 {
		modelstest.MustReport(t, s, a.ID, 1900+i, "{}")
	}
	if _, err := s.RawDB().ExecContext(ctx, "ANALYZE TABLE reports"); err != nil {
		t.Fatal(err)
	}
	rows, err := s.RawDB().QueryContext(ctx, "EXPLAIN UPDATE reports SET state = 'in_review', version = version + 1"+models.GuardSQL, 3, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatal("no plan")
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		if c == "key" && vals[i].String != "PRIMARY" {
			t.Errorf("guarded update uses key %q, want PRIMARY", vals[i].String)
		}
	}
}
