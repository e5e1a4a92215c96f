package carry

import (
	"reflect"
	"testing"

	"qianfa/report"
	"qianfa/report/check"
	"qianfa/report/reporttest"
)

// load decodes a fixture of report/testdata.
func load(t testing.TB, name string) *report.Document { return reporttest.Load(t, name) }

func set(t *testing.T, d *report.Document, pathValues ...any) {
	t.Helper()
	for i := 0; i+1 < len(pathValues); i += 2 {
		v := report.Blank()
		if n, ok := pathValues[i+1].(int); ok {
			v = report.Int(int64(n))
		}
		if err := d.Set(pathValues[i].(string), v); err != nil {
			t.Fatal(err)
		}
	}
}

var t3Cols = []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"}

func rowPaths(row string) []string {
	var ps []string
	for _, c := range t3Cols {
		ps = append(ps, "t3."+row+"."+c)
	}
	return ps
}

// filled returns the non-blank cells of d as path → number text.
func filled(d *report.Document) map[string]string {
	out := map[string]string{}
	for _, p := range d.Paths() {
		if v, _ := d.Value(p); !v.IsBlank() {
			out[p] = v.String()
		}
	}
	return out
}

func TestFromPrevious(t *testing.T) {
	const lic, oth = "t2.art20_5.administrative_licensing.prev_year_items", "t2.art20_5.other_external_services.prev_year_items"
	const pen, coe = "t2.art20_6.administrative_penalty.prev_year_items", "t2.art20_6.administrative_coercion.prev_year_items"
	const fee = "t2.art20_8.administrative_fees.prev_year_items"
	zeros := map[string]string{}
	for _, p := range rowPaths("r2_carried_over_in") {
		zeros[p] = "0"
	}
	tests := []struct {
		name      string
		prev      func(t *testing.T) *report.Document
		year      int
		edition   report.Edition
		wantPaths []string
		wantCells map[string]string
	}{
		{name: "seed 2020 → 2021: zeros carried, no table-二 bridge",
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }, year: 2021,
			edition: report.Edition2021, wantPaths: rowPaths("r2_carried_over_in"), wantCells: zeros},
		{name: "seed 2020 with carry-outs → 2021",
			prev: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				set(t, d, "t3.r4_carried_over_out.natural_person", 3, "t3.r4_carried_over_out.legal_service", 1,
					"t3.r4_carried_over_out.total", 4, "t3.r4_carried_over_out.research", nil)
				return d
			}, year: 2021, edition: report.Edition2021,
			wantPaths: []string{"t3.r2_carried_over_in.natural_person", "t3.r2_carried_over_in.commercial",
				"t3.r2_carried_over_in.social_welfare", "t3.r2_carried_over_in.legal_service",
				"t3.r2_carried_over_in.other_org", "t3.r2_carried_over_in.total"},
			wantCells: map[string]string{"t3.r2_carried_over_in.natural_person": "3", "t3.r2_carried_over_in.commercial": "0",
				"t3.r2_carried_over_in.social_welfare": "0", "t3.r2_carried_over_in.legal_service": "1",
				"t3.r2_carried_over_in.other_org": "0", "t3.r2_carried_over_in.total": "4"}},
		{name: "seed as 2019 → 2020: item counts carried",
			prev: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				d.Year = 2019
				return d
			}, year: 2020, edition: report.Edition2019,
			wantPaths: append(rowPaths("r2_carried_over_in"), lic, oth, pen, coe, fee),
			wantCells: merge(zeros, map[string]string{lic: "58", oth: "314", pen: "0", coe: "0", fee: "2"})},
		{name: "negative or blank item counts not carried",
			prev: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				d.Year = 2019
				set(t, d, "t2.art20_5.administrative_licensing.change", -90, "t2.art20_6.administrative_penalty.change", nil)
				return d
			}, year: 2020, edition: report.Edition2019,
			wantPaths: append(rowPaths("r2_carried_over_in"), oth, coe, fee),
			wantCells: merge(zeros, map[string]string{oth: "314", coe: "0", fee: "2"})},
		{name: "clean 2021 → 2022: carry-outs, 现行有效件数 not carried",
			prev: func(t *testing.T) *report.Document { return load(t, "clean-2021.json") }, year: 2022,
			edition: report.Edition2021, wantPaths: rowPaths("r2_carried_over_in"),
			wantCells: map[string]string{"t3.r2_carried_over_in.natural_person": "3", "t3.r2_carried_over_in.commercial": "0",
				"t3.r2_carried_over_in.research": "0", "t3.r2_carried_over_in.social_welfare": "0",
				"t3.r2_carried_over_in.legal_service": "0", "t3.r2_carried_over_in.other_org": "0",
				"t3.r2_carried_over_in.total": "3"}},
		{name: "previous report two years back: blank draft",
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }, year: 2022,
			edition: report.Edition2021, wantCells: map[string]string{}},
		{name: "no previous report: blank draft",
			prev: func(t *testing.T) *report.Document { return nil }, year: 2021,
			edition: report.Edition2021, wantCells: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, paths := FromPrevious(tt.prev(t), tt.year, "嘉兴市民政局", "city_department")
			if d.Edition != tt.edition || d.Year != tt.year || d.Agency != (report.Agency{Name: "嘉兴市民政局", Level: "city_department"}) {
				t.Errorf("draft header = %s %d %+v", d.Edition, d.Year, d.Agency)
			}
			if !reflect.DeepEqual(paths, tt.wantPaths) {
				t.Errorf("paths = %v\nwant %v", paths, tt.wantPaths)
			}
			if got := filled(d); !reflect.DeepEqual(got, tt.wantCells) {
				t.Errorf("cells = %v\nwant %v", got, tt.wantCells)
			}
			if prev := tt.prev(t); prev != nil {
				if fs := check.CheckAgainstPrevious(d, prev); len(fs) != 0 {
					t.Errorf("draft fails the cross-year rules: %+v", fs)
				}
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestBaselines(t *testing.T) {
	const reg, nd = "t2.art20_1.regulations.", "t2.art20_1.normative_documents."
	prev := load(t, "clean-2021.json")
	draft, _ := FromPrevious(prev, 2022, "嘉兴市民政局", "city_department")
	filledIn := draft.Clone()
	set(t, filledIn, nd+"made", 2, nd+"repealed", 5, reg+"made", 0)
	tests := []struct {
		name      string
		prev, cur *report.Document
		want      map[string]report.Value
	}{
		{"blank draft: last year's only", prev, draft,
			map[string]report.Value{"prev:" + reg + "valid": report.Int(0), "prev:" + nd + "valid": report.Int(32)}},
		{"制发/废止 filled: expected where both are", prev, filledIn,
			map[string]report.Value{"prev:" + reg + "valid": report.Int(0), "prev:" + nd + "valid": report.Int(32),
				nd + "valid": report.Int(29)}},
		{"2019-edition previous report", load(t, "seed-2020.json"), func() *report.Document {
			d, _ := FromPrevious(load(t, "seed-2020.json"), 2021, "", "")
			return d
		}(), map[string]report.Value{}},
		{"not the year before", prev, func() *report.Document {
			d := draft.Clone()
			d.Year = 2023
			return d
		}(), map[string]report.Value{}},
	}
	for _, tt := range tests {
		if got := Baselines(tt.prev, tt.cur); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Baselines = %v\nwant %v", tt.name, got, tt.want)
		}
	}
}

func TestOverridden(t *testing.T) {
	prev := load(t, "clean-2021.json")
	carried, paths := FromPrevious(prev, 2022, "嘉兴市民政局", "city_department")
	cur := carried.Clone()
	set(t, cur, "t3.r1_new_received.total", 9) // not pre-filled: never an override
	if got := Overridden(paths, carried, cur); got != nil {
		t.Errorf("untouched draft: %v", got)
	}
	set(t, cur, "t3.r2_carried_over_in.total", 4, "t3.r2_carried_over_in.commercial", nil,
		"t3.r2_carried_over_in.natural_person", 3)
	want := []string{"t3.r2_carried_over_in.commercial", "t3.r2_carried_over_in.total"}
	if got := Overridden(paths, carried, cur); !reflect.DeepEqual(got, want) {
		t.Errorf("Overridden = %v, want %v", got, want)
	}
	other := report.New(report.Edition2019, 2022, "", "")
	if got := Overridden([]string{"t3.r2_carried_over_in.total", "t2.art20_1.normative_documents.new_made"}, carried, other); !reflect.DeepEqual(got, []string{"t3.r2_carried_over_in.total"}) {
		t.Errorf("Overridden against a blank draft = %v", got)
	}
}
