package rollup

import (
	"encoding/json"
	"testing"

	"qianfa/report"
	"qianfa/report/reporttest"
)

// load decodes a fixture of report/testdata.
func load(t testing.TB, name string) *report.Document { return reporttest.Load(t, name) }

func set(t *testing.T, d *report.Document, path, num string) {
	t.Helper()
	v, err := report.ParseNumber(num)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Set(path, v); err != nil {
		t.Fatal(err)
	}
}

func cell(t *testing.T, r Result, path string) Cell {
	t.Helper()
	for _, c := range r.Cells {
		if c.Path == path {
			return c
		}
	}
	t.Fatalf("no cell %s", path)
	return Cell{}
}

func TestCombine(t *testing.T) {
	a := load(t, "clean-2021.json")
	b := a.Clone()
	set(t, b, "t3.r1_new_received.total", "7")
	set(t, b, "t2.art20_8.administrative_fees.amount_wan_yuan", "0.125")
	if err := b.Set("t4.review.pending", report.Blank()); err != nil {
		t.Fatal(err)
	}
	old := load(t, "seed-2020.json")
	res := Combine(a.Year, []Source{{1, "甲局", a}, {2, "乙局", b}, {3, "丙局", old}})

	if res.Sources != 2 || len(res.Skipped) != 1 || res.Skipped[0] != "丙局" {
		t.Fatalf("sources %d, skipped %q", res.Sources, res.Skipped)
	}
	if len(res.Cells) != len(report.LayoutFor(report.Edition2021).Cells) {
		t.Fatalf("%d cells", len(res.Cells))
	}
	va, _ := a.Value("t3.r1_new_received.total")
	got := cell(t, res, "t3.r1_new_received.total")
	if got.Total != va.Int64()+7 || len(got.Contributions) != 2 || got.Contributions[1].Value != int64(7) || got.Contributions[1].Agency != "乙局" {
		t.Fatalf("r1 total = %+v (a has %d)", got, va.Int64())
	}
	fa, _ := a.Value("t2.art20_8.administrative_fees.amount_wan_yuan")
	fee := cell(t, res, "t2.art20_8.administrative_fees.amount_wan_yuan")
	if fa.String() != "12.85" || fee.Total != json.Number("12.975") {
		t.Fatalf("fees %s + 0.125 = %v, want 12.975", fa.String(), fee.Total)
	}
	pending := cell(t, res, "t4.review.pending")
	if pending.Blanks != 1 || len(pending.Contributions) != 1 {
		t.Fatalf("pending = %+v", pending)
	}

	d := report.New(res.Edition, res.Year, "某县人民政府", "county_government")
	if err := Apply(d, res); err != nil {
		t.Fatal(err)
	}
	v, _ := d.Value("t3.r1_new_received.total")
	if v.Int64() != va.Int64()+7 {
		t.Fatalf("applied r1 total %d", v.Int64())
	}
	v, _ = d.Value("t2.art20_8.administrative_fees.amount_wan_yuan")
	if v.String() != "12.975" {
		t.Fatalf("applied fee %s", v.String())
	}
}

func TestCombineNothing(t *testing.T) {
	res := Combine(2021, nil)
	if res.Sources != 0 || cell(t, res, "t4.review.total").Total != nil {
		t.Fatalf("empty roll-up = %+v", res)
	}
}
