package models_test

import (
	"fmt"
	"strings"
	"testing"

	"qianfa/calendar"
	"qianfa/models"
	"qianfa/models/modelstest"
)

// longTitle is longer than a MySQL TEXT (64 KB) holds.
var longTitle = strings.Repeat("政府信息公开", 4000)

// titleCases are contents and the title the store keeps for them: the top-level
// string "title", and "" for anything else (a draft may hold any JSON, or none).
// Both databases gave these titles when the planner had them take the title out
// of the content, and migration 00004 back-fills with those expressions.
var titleCases = []struct{ name, content, want string }{
	{"title", `{"title":"海盐县民政局2021年度政府信息公开工作年度报告"}`, "海盐县民政局2021年度政府信息公开工作年度报告"},
	{"escapes", `{"year":2021,"title":"含\"引号\"\\与\n换行 𠮷"}`, "含\"引号\"\\与\n换行 𠮷"},
	{"escaped unicode", `{"title":"\u6d77\u76d0\ud842\udfb7\/\u0041"}`, "海盐𠮷/A"},
	{"interchange order", `{"format":"qianfa.report/1","edition":"2021","year":2021,` +
		`"agency":{"name":"嘉兴市民政局","title":"内层"},"title":"外层","sections":{"title":"更深"}}`, "外层"},
	{"long", `{"title":"` + longTitle + `"}`, longTitle},
	{"whitespace around", " \n{ \"title\" : \"甲\" }\n ", "甲"},
	{"huge number before", `{"n":1e999,"title":"甲"}`, "甲"},
	{"empty object", `{}`, ""},
	{"empty title", `{"title":""}`, ""},
	{"number", `{"title":5}`, ""},
	{"huge number", `{"title":1e999}`, ""},
	{"null", `{"title":null}`, ""},
	{"bool", `{"title":true}`, ""},
	{"object", `{"title":{"text":"甲"}}`, ""},
	{"array", `{"title":["甲"]}`, ""},
	{"nested only", `{"meta":{"title":"内层"}}`, ""},
	{"other case", `{"Title":"甲"}`, ""},
	{"top-level array", `["title"]`, ""},
	{"top-level string", `"title"`, ""},
	{"not JSON", `不是 JSON`, ""},
	{"empty", ``, ""},
	{"duplicate", `{"title":"先","title":"后"}`, "先"},
	{"duplicate, first not a string", `{"title":5,"title":"后"}`, ""},
	{"invalid after the title", `{"title":"甲","x":tru}`, ""},
	{"truncated after the title", `{"title":"甲","sections":{`, ""},
	{"trailing comma", `{"title":"甲",}`, ""},
	{"second document", `{"title":"甲"} {}`, ""},
	{"control character", "{\"title\":\"甲\t乙\"}", ""},
}

// TestReminderTitles checks the title the planner shows: the one the store
// wrote with the content, on create and on save.
func TestReminderTitles(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		office := modelstest.MustAgency(t, s, "330400", 0)
		want := map[int64]string{}
		for i, c := range titleCases {
			a := modelstest.MustAgency(t, s, fmt.Sprintf("330400-%02d", i), office.ID)
			r := modelstest.MustReport(t, s, a.ID, 2021, c.content)
			want[r.ID] = c.want
			// A save replaces the title of the content it replaces.
			r = modelstest.MustReport(t, s, a.ID, 2020, `{"title":"保存前"}`)
			if _, err := s.SaveContent(ctx, modelstest.System, r.ID, r.Version, c.content, 0, 0); err != nil {
				t.Fatalf("%s: save: %v", c.name, err)
			}
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
				t.Errorf("report %d: title %.40q, want %.40q", id, got[id], w)
			}
		}
	})
}

// TestTitleBackfill writes reports, migrates down to before the title column and
// up again: migration 00004 gives every report the title the store would write.
func TestTitleBackfill(t *testing.T) {
	const titleMigration = 4
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		ids := make([]int64, len(titleCases))
		for i, c := range titleCases {
			a := modelstest.MustAgency(t, s, fmt.Sprintf("330400-%02d", i), 0)
			ids[i] = modelstest.MustReport(t, s, a.ID, 2021, c.content).ID
		}
		if err := s.MigrateDown(ctx, titleMigration-1); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := s.RawDB().QueryContext(ctx, "SELECT id, title FROM reports")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[int64]string{}
		for rows.Next() {
			var (
				id    int64
				title string
			)
			if err := rows.Scan(&id, &title); err != nil {
				t.Fatal(err)
			}
			got[id] = title
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ids) {
			t.Fatalf("%d reports, want %d", len(got), len(ids))
		}
		for i, c := range titleCases {
			if title := got[ids[i]]; title != c.want {
				t.Errorf("%s: back-filled title %.40q, want %.40q", c.name, title, c.want)
			}
		}
	})
}
