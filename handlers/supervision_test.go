package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// seedWith returns the seed document with n applications from natural persons, all
// disclosed (consistent tables).
func seedWith(t *testing.T, n int) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(seedJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	t3 := doc["t3"].(map[string]any)
	for _, row := range []string{"r1_new_received", "r3_1_disclosed", "r3_7_total"} {
		t3[row].(map[string]any)["natural_person"] = n
		t3[row].(map[string]any)["total"] = n
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// team creates the four workflow users of agency code and returns their tokens.
func (e *env) team(ag *models.Agency) (drafter, reviewer, leader, publisher string) {
	code := ag.Code
	e.user(ag.ID, code+"-d", workflow.RoleDrafter)
	e.user(ag.ID, code+"-r", workflow.RoleReviewer)
	e.user(ag.ID, code+"-l", workflow.RoleLeader)
	e.user(ag.ID, code+"-p", workflow.RolePublisher)
	return e.login(code + "-d"), e.login(code + "-r"), e.login(code + "-l"), e.login(code + "-p")
}

// publish carries a fresh import through the whole workflow.
func (e *env) publish(doc []byte, drafter, reviewer, leader, publisher string) int64 {
	e.t.Helper()
	var rep reportBody
	e.call("POST", "/api/v1/reports/import", drafter, doc).decode(e.t, &rep)
	path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10) + "/transitions"
	steps := []struct {
		token, action string
		extra         map[string]any
	}{{drafter, "submit", nil}, {reviewer, "approve", nil}, {leader, "approve", map[string]any{"password": testPassword}}, {publisher, "publish", nil}}
	for i, st := range steps {
		body := map[string]any{"action": st.action, "version": i + 1}
		for k, v := range st.extra {
			body[k] = v
		}
		mustStatus(e.t, e.call("POST", path, st.token, body), http.StatusOK, "")
	}
	return rep.ID
}

// The supervising office sees every agency of its region, riskiest first, downloads the
// list, combines the published tables and starts the government's own report from them.
func TestDashboardAndRollup(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		office := modelstest.MustAgency(t, store, "330424", 0)
		a1 := modelstest.MustAgency(t, store, "330424-a1", office.ID)
		a2 := modelstest.MustAgency(t, store, "330424-a2", office.ID)
		modelstest.MustAgency(t, store, "330424-a3", office.ID)
		modelstest.MustAgency(t, store, "330481-zz", 0)
		e.user(office.ID, "zfgkb", workflow.RoleSupervisor)
		sup := e.login("zfgkb")

		d1, r1, l1, p1 := e.team(a1)
		e.publish(seedWith(t, 3), d1, r1, l1, p1)
		d2, _, _, _ := e.team(a2)
		mustStatus(t, e.call("POST", "/api/v1/reports/import", d2, seedWith(t, 5)), http.StatusCreated, "")

		r := e.call("GET", "/api/v1/dashboard?year=2020", sup, nil)
		mustStatus(t, r, http.StatusOK, "")
		var dash struct {
			Year  int
			Items []struct {
				Agency          struct{ Code string }
				State           string
				WorkingDaysLeft int `json:"working_days_left"`
				Overdue         bool
				WarningCount    int `json:"warning_count"`
			}
		}
		r.decode(t, &dash)
		var order []string
		for _, it := range dash.Items {
			order = append(order, it.Agency.Code+":"+it.State)
		}
		want := []string{"330424-a3:not_started", "330424-a2:draft", "330424-a1:published"}
		if strings.Join(order, " ") != strings.Join(want, " ") {
			t.Fatalf("dashboard order %q, want %q", order, want)
		}
		// 2021-01-20 to the 31 January deadline: 21, 22, 25–29 January are working days.
		if dash.Items[0].WorkingDaysLeft != 7 || dash.Items[0].Overdue {
			t.Fatalf("working days left %d overdue %v, want 7 false", dash.Items[0].WorkingDaysLeft, dash.Items[0].Overdue)
		}

		r = e.call("GET", "/api/v1/dashboard?year=2020&format=xlsx&sort=name", sup, nil)
		mustStatus(t, r, http.StatusOK, "")
		f, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("报送进度")
		if len(rows) != 4 || rows[1][0] != "330424-a1" || rows[1][2] != "已公开" || rows[3][2] != "未创建" {
			t.Fatalf("xlsx rows %q", rows)
		}
		r = e.call("GET", "/api/v1/dashboard?year=2020&format=csv&state=draft", sup, nil)
		if lines := strings.Split(strings.TrimSpace(string(r.body)), "\r\n"); len(lines) != 2 || !strings.Contains(lines[1], "330424-a2") {
			t.Fatalf("csv %q", r.body)
		}
		mustStatus(t, e.call("GET", "/api/v1/dashboard", d1, nil), http.StatusForbidden, "forbidden")

		type rollupBody struct {
			Sources int
			Cells   []struct {
				Path          string
				Total         any
				Contributions []struct{ Agency string }
			}
		}
		total := func(rb rollupBody, path string) any {
			for _, c := range rb.Cells {
				if c.Path == path {
					return c.Total
				}
			}
			return "missing"
		}
		var pub, latest rollupBody
		e.call("GET", "/api/v1/rollup?year=2020", sup, nil).decode(t, &pub)
		e.call("GET", "/api/v1/rollup?year=2020&source=latest", sup, nil).decode(t, &latest)
		if pub.Sources != 1 || total(pub, "t3.r1_new_received.total") != float64(3) {
			t.Fatalf("published roll-up: %d sources, r1 total %v", pub.Sources, total(pub, "t3.r1_new_received.total"))
		}
		if latest.Sources != 2 || total(latest, "t3.r1_new_received.total") != float64(8) {
			t.Fatalf("latest roll-up: %d sources, r1 total %v", latest.Sources, total(latest, "t3.r1_new_received.total"))
		}

		r = e.call("POST", "/api/v1/rollup/report", sup, map[string]any{"year": 2020, "source": "latest"})
		mustStatus(t, r, http.StatusCreated, "")
		var gov struct {
			Kind     string
			Deadline string
			Content  struct {
				Title string
				T3    map[string]map[string]any
			}
		}
		r.decode(t, &gov)
		if gov.Kind != "government" || gov.Deadline != "2021-03-31" || gov.Content.T3["r1_new_received"]["total"] != float64(8) ||
			gov.Content.Title != "单位3304242020年政府信息公开工作年度报告" {
			t.Fatalf("government report %+v", gov)
		}
	})
}
