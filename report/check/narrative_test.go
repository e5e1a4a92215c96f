package check

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"qianfa/report"
)

// setSection replaces one narrative section of d.
func setSection(t *testing.T, d *report.Document, key, text string) {
	t.Helper()
	s := &d.Sections
	switch key {
	case "overview":
		s.Overview = text
	case "requests_note":
		s.RequestsNote = text
	case "reviews_note":
		s.ReviewsNote = text
	case "problems":
		s.Problems = text
	case "other":
		s.Other = text
	default:
		t.Fatalf("unknown section %q", key)
	}
}

// sample is the sentence of the brief; in clean-2021 the tables say 44
// received, 23 disclosed, 4 partially, 2 withheld (1+1), 3 carried out.
const sample = "全年共收到政府信息公开申请12件，其中予以公开8件，部分公开2件，不予公开1件，结转下年度继续办理1件"

var withheldCells = []string{
	"t3.r3_3_1_state_secret.total", "t3.r3_3_2_law_prohibited.total",
	"t3.r3_3_3_three_safeties_one_stability.total", "t3.r3_3_4_third_party_rights.total",
	"t3.r3_3_5_internal_affairs.total", "t3.r3_3_6_process_info.total",
	"t3.r3_3_7_enforcement_case_file.total", "t3.r3_3_8_admin_query.total",
}

func quoted(rule, msg, expected, actual string, cells ...string) Finding {
	return arith(warn(rule, msg, cells...), expected, actual)
}

