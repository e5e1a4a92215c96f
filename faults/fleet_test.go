package faults

import (
	"fmt"
	"net/http"
	"strconv"
)

// fleetReport is a report of its own agency, with the token of that agency's drafter.
type fleetReport struct {
	id    int64
	token string
}

const fleetPassword = "faults-pass-123"

// fleet creates n agencies, each with a drafter and an imported report in draft, so that
// many reports can move at once without separation-of-duty rules getting in the way.
func fleet(s *server, admin string, n int) []fleetReport {
	s.t.Helper()
	doc := seedDocument(s.t)
	out := make([]fleetReport, n)
	for i := range out {
		var ag struct{ ID int64 }
		s.must(http.StatusCreated, "POST", "/api/v1/agencies", admin,
			map[string]any{"code": fmt.Sprintf("faults-%02d", i), "name": fmt.Sprintf("故障测试单位%02d", i)}, &ag)
		user := fmt.Sprintf("fd%02d", i)
		s.must(http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
			"username": user, "name": "经办" + user, "email": user + "@example.gov.cn",
			"agency_id": ag.ID, "roles": []string{"drafter"}, "password": fleetPassword}, nil)
		token := s.login(user, fleetPassword)
		var rep struct{ ID int64 }
		s.must(http.StatusCreated, "POST", "/api/v1/reports/import?agency_id="+strconv.FormatInt(ag.ID, 10), token, doc, &rep)
		out[i] = fleetReport{id: rep.ID, token: token}
	}
	return out
}

// reportState is what the API says of a report.
type reportState struct {
	State   string `json:"state"`
	Version int64  `json:"version"`
}

func (s *server) report(token string, id int64) reportState {
	s.t.Helper()
	var r reportState
	s.must(http.StatusOK, "GET", "/api/v1/reports/"+strconv.FormatInt(id, 10), token, nil, &r)
	return r
}

// auditEvent is the part of an audit event the fault tests compare.
type auditEvent struct {
	Seq       int64  `json:"seq"`
	Action    string `json:"action"`
	FromState string `json:"from_state"`
	ToState   string `json:"to_state"`
}

func (s *server) reportAudit(token string, id int64) []auditEvent {
	s.t.Helper()
	var out struct{ Items []auditEvent }
	s.must(http.StatusOK, "GET", "/api/v1/reports/"+strconv.FormatInt(id, 10)+"/audit", token, nil, &out)
	return out.Items
}

// toggle is the next transition of the stream: submit a draft, withdraw a submission.
func toggle(state string) string {
	if state == "draft" {
		return "submit"
	}
	return "withdraw"
}
