package handlers

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qianfa/models"
	"qianfa/models/modelstest"
	"qianfa/workflow"
)

// Each export format answers its media type and a file that opens; every export is audited.
func TestExportFormats(t *testing.T) {
	store := modelstest.NewStore(t, models.DriverSQLite)
	e := newEnv(t, store)
	ag := modelstest.MustAgency(t, store, "a1", 0)
	e.user(ag.ID, "u1", workflow.RoleDrafter)
	tok := e.login("u1")
	var rep reportBody
	e.call("POST", "/api/v1/reports/import", tok, seedJSON(t)).decode(t, &rep)
	path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10) + "/export?format="

	r := e.call("GET", path+"json", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	if !bytes.Equal(r.body, seedJSON(t)) {
		t.Fatal("json export differs from the imported document")
	}
	r = e.call("GET", path+"html", tok, nil)
	if !strings.Contains(string(r.body), "海盐县民政局2020年度政府信息公开工作年度报告") {
		t.Fatal("html export lacks the title")
	}
	r = e.call("GET", path+"xlsx", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.GetSheetList()); n != 3 {
		t.Fatalf("xlsx has %d sheets, want 3", n)
	}
	r = e.call("GET", path+"docx", tok, nil)
	mustStatus(t, r, http.StatusOK, "")
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, zf := range zr.File {
		found = found || zf.Name == "word/document.xml"
	}
	if !found {
		t.Fatal("docx lacks word/document.xml")
	}
	mustStatus(t, e.call("GET", path+"pdf", tok, nil), http.StatusBadRequest, "bad_request")

	var trail struct{ Items []struct{ Action string } }
	e.call("GET", "/api/v1/reports/"+strconv.FormatInt(rep.ID, 10)+"/audit", tok, nil).decode(t, &trail)
	exports := 0
	for _, ev := range trail.Items {
		if ev.Action == "export" {
			exports++
		}
	}
	if exports != 4 {
		t.Fatalf("%d export events, want 4", exports)
	}
}
