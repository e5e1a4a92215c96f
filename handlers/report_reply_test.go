package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// Every answer that carries a report's content carries it exactly as stored,
// as a member of one valid JSON object, next to the rest of the Report.
func TestReportAnswersCarryTheStoredContent(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		ag := modelstest.MustAgency(t, store, "330424-mzj", 0, "主要负责人签发")
		e.user(ag.ID, "jingban", workflow.RoleDrafter)
		drafter := e.login("jingban")

		// Markup and a line separator in the text: JSON allows them raw, and the
		// answer must keep them as the drafter wrote them.
		seed := strings.Replace(string(seedJSON(t)), `"other": "无。"`, `"other": "<b>无</b> & \u2028。"`, 1)
		created := e.call("POST", "/api/v1/reports/import", drafter, seed)
		mustStatus(t, created, http.StatusCreated, "")
		var rep reportBody
		created.decode(t, &rep)
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10)

		var content map[string]any
		if err := json.Unmarshal(rep.Content, &content); err != nil {
			t.Fatal(err)
		}
		saved := e.call("PUT", path+"/content", drafter, map[string]any{"version": 1, "content": content})
		mustStatus(t, saved, http.StatusOK, "")
		submitted := e.call("POST", path+"/transitions", drafter, map[string]any{"action": "submit", "version": 2})
		mustStatus(t, submitted, http.StatusOK, "")
		got := e.call("GET", path, drafter, nil)
		mustStatus(t, got, http.StatusOK, "")

		stored, err := store.ReportByID(t.Context(), rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Content struct{ Sections struct{ Other string } }
		}
		got.decode(t, &doc)
		if doc.Content.Sections.Other != "<b>无</b> & \u2028。" {
			t.Fatalf("answered section 六 = %q", doc.Content.Sections.Other)
		}
		for name, r := range map[string]response{"import": created, "save": saved, "submit": submitted, "get": got} {
			if !json.Valid(r.body) {
				t.Fatalf("%s: answer is not JSON: %.200s", name, r.body)
			}
			var members map[string]json.RawMessage
			r.decode(t, &members)
			if name != "import" && !bytes.Equal(members["content"], []byte(stored.Content)) {
				t.Errorf("%s: content is not the stored bytes:\n%.200s\nwant\n%.200s", name, members["content"], stored.Content)
			}
			for _, key := range []string{"id", "agency", "state", "version", "deadline", "findings", "created_at"} {
				if _, ok := members[key]; !ok {
					t.Errorf("%s: answer lacks %q", name, key)
				}
			}
		}
		var after reportBody
		submitted.decode(t, &after)
		if after.State != "in_review" || after.Version != 3 || len(after.Findings) != 1 {
			t.Fatalf("submit answered %+v", after)
		}
	})
}
