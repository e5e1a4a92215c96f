package check

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"qianfa/report"
)

// distinct returns n distinct CJK characters starting at base, so that the
// shingle arithmetic of a test is exact (n characters give n−2 shingles).
func distinct(base rune, n int) string {
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = base + rune(i)
	}
	return string(rs)
}

func TestSimilarity(t *testing.T) {
	a := distinct('一', 100)
	tests := []struct {
		name       string
		text, prev string
		want       float64
	}{
		{"identical", a, a, 1},
		{"years, digits, punctuation and spaces ignored",
			"2021年，海盐县民政局政府信息公开工作取得了新成效，但在基础性日常管理、拓宽信息公开渠道等方面仍需完善。",
			"2020年 海盐县民政局政府信息公开工作取得了新成效；但在基础性日常管理，拓宽信息公开渠道等方面仍需完善 ", 1},
		// 95 of 100 characters kept: shingles inside the first 95 (93) of 98.
		{"last five characters changed", a[:95*3] + distinct('倀', 5), a, 93.0 / 98},
		{"last ten characters changed", a[:90*3] + distinct('倀', 10), a, 88.0 / 98},
		{"this year's text cut from last year's", a[:50*3], a, 1},
		{"unrelated", a, distinct('倀', 100), 0},
		{"too short", "无。", "无。", 0},
		{"29 characters", a[:29*3], a[:29*3], 0},
		{"30 characters", a[:30*3], a[:30*3], 1},
	}
	for _, tt := range tests {
		if got := Similarity(tt.text, tt.prev); got != tt.want {
			t.Errorf("%s: Similarity = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCheckSimilarity(t *testing.T) {
	seedPrev := func(t *testing.T) *report.Document {
		d := load(t, "seed-2020.json")
		d.Year = 2019
		return d
	}
	dup := func(key, name, pct string) Finding {
		return warn("NARR-DUP", fmt.Sprintf("“%s”与2019年报告同一部分的文字相似度为%s，可能照搬上年内容（内容雷同），请按本年度实际情况撰写", name, pct),
			"sections."+key, "prev:sections."+key)
	}
	a := distinct('一', 100)
	tests := []struct {
		name   string
		cur    func(t *testing.T) *report.Document
		prev   func(t *testing.T) *report.Document
		want   []Finding
		noPrev bool
	}{
		{name: "seed copied from its own text: overview and problems, not 无。",
			cur: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }, prev: seedPrev,
			want: []Finding{dup("overview", "一、总体情况", "100%"), dup("problems", "五、存在的主要问题及改进情况", "100%")}},
		{name: "different agencies' texts",
			cur:  func(t *testing.T) *report.Document { return load(t, "clean-2021.json") },
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }},
		{name: "94% is a copy, 89% is not",
			cur: func(t *testing.T) *report.Document {
				d := load(t, "seed-2020.json")
				d.Sections.Overview, d.Sections.Problems = a[:95*3]+distinct('倀', 5), a[:90*3]+distinct('倀', 10)
				return d
			},
			prev: func(t *testing.T) *report.Document {
				d := seedPrev(t)
				d.Sections.Overview, d.Sections.Problems = a, a
				return d
			},
			want: []Finding{dup("overview", "一、总体情况", "94%")}},
		{name: "previous report not earlier",
			cur:  func(t *testing.T) *report.Document { return load(t, "seed-2020.json") },
			prev: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }},
		{name: "no previous report", cur: func(t *testing.T) *report.Document { return load(t, "seed-2020.json") }, noPrev: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prev *report.Document
			if !tt.noPrev {
				prev = tt.prev(t)
			}
			got := CheckSimilarity(tt.cur(t), prev)
			if !reflect.DeepEqual(got, tt.want) {
				gj, _ := json.MarshalIndent(got, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("findings:\n got %s\nwant %s", gj, wj)
			}
		})
	}
}

// BenchmarkCheckSimilarity compares three sections of about 10 000
// characters each with last year's, one sentence changed in ten.
func BenchmarkCheckSimilarity(b *testing.B) {
	cur, prev := load(b, "seed-2020.json"), load(b, "seed-2020.json")
	prev.Year = 2019
	long := func(s string, n int) string { return strings.Repeat(s, 10_000/len([]rune(s))+n) }
	cur.Sections.Overview, prev.Sections.Overview = long(cur.Sections.Overview, 0), long(prev.Sections.Overview, 1)
	cur.Sections.Problems, prev.Sections.Problems = long(cur.Sections.Problems+"新增一句改进措施。", 0), long(prev.Sections.Problems, 0)
	cur.Sections.Other, prev.Sections.Other = long(sample, 0), long(sample, 0)
	b.Logf("overview: %d runes", len([]rune(cur.Sections.Overview)))
	b.ReportAllocs()
	for b.Loop() {
		CheckSimilarity(cur, prev)
	}
}