func TestCheckNarrative(t *testing.T) {
	ov := "sections.overview"
	tests := []struct {
		name     string
		base     string
		sections []string // key, text pairs
		edits    []string // path, value pairs
		want     []Finding
	}{
		{name: "seed: 未收到 with zero tables, 501条 not a count", base: "seed-2020.json"},
		{name: "seed: 未收到 while table 三 counts 5", base: "seed-2020.json",
			edits: []string{"t3.r1_new_received.total", "5"},
			want: []Finding{quoted("NARR-R1", "一、总体情况写“未收到依申请公开政府信息的申请”，但表三“一、本年新收政府信息公开申请数量”总计为5。"+
				"原句：“我局不断加强和规范依申请公开工作，2020年未收到依申请公开政府信息的申请件”",
				"5", "0", ov, "t3.r1_new_received.total")}},
		{name: "clean 2021: overview and both notes agree", base: "clean-2021.json"},
		{name: "clean 2021: notes disagree after an edit", base: "clean-2021.json",
			edits: []string{"t3.r1_new_received.total", "45", "t4.litigation_after_review.total", "2"},
			want: []Finding{
				quoted("NARR-R1", "一、总体情况写“新收政府信息公开申请44件”，与表三“一、本年新收政府信息公开申请数量”总计(45)不符。"+
					"原句：“全年新收政府信息公开申请44件，上年结转2件，办结43件，结转下年度继续办理3件”",
					"45", "44", ov, "t3.r1_new_received.total"),
				quoted("NARR-R1", "表三说明写“新收申请44件”，与表三“一、本年新收政府信息公开申请数量”总计(45)不符。原句：“本年度新收申请44件，其中自然人36件”",
					"45", "44", "sections.requests_note", "t3.r1_new_received.total"),
				quoted("NARR-R2", "表四说明写“行政诉讼3件”，与表四“行政诉讼”两项总计之和(4)不符。原句：“本年度因政府信息公开被申请行政复议3件、提起行政诉讼3件”",
					"4", "3", "sections.reviews_note", "t4.litigation_direct.total", "t4.litigation_after_review.total"),
			}},
		{name: "brief sentence against agreeing tables", base: "clean-2021.json",
			sections: []string{"overview", sample + "。", "requests_note", ""},
			edits: []string{"t3.r1_new_received.total", "12", "t3.r3_1_disclosed.total", "8",
				"t3.r3_2_partially_disclosed.total", "2", "t3.r3_3_6_process_info.total", "0", "t3.r4_carried_over_out.total", "1"}},
		{name: "brief sentence against clean 2021", base: "clean-2021.json",
			sections: []string{"overview", "二是全年情况。" + sample + "。", "requests_note", ""},
			want: []Finding{
				quoted("NARR-R1", "一、总体情况写“收到政府信息公开申请12件”，与表三“一、本年新收政府信息公开申请数量”总计(44)不符。原句：“"+sample+"”",
					"44", "12", ov, "t3.r1_new_received.total"),
				quoted("NARR-R1", "一、总体情况写“予以公开8件”，与表三“（一）予以公开”总计(23)不符。原句：“"+sample+"”",
					"23", "8", ov, "t3.r3_1_disclosed.total"),
				quoted("NARR-R1", "一、总体情况写“部分公开2件”，与表三“（二）部分公开”总计(4)不符。原句：“"+sample+"”",
					"4", "2", ov, "t3.r3_2_partially_disclosed.total"),
				quoted("NARR-R1", "一、总体情况写“不予公开1件”，与表三“（三）不予公开”各项总计之和(2)不符。原句：“"+sample+"”",
					"2", "1", append([]string{ov}, withheldCells...)...),
				quoted("NARR-R1", "一、总体情况写“结转下年度继续办理1件”，与表三“四、结转下年度继续办理”总计(3)不符。原句：“"+sample+"”",
					"3", "1", ov, "t3.r4_carried_over_out.total"),
			}},
		{name: "Chinese numerals", base: "clean-2021.json",
			sections: []string{"overview", "全年受理依申请公开十二件；上年度结转两件；共办结政府信息公开申请一百零五件。"},
			want: []Finding{
				quoted("NARR-R1", "一、总体情况写“受理依申请公开十二件”，与表三“一、本年新收政府信息公开申请数量”总计(44)不符。原句：“全年受理依申请公开十二件”",
					"44", "12", ov, "t3.r1_new_received.total"),
				quoted("NARR-R1", "一、总体情况写“办结政府信息公开申请一百零五件”，与表三“（七）总计”(43)不符。原句：“共办结政府信息公开申请一百零五件”",
					"43", "105", ov, "t3.r3_7_total.total"),
			}},
		{name: "sub-row sums agree", base: "clean-2021.json",
			sections: []string{"overview", "无法提供10件，不予处理3件，办理完毕43件，予以公开及部分公开27件。"}},
		{name: "quoting one sub-row or one outcome of two", base: "clean-2021.json",
			sections: []string{"overview", "无法提供9件，予以公开及部分公开23件。"},
			want: []Finding{
				quoted("NARR-R1", "一、总体情况写“无法提供9件”，与表三“（四）无法提供”各项总计之和(10)不符。原句：“无法提供9件，予以公开及部分公开23件”",
					"10", "9", ov, "t3.r3_4_1_not_held.total", "t3.r3_4_2_needs_creation.total", "t3.r3_4_3_unclear_after_correction.total"),
				quoted("NARR-R1", "一、总体情况写“予以公开及部分公开23件”，与表三“（一）予以公开”与“（二）部分公开”总计之和(27)不符。原句：“无法提供9件，予以公开及部分公开23件”",
					"27", "23", ov, "t3.r3_1_disclosed.total", "t3.r3_2_partially_disclosed.total"),
			}},
		{name: "numbers not attached to a phrase", base: "clean-2021.json",
			sections: []string{"overview", "主动公开政府信息501条，依据国办公开办函〔2019〕60号，电话：0573-86111171，2021年1月1日起施行。" +
				"予以公开的信息12条；不予以公开3件；未办结1件；没有申请人提起行政复议；其中自然人申请10件；收到行政复议申请3件。"}},
		{name: "blank cell skips the comparison", base: "clean-2021.json",
			sections: []string{"overview", "予以公开8件。"}, edits: []string{"t3.r3_1_disclosed.total", ""}},
		{name: "NARR-R3 复议 only: litigation pending ignored", base: "clean-2021.json",
			sections: []string{"overview", "本年度共发生行政复议案件3件，均获维持。"},
			edits:    []string{"t4.review.other", "0", "t4.review.pending", "1"},
			want: []Finding{warn("NARR-R3", "一、总体情况写“均获维持”，但表四“行政复议”尚未审结1件。原句：“本年度共发生行政复议案件3件，均获维持”",
				ov, "t4.review.pending")}},
		{name: "NARR-R3 复议 and 诉讼", base: "clean-2021.json",
			sections: []string{"reviews_note", "行政复议、行政诉讼案件全部维持"},
			want: []Finding{warn("NARR-R3", "表四说明写“全部维持”，但表四“行政复议”其他结果1件、“行政诉讼（未经复议直接起诉）”尚未审结1件。原句：“行政复议、行政诉讼案件全部维持”",
				"sections.reviews_note", "t4.review.other", "t4.litigation_direct.pending")}},
		{name: "NARR-R3 holds when all maintained", base: "clean-2021.json",
			sections: []string{"overview", "行政复议3件，均予以维持。"},
			edits:    []string{"t4.review.other", "0", "t4.review.maintained", "3"}},
		{name: "NARR-R2 复议 count with 起", base: "clean-2021.json",
			sections: []string{"overview", "被申请行政复议2起。"},
			want: []Finding{quoted("NARR-R2", "一、总体情况写“行政复议2起”，与表四“行政复议”总计(3)不符。原句：“被申请行政复议2起”",
				"3", "2", ov, "t4.review.total")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := load(t, tt.base)
			for i := 0; i+1 < len(tt.sections); i += 2 {
				setSection(t, d, tt.sections[i], tt.sections[i+1])
			}
			set(t, d, tt.edits...)
			got := CheckNarrative(d)
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.MarshalIndent(got, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("findings:\n got %s\nwant %s", gj, wj)
			}
		})
	}
}

