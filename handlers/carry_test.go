package handlers

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"qianfa/models"
	"qianfa/models/modelstest"
)

// A new draft starts from last year's published report: carried cells are marked, and
// changing one needs a reason that the reviewer then sees.
func TestStartFromLastYear(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, store *models.Store) {
		e := newEnv(t, store)
		ag := modelstest.MustAgency(t, store, "330424-mzj", 0)
		d, r, l, p := e.team(ag)

		// 2020: three applications, two disclosed, one carried into 2021.
		var doc map[string]any
		_ = json.Unmarshal(seedJSON(t), &doc)
		t3 := doc["t3"].(map[string]any)
		for row, n := range map[string]int{"r1_new_received": 3, "r3_1_disclosed": 2, "r3_7_total": 2, "r4_carried_over_out": 1} {
			t3[row].(map[string]any)["natural_person"] = n
			t3[row].(map[string]any)["total"] = n
		}
		b, _ := json.Marshal(doc)
		e.publish(b, d, r, l, p)

		e.now = time.Date(2022, 1, 10, 2, 0, 0, 0, time.UTC)
		mustStatus(t, e.call("POST", "/api/v1/reports", d, map[string]any{"year": 2022, "edition": "2021", "from_previous": true}),
			http.StatusUnprocessableEntity, "validation_failed")
		res := e.call("POST", "/api/v1/reports", d, map[string]any{"year": 2021, "edition": "2021", "from_previous": true})
		mustStatus(t, res, http.StatusCreated, "")
		var rep struct {
			ID      int64
			Version int64
			Content map[string]any
			Carried struct {
				FromYear int `json:"from_year"`
				Cells    map[string]struct {
					Value, Current any
					Overridden     bool
					Reason         string
				}
			}
		}
		res.decode(t, &rep)
		if rep.Carried.FromYear != 2020 || len(rep.Carried.Cells) != 7 {
			t.Fatalf("carried = %+v", rep.Carried)
		}
		if c := rep.Carried.Cells["t3.r2_carried_over_in.total"]; c.Value != float64(1) || c.Overridden {
			t.Fatalf("carried total = %+v", c)
		}
		r2 := rep.Content["t3"].(map[string]any)["r2_carried_over_in"].(map[string]any)
		if r2["natural_person"] != float64(1) || r2["total"] != float64(1) {
			t.Fatalf("pre-filled r2 = %v", r2)
		}

		// Changing a carried value without a reason is refused, naming the cell.
		r2["natural_person"], r2["total"] = 0, 0
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10)
		res = e.call("PUT", path+"/content", d, map[string]any{"version": rep.Version, "content": rep.Content})
		mustStatus(t, res, http.StatusUnprocessableEntity, "validation_failed")
		var problems struct {
			Error struct{ Details []struct{ Path string } }
		}
		res.decode(t, &problems)
		if len(problems.Error.Details) != 2 || problems.Error.Details[0].Path != "t3.r2_carried_over_in.natural_person" {
			t.Fatalf("details = %+v", problems.Error.Details)
		}
		reasons := map[string]string{
			"t3.r2_carried_over_in.natural_person": "该申请人于2020年12月撤回申请",
			"t3.r2_carried_over_in.total":          "该申请人于2020年12月撤回申请",
		}
		res = e.call("PUT", path+"/content", d, map[string]any{"version": rep.Version, "content": rep.Content, "carry_reasons": reasons})
		mustStatus(t, res, http.StatusOK, "")
		res = e.call("GET", path, r, nil)
		res.decode(t, &rep)
		c := rep.Carried.Cells["t3.r2_carried_over_in.total"]
		if !c.Overridden || c.Reason != "该申请人于2020年12月撤回申请" || c.Current != float64(0) {
			t.Fatalf("reviewer sees %+v", c)
		}
	})
}
