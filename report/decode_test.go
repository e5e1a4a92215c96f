package report

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// mutate replaces the first occurrence of old in base, failing if absent.
func mutate(t *testing.T, base []byte, old, new string) []byte {
	t.Helper()
	s := string(base)
	if !strings.Contains(s, old) {
		t.Fatalf("mutation target %q not found", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

func TestDecodeProblems(t *testing.T) {
	seed := readFile(t, "seed-2020.json")
	clean := readFile(t, "clean-2021.json")
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	tests := []struct {
		name string
		data []byte
		want []Problem
	}{
		{"not json", []byte(`{"format":`), []Problem{{"", "不是有效的 JSON"}}},
		{"not an object", []byte(`[1,2]`), []Problem{{"", "文档必须是 JSON 对象"}}},
		{"too deep", []byte(`{"x":` + deep + `}`), []Problem{{"", "嵌套层数超过 32"}}},
		{"too big", []byte(`{"title":"` + strings.Repeat("a", MaxInputBytes) + `"}`),
			[]Problem{{"", "文档过大（超过 4194304 字节）"}}},
		{"unknown keys everywhere", mutate(t, mutate(t, mutate(t, mutate(t, seed,
			`"title"`, `"colour": 1, "title"`),
			`"level"`, `"code": "x", "level"`),
			`"other": "无。"`, `"other": "无。", "preface": "x"`),
			`"natural_person": 0,`, `"natural_person": 0, "subtotal": 0,`),
			[]Problem{{"colour", "未知字段"}, {"agency.code", "未知字段"},
				{"sections.preface", "未知字段"}, {"t3.r1_new_received.subtotal", "未知字段"}}},
		{"wrong format", mutate(t, seed, `"qianfa.report/1"`, `"qianfa.report/2"`),
			[]Problem{{"format", `format 必须为 "qianfa.report/1"`}}},
		{"unknown edition", mutate(t, seed, `"edition": "2019"`, `"edition": "2020"`),
			[]Problem{{"edition", `未知版本 "2020"（应为 "2019" 或 "2021"）`}}},
		{"2019 block in 2021", mutate(t, clean, `"art20_8": {`,
			`"art20_9": {"central_procurement": {"projects": 1}}, "art20_8": {`),
			[]Problem{{"t2.art20_9", "此项属于2019年版格式，不能出现在2021年版报告中"}}},
		{"2019 row and column in 2021", mutate(t, mutate(t, clean,
			`"r3_7_total": {`, `"r3_6_other": {}, "r3_7_total": {`),
			`"decisions": 1523`, `"decisions": 1523, "prev_year_items": 3`),
			[]Problem{{"t2.art20_5.administrative_licensing.prev_year_items", "此列属于2019年版格式，不能出现在2021年版报告中"},
				{"t3.r3_6_other", "此行属于2019年版格式，不能出现在2021年版报告中"}}},
		{"2021 row in 2019", mutate(t, seed, `"r3_7_total": {`, `"r3_6_1_no_correction": null, "r3_7_total": {`),
			[]Problem{{"t3.r3_6_1_no_correction", "此行属于2021年版格式，不能出现在2019年版报告中"}}},
		{"wrong value types", mutate(t, mutate(t, mutate(t, seed,
			`"new_made": 4`, `"new_made": "4"`),
			`"prev_year_items": 115`, `"prev_year_items": true`),
			`"projects": 75`, `"projects": {"n": 75}`),
			[]Problem{{"t2.art20_1.normative_documents.new_made", "应为数字，不能是字符串"},
				{"t2.art20_5.other_external_services.prev_year_items", "应为数字，不能是布尔值"},
				{"t2.art20_9.central_procurement.projects", "应为数字，不能是对象"}}},
		{"fractions, negatives, overflow", mutate(t, mutate(t, mutate(t, mutate(t, seed,
			`"new_published": 4`, `"new_published": 4.5`),
			`"decisions": 43051`, `"decisions": 1e3`),
			`"total_published": 13`, `"total_published": -13`),
			`"prev_year_items": 2`, `"prev_year_items": 9223372036854775808`),
			[]Problem{{"t2.art20_1.normative_documents.new_published", "应为整数，不能是 4.5"},
				{"t2.art20_1.normative_documents.total_published", "不能为负数：-13"},
				{"t2.art20_5.other_external_services.decisions", "应为整数，不能是 1e3"},
				{"t2.art20_8.administrative_fees.prev_year_items", "数值超出范围：9223372036854775808"}}},
		{"negative money", mutate(t, clean, `"amount_wan_yuan": 12.85`, `"amount_wan_yuan": -12.85`),
			[]Problem{{"t2.art20_8.administrative_fees.amount_wan_yuan", "金额不能为负数：-12.85"}}},
		{"year as string", mutate(t, seed, `"year": 2020`, `"year": "2020"`),
			[]Problem{{"year", "应为整数年份，不能是字符串"}}},
		{"year out of range", mutate(t, seed, `"year": 2020`, `"year": 1999`),
			[]Problem{{"year", "年份应为 2008 至 2100 之间的整数"}}},
		{"year fraction", mutate(t, seed, `"year": 2020`, `"year": 2020.5`),
			[]Problem{{"year", "年份应为 2008 至 2100 之间的整数"}}},
		{"unknown level", mutate(t, seed, `"county_department"`, `"village"`),
			[]Problem{{"agency.level", "机关层级应为以下之一：" + strings.Join(Levels, "、")}}},
		{"duplicate keys", mutate(t, mutate(t, seed,
			`"year": 2020`, `"year": 2020, "year": 2021`),
			`"total": 0`, `"total": 0, "total": 1`),
			[]Problem{{"year", "重复的字段"}, {"t3.r1_new_received.total", "重复的字段"}}},
		{"missing header", []byte(`{}`), []Problem{{"format", "缺少此字段"}, {"edition", "缺少此字段"},
			{"year", "缺少此字段"}, {"agency", "缺少此字段"}}},
		{"section not text", mutate(t, seed, `"other": "无。"`, `"other": 1`),
			[]Problem{{"sections.other", "应为字符串，不能是数字"}}},
		{"table not object", mutate(t, seed, `"t4": {`, `"t4": [], "t5": {`),
			[]Problem{{"t5", "未知字段"}, {"t4", "应为对象，不能是数组"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Decode(tt.data)
			var se *ShapeError
			if !errors.As(err, &se) {
				t.Fatalf("Decode error = %v, want *ShapeError", err)
			}
			if d != nil {
				t.Errorf("Decode returned a document with an error")
			}
			if !reflect.DeepEqual(se.Problems, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", se.Problems, tt.want)
			}
		})
	}
}

func TestDecodeBlanksAndMissing(t *testing.T) {
	d, err := Decode([]byte(`{"format":"qianfa.report/1","edition":"2021","year":2021,
		"agency":{"name":"某局","level":"city_department"},
		"t3":{"r1_new_received":{"natural_person":3,"total":null}},"t4":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Value("t3.r1_new_received.natural_person"); v.Int64() != 3 || !v.IsInteger() {
		t.Errorf("natural_person = %v", v)
	}
	for _, p := range []string{"t3.r1_new_received.total", "t4.review.total", "t2.art20_8.administrative_fees.amount_wan_yuan"} {
		if v, ok := d.Value(p); !ok || !v.IsBlank() {
			t.Errorf("%s = %v, %v; want blank", p, v, ok)
		}
	}
}

func TestShapeErrorMessage(t *testing.T) {
	e := &ShapeError{Problems: []Problem{{"", "不是有效的 JSON"}, {"year", "缺少此字段"}}}
	want := "文档不符合 qianfa.report/1 格式：\n不是有效的 JSON\nyear：缺少此字段"
	if e.Error() != want {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestDecodeCapsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format":"qianfa.report/1","edition":"2019","year":2020,"agency":{"level":"city_department"}`)
	for i := 0; i < 150; i++ {
		b.WriteString(`,"x` + itoa(i) + `":1`)
	}
	b.WriteString("}")
	_, err := Decode([]byte(b.String()))
	se := err.(*ShapeError)
	if len(se.Problems) != maxProblems+1 || se.Problems[maxProblems].Message != "问题过多，仅列出前 100 个" {
		t.Errorf("got %d problems, last %v", len(se.Problems), se.Problems[len(se.Problems)-1])
	}
}