func TestCheckNarrativeWithoutLayout(t *testing.T) {
	d := &report.Document{Edition: "2020", Sections: report.Sections{Overview: "收到申请3件"}}
	if fs := CheckNarrative(d); fs != nil {
		t.Errorf("unknown edition: %v", fs)
	}
	if fs := CheckNarrative(nil); fs != nil {
		t.Errorf("nil document: %v", fs)
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true}, {"１２", 12, true}, {"0", 0, true},
		{"三", 3, true}, {"两", 2, true}, {"十", 10, true}, {"十二", 12, true}, {"二十", 20, true},
		{"一百零五", 105, true}, {"三百", 300, true}, {"一千零一十", 1010, true}, {"二〇二", 202, true},
		{"", 0, false}, {"十百", 0, false}, {"百十百", 0, false}, {"99999999999999999999", 0, false},
		{"999999999999999", 999999999999999, true}, {"九九九九九九九九九九九九九九九九", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestClauses(t *testing.T) {
	got := clauses(" 甲，乙。丙；丁;\n\n戊！ ")
	want := []string{"甲，乙", "丙", "丁", "戊"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("clauses = %q, want %q", got, want)
	}
	long := strings.Repeat("字", 130)
	if got := excerpt(long); got != strings.Repeat("字", 120)+"……" {
		t.Errorf("excerpt of 130 runes = %q", got)
	}
}

// longOverview is about 10 000 characters of real-looking narrative.
func longOverview(b *testing.B) *report.Document {
	d := load(b, "clean-2021.json")
	d.Sections.Overview = strings.Repeat(d.Sections.Overview+"\n"+sample+"。本年度共发生行政复议案件3件，均获维持。\n", 30)
	return d
}

func BenchmarkCheckNarrative(b *testing.B) {
	d := longOverview(b)
	b.Logf("overview: %d runes", len([]rune(d.Sections.Overview)))
	b.ReportAllocs()
	for b.Loop() {
		CheckNarrative(d)
	}
}

// FuzzCheckNarrative runs the narrative rules on arbitrary text: they must
// not panic, and every finding must quote a clause of the text.
func FuzzCheckNarrative(f *testing.F) {
	f.Add(sample + "。本年度共发生行政复议案件3件，均获维持。")
	f.Add("2020年未收到依申请公开政府信息的申请件；予以公开及部分公开一百零五件")
	d := load(f, "clean-2021.json")
	f.Fuzz(func(t *testing.T, text string) {
		c := d.Clone()
		c.Sections.Overview = text
		for _, fd := range CheckNarrative(c) {
			if fd.Severity != Warning || len(fd.Cells) < 2 || fd.Cells[0] != "sections.overview" {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
	})
}
