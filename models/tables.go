package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qianfa/workflow"
)

// Agency is a row of agencies: an agency (or a supervising office, whose
// children are the agencies of its region). AuditCount and AuditHead are the
// head of the agency's audit chain.
type Agency struct {
	ID            int64
	Code          string
	Name          string
	Level         string
	ParentID      *int64
	ApprovalSteps StepList
	AuditCount    int64
	AuditHead     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName is the table of Agency.
func (Agency) TableName() string { return "agencies" }

// User is a row of users. PasswordHash is a slow salted hash, never a password.
type User struct {
	ID           int64
	Username     string
	Name         string
	Email        string
	AgencyID     int64
	Roles        RoleList
	PasswordHash string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the table of User.
func (User) TableName() string { return "users" }

// Actor returns the user as the workflow sees them.
func (u *User) Actor() workflow.Actor {
	return workflow.Actor{UserID: u.ID, AgencyID: u.AgencyID, Roles: append([]workflow.Role(nil), u.Roles...)}
}

// AuditActor returns the user as audit events name them.
func (u *User) AuditActor() AuditActor { return AuditActor{ID: u.ID, Username: u.Username} }

// Report kinds: an agency's own report, or the government's summary report.
const (
	KindAgency     = "agency"
	KindGovernment = "government"
)

// Report is a row of reports: one annual report of an agency. Content is the
// interchange JSON; Version increases with every save and transition.
type Report struct {
	ID           int64
	AgencyID     int64
	Year         int
	Kind         string
	Edition      string
	State        workflow.State
	Version      int64
	Step         int
	Revision     int
	SubmittedBy  *int64
	Content      string
	ErrorCount   int
	WarningCount int
	AuditCount   int64
	AuditHead    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PublishedAt  *time.Time
	// Carried is the JSON record of the values carried over from last year's published
	// report and the reasons for any that were changed; "" when the draft started blank.
	Carried string
	// Title is TitleOf(Content), written in the statement that writes the content;
	// the reminder planner reads it without the content.
	Title string
}

// TableName is the table of Report.
func (Report) TableName() string { return "reports" }

// Revision is a row of revisions: the content frozen at a submit.
// StateAtFreeze is the state the submit moved the report into.
type Revision struct {
	ID            int64
	ReportID      int64
	Number        int
	StateAtFreeze workflow.State
	Content       string
	AuthorID      int64
	CreatedAt     time.Time
}

// TableName is the table of Revision.
func (Revision) TableName() string { return "revisions" }

// Approval is a row of approvals: one sign-off of one revision, by the
// reviewer (Step == workflow.ReviewStep) or a leader on a step.
type Approval struct {
	ID        int64
	ReportID  int64
	Revision  int
	Step      int
	UserID    int64
	CreatedAt time.Time
}

// TableName is the table of Approval.
func (Approval) TableName() string { return "approvals" }

// Publication is a row of publications: the content that went public, kept
// per publishing so that corrections leave the earlier text on record.
type Publication struct {
	ID          int64
	ReportID    int64
	Revision    int
	Content     string
	PublishedAt time.Time
	PublishedBy int64
}

// TableName is the table of Publication.
func (Publication) TableName() string { return "publications" }

// auditRow is a row of audit_events; ID is the event's seq.
type auditRow struct {
	ID            int64
	Chain         string
	Pos           int64
	At            time.Time
	ActorID       int64
	ActorUsername string
	Action        string
	AgencyID      int64
	ReportID      int64
	FromState     string
	ToState       string
	Comment       string
	Revision      int
	Data          string
	PrevHash      string
	Hash          string
}

// TableName is the table of auditRow.
func (auditRow) TableName() string { return "audit_events" }

// Session is a row of sessions. TokenHash is the SHA-256 (hex) of the token
// the client holds; the token itself is never stored.
type Session struct {
	TokenHash  string `gorm:"primaryKey"`
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// TableName is the table of Session.
func (Session) TableName() string { return "sessions" }

// LoginFailure is a row of login_failures, counted to throttle guessing.
type LoginFailure struct {
	ID       int64
	Username string
	At       time.Time
	IP       string `gorm:"column:ip"`
}

// TableName is the table of LoginFailure.
func (LoginFailure) TableName() string { return "login_failures" }

// StepList is an agency's leader approval steps, stored as a JSON array.
type StepList []string

// Value encodes the list as JSON ("[]" when empty).
func (l StepList) Value() (driver.Value, error) {
	if l == nil {
		l = StepList{}
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan decodes the JSON array.
func (l *StepList) Scan(src any) error {
	text, err := scanText(src)
	if err != nil || text == "" {
		*l = nil
		return err
	}
	var steps []string
	if err := json.Unmarshal([]byte(text), &steps); err != nil {
		return fmt.Errorf("approval_steps: %w", err)
	}
	*l = steps
	return nil
}

// RoleList is a user's roles, stored as a comma-separated list.
type RoleList []workflow.Role

// Value encodes the roles as "drafter,reviewer".
func (l RoleList) Value() (driver.Value, error) {
	names := make([]string, len(l))
	for i, r := range l {
		names[i] = string(r)
	}
	return strings.Join(names, ","), nil
}

// Scan decodes the comma-separated list.
func (l *RoleList) Scan(src any) error {
	text, err := scanText(src)
	if err != nil {
		return err
	}
	*l = nil
	for _, name := range strings.Split(text, ",") {
		if name = strings.TrimSpace(name); name != "" {
			*l = append(*l, workflow.Role(name))
		}
	}
	return nil
}

// Has reports whether the list holds role r.
func (l RoleList) Has(r workflow.Role) bool {
	for _, have := range l {
		if have == r {
			return true
		}
	}
	return false
}

func scanText(src any) (string, error) {
	switch v := src.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("cannot scan %T as text", src)
}
