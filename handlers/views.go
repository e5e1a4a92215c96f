package handlers

import (
	"encoding/json"
	"time"

	"qianfa/audit"
	"qianfa/calendar"
	"qianfa/models"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

type agencyRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

type approvalStepView struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	Of    int    `json:"of"`
}

// reportView is the contract's Report; Content and Findings are left out of lists.
type reportView struct {
	ID              int64             `json:"id"`
	Agency          agencyRef         `json:"agency"`
	Year            int               `json:"year"`
	Edition         string            `json:"edition"`
	Kind            string            `json:"kind"`
	State           workflow.State    `json:"state"`
	StateLabel      string            `json:"state_label"`
	Version         int64             `json:"version"`
	Deadline        string            `json:"deadline"`
	WorkingDaysLeft int               `json:"working_days_left"`
	ApprovalStep    *approvalStepView `json:"approval_step,omitempty"`
	Revision        int               `json:"revision"`
	ErrorCount      *int              `json:"error_count,omitempty"`
	WarningCount    *int              `json:"warning_count,omitempty"`
	Content         json.RawMessage   `json:"content,omitempty"`
	Findings        []check.Finding   `json:"findings,omitempty"`
	Carried         *carriedView      `json:"carried,omitempty"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	PublishedAt     *time.Time        `json:"published_at"`
}

// deadlineOf is the statutory deadline of r and the working days left until it.
func (s *Server) deadlineOf(r *models.Report) (calendar.Date, int) {
	d := calendar.Deadline(calendar.Kind(r.Kind), r.Year)
	return d, s.workdays().WorkdaysLeft(calendar.Today(s.now()), d)
}

func (s *Server) summaryView(r *models.Report, ag *models.Agency) reportView {
	deadline, left := s.deadlineOf(r)
	v := reportView{
		ID: r.ID, Agency: agencyRef{ID: ag.ID, Code: ag.Code, Name: ag.Name},
		Year: r.Year, Edition: r.Edition, Kind: r.Kind, State: r.State, StateLabel: r.State.Label(),
		Version: r.Version, Deadline: deadline.String(), WorkingDaysLeft: left, Revision: r.Revision,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, PublishedAt: r.PublishedAt,
	}
	if r.State == workflow.InApproval {
		steps := []string(ag.ApprovalSteps)
		if len(steps) == 0 {
			steps = workflow.DefaultSteps
		}
		name := ""
		if r.Step >= 0 && r.Step < len(steps) {
			name = steps[r.Step]
		}
		v.ApprovalStep = &approvalStepView{Index: r.Step, Name: name, Of: len(steps)}
	}
	return v
}

func (s *Server) listItemView(r *models.Report, ag *models.Agency) reportView {
	v := s.summaryView(r, ag)
	v.ErrorCount, v.WarningCount = &r.ErrorCount, &r.WarningCount
	return v
}

// fullView adds the content and its findings, checked afresh.
func (s *Server) fullView(r *models.Report, ag *models.Agency, findings []check.Finding) reportView {
	v := s.summaryView(r, ag)
	v.Content = json.RawMessage(r.Content)
	if r.Carried != "" {
		if doc, err := report.Decode([]byte(r.Content)); err == nil {
			v.Carried = viewCarried(r.Carried, doc)
		}
	}
	if findings == nil {
		findings = []check.Finding{}
	}
	v.Findings = findings
	return v
}

type userView struct {
	ID       int64           `json:"id"`
	Username string          `json:"username"`
	Name     string          `json:"name"`
	Email    string          `json:"email"`
	AgencyID int64           `json:"agency_id"`
	Roles    []workflow.Role `json:"roles"`
	Active   bool            `json:"active"`
}

func viewUser(u *models.User) userView {
	roles := []workflow.Role(u.Roles)
	if roles == nil {
		roles = []workflow.Role{}
	}
	return userView{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, AgencyID: u.AgencyID,
		Roles: roles, Active: u.Active}
}

type agencyView struct {
	ID            int64    `json:"id"`
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	Level         string   `json:"level"`
	ParentID      *int64   `json:"parent_id"`
	ApprovalSteps []string `json:"approval_steps"`
}

func viewAgency(a *models.Agency) agencyView {
	steps := []string(a.ApprovalSteps)
	if len(steps) == 0 {
		steps = workflow.DefaultSteps
	}
	return agencyView{ID: a.ID, Code: a.Code, Name: a.Name, Level: a.Level, ParentID: a.ParentID, ApprovalSteps: steps}
}

type actorRef struct {
	ID       *int64 `json:"id"`
	Username string `json:"username"`
}

// auditView is the contract's AuditEvent.
type auditView struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Actor     actorRef  `json:"actor"`
	Action    string    `json:"action"`
	ReportID  *int64    `json:"report_id"`
	FromState *string   `json:"from_state"`
	ToState   *string   `json:"to_state"`
	Comment   *string   `json:"comment"`
	Revision  *int      `json:"revision"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

func viewAudit(e audit.Event) auditView {
	v := auditView{Seq: e.Seq, At: e.At.UTC(), Action: e.Action, PrevHash: e.PrevHash, Hash: e.Hash,
		Actor: actorRef{Username: e.ActorUsername}}
	if e.ActorID != 0 {
		v.Actor.ID = &e.ActorID
	}
	if e.ReportID != 0 {
		v.ReportID = &e.ReportID
	}
	if e.FromState != "" {
		v.FromState = &e.FromState
	}
	if e.ToState != "" {
		v.ToState = &e.ToState
	}
	if e.Comment != "" {
		v.Comment = &e.Comment
	}
	if e.Revision != 0 {
		v.Revision = &e.Revision
	}
	return v
}

type items[T any] struct {
	Items []T `json:"items"`
}
