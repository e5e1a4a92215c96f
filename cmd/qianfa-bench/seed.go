package main

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qianfa/models"
	"qianfa/password"
	"qianfa/report"
	"qianfa/report/check"
	"qianfa/workflow"
)

//go:embed testdata/report-2021.json
var report2021 []byte

// benchPassword is the password of every bench user.
const benchPassword = "bench-password-1"

// maxYears is how many reports one agency gets: the year now due and the
// years before it, all on the 2021 edition.
const maxYears = 5

// dueYear is the report year due this January, what agencies work on.
func dueYear() int { return time.Now().Year() - 1 }

// flowTarget is one draft report and the bearer tokens of the people who move it.
type flowTarget struct {
	reportID  int64
	version   int64
	year      int
	drafter   string
	reviewer  string
	leaders   []string
	publisher string
}

// fixture is what the seeding created.
type fixture struct {
	flows    []flowTarget
	floorIDs []int64        // one report row per floor client
	contents map[int][]byte // the content each year's save sends
	sessions time.Duration  // time spent seeding
}

// seed creates N agencies with their users and sessions, M draft reports
// spread over them (the due year first, then the years before), and the
// report rows of the floor.
func seed(ctx context.Context, s *models.Store, cfg benchConfig, floorRows int) (*fixture, error) {
	start := time.Now()
	hash, err := password.Hash(benchPassword)
	if err != nil {
		return nil, err
	}
	fx := &fixture{contents: map[int][]byte{}}
	docs := map[int]*models.Report{}
	for y := dueYear() - maxYears + 1; y <= dueYear(); y++ {
		r, save, err := yearContent(y)
		if err != nil {
			return nil, err
		}
		docs[y], fx.contents[y] = r, save
	}
	perAgency := (cfg.reports + cfg.agencies - 1) / cfg.agencies
	for i := range cfg.agencies {
		team, err := seedTeam(ctx, s, i, cfg.steps, hash)
		if err != nil {
			return nil, err
		}
		for k := range perAgency {
			if len(fx.flows) == cfg.reports {
				break
			}
			y := dueYear() - k
			r := *docs[y]
			r.AgencyID = team.agencyID
			if err := s.CreateReport(ctx, team.drafterActor, &r); err != nil {
				return nil, fmt.Errorf("report %d/%d: %w", i, y, err)
			}
			fx.flows = append(fx.flows, flowTarget{reportID: r.ID, version: r.Version, year: y, drafter: team.drafter,
				reviewer: team.reviewer, leaders: team.leaders, publisher: team.publisher})
		}
	}
	if fx.floorIDs, err = seedFloor(ctx, s, floorRows, docs[dueYear()]); err != nil {
		return nil, err
	}
	fx.sessions = time.Since(start)
	return fx, nil
}

// yearContent is the stored draft of year y and the content its save sends
// (the same report with one more sentence), both free of error findings.
func yearContent(y int) (*models.Report, []byte, error) {
	doc, err := report.Decode(report2021)
	if err != nil {
		return nil, nil, err
	}
	doc.Year = y
	doc.Title = strings.Replace(doc.Title, "2021", strconv.Itoa(y), 1)
	stored, err := doc.Compact() // as the product stores it
	if err != nil {
		return nil, nil, err
	}
	errs, warns := check.Counts(check.Check(doc))
	if errs > 0 {
		return nil, nil, fmt.Errorf("bench report %d has %d error findings", y, errs)
	}
	doc.Sections.Other += "\n本报告经压力测试保存。"
	save, err := doc.Encode() // a client uploads the interchange form
	if err != nil {
		return nil, nil, err
	}
	return &models.Report{Year: y, Kind: models.KindAgency, Edition: string(doc.Edition), Content: string(stored),
		ErrorCount: errs, WarningCount: warns}, save, nil
}

type team struct {
	agencyID     int64
	drafterActor models.AuditActor
	drafter      string
	reviewer     string
	leaders      []string
	publisher    string
}

// seedTeam creates agency i and one user per role (steps leaders) with a session each.
func seedTeam(ctx context.Context, s *models.Store, i, steps int, hash string) (*team, error) {
	system := models.AuditActor{Username: "system"}
	code := fmt.Sprintf("bench-%05d", i)
	stepNames := make(models.StepList, steps)
	for k := range stepNames {
		stepNames[k] = fmt.Sprintf("第%d级签发", k+1)
	}
	ag := &models.Agency{Code: code, Name: fmt.Sprintf("压测单位%05d", i), Level: "county_department", ApprovalSteps: stepNames}
	if err := s.CreateAgency(ctx, system, ag); err != nil {
		return nil, fmt.Errorf("agency %s: %w", code, err)
	}
	t := &team{agencyID: ag.ID}
	roles := []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RolePublisher}
	for range steps {
		roles = append(roles, workflow.RoleLeader)
	}
	for k, role := range roles {
		name := fmt.Sprintf("%s-%s-%d", code, role, k)
		u := &models.User{Username: name, Name: role.Label(), Email: name + "@example.gov.cn", AgencyID: ag.ID,
			Roles: models.RoleList{role}, PasswordHash: hash, Active: true}
		if err := s.CreateUser(ctx, system, u); err != nil {
			return nil, fmt.Errorf("user %s: %w", name, err)
		}
		token, _, err := s.CreateSession(ctx, u.ID, 24*time.Hour)
		if err != nil {
			return nil, err
		}
		switch role {
		case workflow.RoleDrafter:
			t.drafter, t.drafterActor = token, u.AuditActor()
		case workflow.RoleReviewer:
			t.reviewer = token
		case workflow.RolePublisher:
			t.publisher = token
		default:
			t.leaders = append(t.leaders, token)
		}
	}
	return t, nil
}

// seedFloor creates the report rows the floor server updates, in an agency of
// their own: one per floor client.
func seedFloor(ctx context.Context, s *models.Store, n int, draft *models.Report) ([]int64, error) {
	system := models.AuditActor{Username: "system"}
	ids := make([]int64, 0, n)
	for i := range n {
		ag := &models.Agency{Code: fmt.Sprintf("floor-%05d", i), Name: fmt.Sprintf("基准单位%05d", i), Level: "county_department"}
		if err := s.CreateAgency(ctx, system, ag); err != nil {
			return nil, err
		}
		r := *draft
		r.AgencyID = ag.ID
		if err := s.CreateReport(ctx, system, &r); err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}
