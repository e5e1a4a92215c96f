package models_test

import (
	"testing"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
)

// TestReminderTitles checks the title the database takes out of the content against
// what the planner showed when it decoded the content itself: the top-level string
// "title", and "" for anything else (a draft may hold any JSON, or none).
func TestReminderTitles(t *testing.T) {
	cases := []struct{ content, want string }{
		{`{"title":"海盐县民政局2021年度政府信息公开工作年度报告"}`, "海盐县民政局2021年度政府信息公开工作年度报告"},
		{`{"year":2021,"title":"含\"引号\"\\与\n换行 𠮷"}`, "含\"引号\"\\与\n换行 𠮷"},
		{`{}`, ""},
		{`{"title":5}`, ""},
		{`{"title":null}`, ""},
		{`{"meta":{"title":"内层"}}`, ""},
		{`["title"]`, ""},
		{`不是 JSON`, ""},
	}
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		office := modelstest.MustAgency(t, s, "330400", 0)
		want := map[int64]string{}
		for i, c := range cases {
			a := modelstest.MustAgency(t, s, "330400-"+string(rune('a'+i)), office.ID)
			r := modelstest.MustReport(t, s, a.ID, 2021, c.content)
			want[r.ID] = c.want
		}
		in, err := models.ReminderSource{Store: s, BaseURL: baseURL}.PlanInput(ctx, calendar.Date{Year: 2022, Month: 1, Day: 4})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		for _, st := range in.Reports {
			if st.ID != 0 {
				got[st.ID] = st.Title
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d reports planned, want %d", len(got), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("report %d: title %q, want %q", id, got[id], w)
			}
		}
	})
}
