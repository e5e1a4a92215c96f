package report

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestLayoutShapes(t *testing.T) {
	tests := []struct {
		ed                Edition
		t2Blocks, t3Rows  int
		t2Cells, t3Cells  int
		firstPath, lastT2 string
	}{
		{Edition2019, 5, 23, 22, 161, "t2.art20_1.regulations.new_made", "t2.art20_9.central_procurement.amount_yuan"},
		{Edition2021, 4, 25, 10, 175, "t2.art20_1.regulations.made", "t2.art20_8.administrative_fees.amount_wan_yuan"},
	}
	for _, tt := range tests {
		l := LayoutFor(tt.ed)
		if got := len(l.Tables[T2].Blocks); got != tt.t2Blocks {
			t.Errorf("%s t2 blocks = %d", tt.ed, got)
		}
		if got := len(l.Tables[T3].Blocks[0].Rows); got != tt.t3Rows {
			t.Errorf("%s t3 rows = %d", tt.ed, got)
		}
		if l.Tables[T2].Size != tt.t2Cells || l.Tables[T3].Size != tt.t3Cells || l.Tables[T4].Size != 15 {
			t.Errorf("%s sizes = %d %d %d", tt.ed, l.Tables[T2].Size, l.Tables[T3].Size, l.Tables[T4].Size)
		}
		if len(l.Cells) != tt.t2Cells+tt.t3Cells+15 || l.Cells[0].Path != tt.firstPath || l.Cells[tt.t2Cells-1].Path != tt.lastT2 {
			t.Errorf("%s cells: %d, first %s, last t2 %s", tt.ed, len(l.Cells), l.Cells[0].Path, l.Cells[tt.t2Cells-1].Path)
		}
	}
	if LayoutFor("2020") != nil {
		t.Error("LayoutFor(2020) should be nil")
	}
}

func TestEditionForYear(t *testing.T) {
	for year, want := range map[int]Edition{2019: Edition2019, 2020: Edition2019, 2021: Edition2021, 2025: Edition2021} {
		if got := EditionForYear(year); got != want {
			t.Errorf("EditionForYear(%d) = %s", year, got)
		}
	}
}

func TestSetValueAndPaths(t *testing.T) {
	d := New(Edition2019, 2020, "某局", "county_department")
	dec, _ := ParseNumber("12293400.5")
	steps := []struct {
		path    string
		v       Value
		wantErr string
	}{
		{"t3.r3_7_total.natural_person", Int(4), ""},
		{"t2.art20_5.administrative_licensing.change", Int(-30), ""},
		{"t2.art20_9.central_procurement.amount_yuan", dec, ""},
		{"t2.art20_1.regulations.new_made", dec, "设置 t2.art20_1.regulations.new_made：12293400.5 须为整数"},
		{"t3.r3_6_1_no_correction.total", Int(1), "设置 t3.r3_6_1_no_correction.total：2019年版格式没有这个单元格"},
	}
	for _, s := range steps {
		err := d.Set(s.path, s.v)
		if (err == nil && s.wantErr != "") || (err != nil && err.Error() != s.wantErr) {
			t.Errorf("Set(%s) error = %v, want %q", s.path, err, s.wantErr)
		}
	}
	if v, ok := d.Value("t2.art20_5.administrative_licensing.change"); !ok || v.Int64() != -30 {
		t.Errorf("change = %v %v", v, ok)
	}
	if v, _ := d.Value("t2.art20_9.central_procurement.amount_yuan"); v.String() != "12293400.5" {
		t.Errorf("amount = %v", v)
	}
	paths := d.Paths()
	if len(paths) != 198 || paths[0] != "t2.art20_1.regulations.new_made" || paths[197] != "t4.litigation_after_review.total" {
		t.Errorf("paths: %d %s %s", len(paths), paths[0], paths[len(paths)-1])
	}
}

func TestCloneIsDeep(t *testing.T) {
	d, err := Decode(readFile(t, "seed-2020.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := d.Clone()
	if err := c.Set("t4.review.total", Int(7)); err != nil {
		t.Fatal(err)
	}
	c.Sections.Other = "有。"
	if v, _ := d.Value("t4.review.total"); v.Int64() != 0 || d.Sections.Other != "无。" {
		t.Error("Clone shares storage with the original")
	}
}

func TestDiff(t *testing.T) {
	a, err := Decode(readFile(t, "seed-2020.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := a.Clone()
	b.Title = "新标题"
	b.Sections.Other = ""
	b.Agency.Level = "city_department"
	dec, _ := ParseNumber("12293400.50")
	_ = b.Set("t2.art20_9.central_procurement.amount_yuan", dec)
	_ = b.Set("t3.r1_new_received.total", Int(5))
	_ = b.Set("t4.review.pending", Blank())
	want := []Change{
		{"agency.level", "county_department", "city_department"},
		{"title", "海盐县民政局2020年度政府信息公开工作年度报告", "新标题"},
		{"sections.other", "无。", ""},
		{"t2.art20_9.central_procurement.amount_yuan", int64(12293400), json.Number("12293400.50")},
		{"t3.r1_new_received.total", int64(0), int64(5)},
		{"t4.review.pending", int64(0), nil},
	}
	if got := Diff(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("Diff:\n got %#v\nwant %#v", got, want)
	}
	if got := Diff(a, a.Clone()); len(got) != 0 {
		t.Errorf("Diff of equal documents = %v", got)
	}
}

func TestDiffAcrossEditions(t *testing.T) {
	a := New(Edition2019, 2020, "某局", "city_department")
	b := New(Edition2021, 2021, "某局", "city_department")
	_ = a.Set("t3.r3_6_other.total", Int(2))
	_ = b.Set("t3.r3_6_3_other.total", Int(2))
	want := []Change{
		{"edition", "2019", "2021"},
		{"year", int64(2020), int64(2021)},
		{"t3.r3_6_other.total", int64(2), nil},
		{"t3.r3_6_3_other.total", nil, int64(2)},
	}
	if got := Diff(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("Diff:\n got %#v\nwant %#v", got, want)
	}
}

func TestEncodeRefusesMisfit(t *testing.T) {
	d := New(Edition2019, 2020, "某局", "city_department")
	d.Edition = Edition2021
	if _, err := d.Encode(); err == nil || err.Error() != "编码报告：t2 与2021年版格式不符" {
		t.Errorf("Encode error = %v", err)
	}
}
