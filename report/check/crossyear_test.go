package check

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"qianfa/report"
)

// asYear returns the named test report relabelled as a report on year,
// keeping its edition (a 2019-edition report for 2019 is built from the seed).
func asYear(t testing.TB, name string, year int) *report.Document {
	t.Helper()
	d := load(t, name)
	d.Year = year
	return d
}

func TestCheckAgainstPrevious(t *testing.T) {
	np, tot := "natural_person", "total"
	xy1 := func(col, label string, cur, prev, year int) Finding {
		return arith(warn("XY-1", "表三“"+label+"”列："+itoa(year)+"年上年结转("+itoa(cur)+")应等于"+itoa(year-1)+"年报告的结转下年度继续办理("+itoa(prev)+")",
			t3col("r2_carried_over_in", col), "prev:"+t3col("r4_carried_over_out", col)), itoa(prev), itoa(cur))
	}
	lic, oth, pen := "t2.art20_5.administrative_licensing.", "t2.art20_5.other_external_services.", "t2.art20_6.administrative_penalty."
	nd := "t2.art20_1.normative_documents."
	tests := []struct {
		name      string
		cur, prev func(t *testing.T) *report.Document
		want      []Finding
	}{
		{name: "XY-1 across the edition change, seed 2020 → clean 2021",
			cur:  func(t *testing.T) *report.Document { return load(t, "clean-2021.json") },
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") },
			want: []Finding{xy1(np, "自然人", 2, 0, 2021), xy1(tot, "总计", 2, 0, 2021)}},
		{name: "XY-1 holds, no table-二 bridge 2020 → 2021",
			cur: func(t *testing.T) *report.Document { return load(t, "clean-2021.json") },
			prev: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				set(t, d, t3col("r4_carried_over_out", np), "2", t3col("r4_carried_over_out", tot), "2")
				return d
			}},
		{name: "XY-1 blank cell skips the column",
			cur: func(t *testing.T) *report.Document {
				d := load(t, "clean-2021.json")
				set(t, d, t3col("r2_carried_over_in", np), "")
				return d
			},
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") },
			want: []Finding{xy1(tot, "总计", 2, 0, 2021)}},
		{name: "previous report not of the year before",
			cur:  func(t *testing.T) *report.Document { return load(t, "clean-2021.json") },
			prev: func(t *testing.T) *report.Document { return asYear(t, "seed-2020.json", 2019) }},
		{name: "XY-2 2021 → 2022",
			cur: func(t *testing.T) *report.Document {
				d := asYear(t, "clean-2021.json", 2022)
				set(t, d, t3col("r2_carried_over_in", np), "3", t3col("r2_carried_over_in", tot), "3")
				return d
			},
			prev: func(t *testing.T) *report.Document { return load(t, "clean-2021.json") },
			want: []Finding{arith(warn("XY-2", "表二“行政规范性文件”：2022年现行有效件数(32)应等于2021年现行有效件数(32)+2022年本年制发件数(6)−本年废止件数(1)=37",
				nd+"valid", "prev:"+nd+"valid", nd+"made", nd+"repealed"), "37", "32")}},
		{name: "XY-2 holds; blank 本年废止件数 skips 规章",
			cur: func(t *testing.T) *report.Document {
				d := asYear(t, "clean-2021.json", 2022)
				set(t, d, t3col("r2_carried_over_in", np), "3", t3col("r2_carried_over_in", tot), "3",
					nd+"valid", "37", "t2.art20_1.regulations.valid", "5", "t2.art20_1.regulations.repealed", "")
				return d
			},
			prev: func(t *testing.T) *report.Document { return load(t, "clean-2021.json") }},
		{name: "XY-3 2019 → 2020 on the seed",
			cur:  func(t *testing.T) *report.Document { return load(t, "seed-2020.json") },
			prev: func(t *testing.T) *report.Document { return asYear(t, "seed-2020.json", 2019) },
			want: []Finding{
				arith(warn("XY-3", "表二“行政许可”：2020年上一年项目数量(88)应等于2019年上一年项目数量(88)+本年增/减(-30)=58",
					lic+"prev_year_items", "prev:"+lic+"prev_year_items", "prev:"+lic+"change"), "58", "88"),
				arith(warn("XY-3", "表二“其他对外管理服务事项”：2020年上一年项目数量(115)应等于2019年上一年项目数量(115)+本年增/减(199)=314",
					oth+"prev_year_items", "prev:"+oth+"prev_year_items", "prev:"+oth+"change"), "314", "115"),
				arith(warn("XY-3", "表二“行政处罚”：2020年上一年项目数量(1)应等于2019年上一年项目数量(1)+本年增/减(-1)=0",
					pen+"prev_year_items", "prev:"+pen+"prev_year_items", "prev:"+pen+"change"), "0", "1"),
			}},
		{name: "XY-3 holds",
			cur: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				set(t, d, lic+"prev_year_items", "58", oth+"prev_year_items", "314", pen+"prev_year_items", "0")
				return d
			},
			prev: func(t *testing.T) *report.Document { return asYear(t, "seed-2020.json", 2019) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckAgainstPrevious(tt.cur(t), tt.prev(t))
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.MarshalIndent(got, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("findings:\n got %s\nwant %s", gj, wj)
			}
		})
	}
	if fs := CheckAgainstPrevious(load(t, "clean-2021.json"), nil); fs != nil {
		t.Errorf("nil previous report: %v", fs)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCheckWithContext(t *testing.T) {
	cur, prev := load(t, "seed-2020.json"), asYear(t, "seed-2020.json", 2019)
	set(t, cur, "t3.r1_new_received.total", "5")
	got := CheckWithContext(cur, prev)
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule)
	}
	want := []string{"T2-2019-H1", "T3-R1", "T3-R3", "NARR-R1", "XY-3", "XY-3", "XY-3", "NARR-DUP", "NARR-DUP"}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("rules = %v, want %v", rules, want)
	}
	if !reflect.DeepEqual(got[:3], Check(cur)) {
		t.Error("CheckWithContext does not start with Check")
	}
	got = CheckWithContext(cur, nil)
	if want := append(Check(cur), CheckNarrative(cur)...); !reflect.DeepEqual(got, want) {
		t.Errorf("without previous report: %v", got)
	}
}
