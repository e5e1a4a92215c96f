package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/notifications"
	"qianfa/report"
	"qianfa/workflow"
)

// xss is the payload of the stored-XSS test: a script element and an event handler.
const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>`

// escapedXSS is how html/template writes the payload as text.
const escapedXSS = `&lt;script&gt;alert(1)&lt;/script&gt;`

// userNamed creates an active user with display name name and the test password.
func (w *world) userNamed(agencyID int64, username, name string, roles ...workflow.Role) session {
	w.t.Helper()
	u := w.user(agencyID, username, roles...)
	if _, err := w.store.UpdateUser(context.Background(), modelstest.System, u.ID, models.UserChanges{Name: &name}); err != nil {
		w.t.Fatal(err)
	}
	u.Name = name
	return w.newSession(u)
}

// withSections returns the seed with the title and every section set to text.
func withSections(t *testing.T, text string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(seedJSON(t), &doc); err != nil {
		t.Fatal(err)
	}
	secs := map[string]any{}
	for _, k := range report.SectionKeys {
		secs[k] = k + text
	}
	doc["sections"], doc["title"] = secs, "标题"+text
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noScript asserts the payload arrived escaped, never as markup.
func noScript(t *testing.T, where string, body []byte) {
	t.Helper()
	s := string(body)
	if strings.Contains(s, "<script>alert") || strings.Contains(s, "<img src=x") {
		t.Errorf("%s carries the payload as markup", where)
	}
	if !strings.Contains(s, escapedXSS) {
		t.Errorf("%s does not show the payload as text: the field is not on it, so the test proves nothing", where)
	}
}

// Stored XSS: the payload in the agency name, user names, the title, every section and
// a return comment reaches every page, the HTML export and the reminder mails as text.
func TestStoredXSS(t *testing.T) {
	w := newWorld(t, modelstest.NewStore(t, models.DriverSQLite))
	admin := w.sessions[ad]
	var ag struct{ ID int64 }
	r := w.call("POST", "/api/v1/agencies", admin.token, map[string]any{"code": "xss", "name": "单位" + xss, "parent_code": "330424"})
	mustStatus(t, r, http.StatusCreated, "")
	r.decode(t, &ag)
	d := w.userNamed(ag.ID, "xss-d", "经办"+xss, workflow.RoleDrafter)
	rv := w.userNamed(ag.ID, "xss-r", "审查"+xss, workflow.RoleReviewer)
	ld := w.userNamed(ag.ID, "xss-l", "领导"+xss, workflow.RoleLeader)
	pb := w.userNamed(ag.ID, "xss-p", "发布"+xss, workflow.RolePublisher)

	var rep reportBody
	r = w.call("POST", "/api/v1/reports/import", d.token, withSections(t, xss))
	mustStatus(t, r, http.StatusCreated, "")
	r.decode(t, &rep)
	path := "/api/v1/reports/" + id(rep.ID)
	move := func(s session, body map[string]any) {
		t.Helper()
		mustStatus(t, w.call("POST", path+"/transitions", s.token, body), http.StatusOK, "")
	}
	move(d, map[string]any{"action": "submit", "version": 1})
	move(rv, map[string]any{"action": "return", "version": 2, "comment": "退回" + xss})
	move(d, map[string]any{"action": "submit", "version": 3})

	// The reminder mails of the report in review, planned after the deadline.
	src := models.ReminderSource{Store: w.store, BaseURL: "http://qianfa.test"}
	day := calendar.Date{Year: 2021, Month: 2, Day: 2}
	in, err := src.PlanInput(context.Background(), day)
	if err != nil {
		t.Fatal(err)
	}
	mails := notifications.Plan(time.Date(2021, 2, 2, 0, 0, 0, 0, time.UTC), calendar.New(), notifications.DefaultPolicy(), in)
	var html strings.Builder
	for _, m := range mails {
		html.WriteString(m.HTML)
	}
	noScript(t, "the reminder mails", []byte(html.String()))

	// Pages while in review, then the public pages once published.
	pages := []struct {
		who  *session
		path string
	}{
		{&admin, "/admin"}, {&admin, "/reports"}, {&rv, "/"}, {&rv, "/reports/" + id(rep.ID)},
		{&admin, "/reports/" + id(rep.ID) + "/audit"}, {ptr(w.sessions[sv]), "/dashboard?year=2020"},
	}
	for _, p := range pages {
		res := w.pageCall("GET", p.path, p.who, nil, false)
		mustStatus(t, res, http.StatusOK, "")
		noScript(t, p.path, res.body)
	}
	move(rv, map[string]any{"action": "approve", "version": 4})
	move(ld, map[string]any{"action": "approve", "version": 5, "password": testPassword})
	move(pb, map[string]any{"action": "publish", "version": 6})
	for _, p := range []string{"/public/reports", "/public/reports/xss/2020"} {
		res := w.pageCall("GET", p, nil, nil, false)
		mustStatus(t, res, http.StatusOK, "")
		noScript(t, p, res.body)
	}
	res := w.call("GET", path+"/export?format=html", admin.token, nil)
	mustStatus(t, res, http.StatusOK, "")
	noScript(t, "the HTML export", res.body)
}

func ptr[T any](v T) *T { return &v }
