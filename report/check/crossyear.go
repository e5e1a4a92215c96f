package check

import (
	"fmt"

	"qianfa/report"
)

// PrevPrefix marks a cell path of the previous year's report in a finding.
const PrevPrefix = "prev:"

// CheckWithContext is the full check of d: Check, CheckNarrative and, when
// prev (the same agency's previous published report) is given,
// CheckAgainstPrevious and CheckSimilarity, in that order.
func CheckWithContext(d, prev *report.Document) []Finding {
	fs := Check(d)
	fs = append(fs, CheckNarrative(d)...)
	if prev != nil {
		fs = append(fs, CheckAgainstPrevious(d, prev)...)
		fs = append(fs, CheckSimilarity(d, prev)...)
	}
	return fs
}

// CheckAgainstPrevious applies the cross-year rules XY-1, XY-2 and XY-3
// between cur and prev, the same agency's report for the year before. It
// returns nothing when prev is not for cur.Year−1. Every finding is a
// warning: mergers (机构改革) and amended documents break these rules
// legitimately. Cells of prev are named with PrevPrefix.
func CheckAgainstPrevious(cur, prev *report.Document) []Finding {
	if cur == nil || prev == nil || prev.Year != cur.Year-1 {
		return nil
	}
	x := crossYear{cur: cur, prev: prev}
	x.carriedOver()
	switch {
	case cur.Edition == report.Edition2021 && prev.Edition == report.Edition2021:
		x.validDocuments()
	case cur.Edition == report.Edition2019 && prev.Edition == report.Edition2019:
		x.itemCounts()
	}
	// 2020→2021 has no table-二 bridge: 对外公开总数量 and 现行有效件数 count different things.
	return x.fs
}

// crossYear carries the two reports and the findings so far.
type crossYear struct {
	cur, prev *report.Document
	fs        []Finding
}

// values reads a cell of cur (path) or of prev (path with PrevPrefix); ok
// is false if any is blank or absent, so that the equation is skipped.
func (x *crossYear) values(paths ...string) ([]int64, bool) {
	out := make([]int64, len(paths))
	for i, p := range paths {
		d := x.cur
		if len(p) > len(PrevPrefix) && p[:len(PrevPrefix)] == PrevPrefix {
			d, p = x.prev, p[len(PrevPrefix):]
		}
		v, ok := d.Value(p)
		if !ok || v.IsBlank() {
			return nil, false
		}
		out[i] = v.Int64()
	}
	return out, true
}

// carriedOver is XY-1: 上年结转(Y) = 结转下年度继续办理(Y−1), per column of
// table 三. Both editions have these rows and columns.
func (x *crossYear) carriedOver() {
	l := x.cur.Layout()
	if l == nil {
		return
	}
	for _, col := range l.Tables[report.T3].Blocks[0].Columns {
		in := report.CellPath("t3", "", "r2_carried_over_in", col.Key)
		out := PrevPrefix + report.CellPath("t3", "", "r4_carried_over_out", col.Key)
		v, ok := x.values(in, out)
		if !ok || v[0] == v[1] {
			continue
		}
		x.fs = append(x.fs, Finding{Rule: "XY-1", Severity: Warning, Cells: []string{in, out},
			Message: fmt.Sprintf("表三“%s”列：%d年上年结转(%d)应等于%d年报告的结转下年度继续办理(%d)",
				col.Label, x.cur.Year, v[0], x.prev.Year, v[1]),
			Expected: num(v[1]), Actual: num(v[0])})
	}
}

// t2Rows calls fn for every row of table 二 whose block has all columns.
func (x *crossYear) t2Rows(fn func(label string, path func(col string) string), cols ...string) {
	l := x.cur.Layout()
	for _, b := range l.Tables[report.T2].Blocks {
		if !hasColumns(&b, cols) {
			continue
		}
		for _, r := range b.Rows {
			fn(r.Label, func(col string) string { return report.CellPath("t2", b.Key, r.Key, col) })
		}
	}
}

func hasColumns(b *report.Block, cols []string) bool {
	for _, c := range cols {
		if b.ColumnIndex(c) < 0 {
			return false
		}
	}
	return true
}

// validDocuments is XY-2 (2021 edition): 现行有效件数(Y) = 现行有效件数(Y−1)
// + 本年制发件数(Y) − 本年废止件数(Y), for 规章 and 行政规范性文件.
func (x *crossYear) validDocuments() {
	x.t2Rows(func(label string, path func(string) string) {
		cells := []string{path("valid"), PrevPrefix + path("valid"), path("made"), path("repealed")}
		v, ok := x.values(cells...)
		if !ok {
			return
		}
		want, ok := addChecked(v[1], v[2], -v[3])
		if !ok || want == v[0] {
			return
		}
		x.fs = append(x.fs, Finding{Rule: "XY-2", Severity: Warning, Cells: cells,
			Message: fmt.Sprintf("表二“%s”：%d年现行有效件数(%d)应等于%d年现行有效件数(%d)+%d年本年制发件数(%d)−本年废止件数(%d)=%d",
				label, x.cur.Year, v[0], x.prev.Year, v[1], x.cur.Year, v[2], v[3], want),
			Expected: num(want), Actual: num(v[0])})
	}, "valid", "made", "repealed")
}

// itemCounts is XY-3 (2019 edition, 2019→2020): 上一年项目数量(Y) =
// 上一年项目数量(Y−1) + 本年增/减(Y−1).
func (x *crossYear) itemCounts() {
	x.t2Rows(func(label string, path func(string) string) {
		cells := []string{path("prev_year_items"), PrevPrefix + path("prev_year_items"), PrevPrefix + path("change")}
		v, ok := x.values(cells...)
		if !ok {
			return
		}
		want, ok := addChecked(v[1], v[2])
		if !ok || want == v[0] {
			return
		}
		x.fs = append(x.fs, Finding{Rule: "XY-3", Severity: Warning, Cells: cells,
			Message: fmt.Sprintf("表二“%s”：%d年上一年项目数量(%d)应等于%d年上一年项目数量(%d)+本年增/减(%d)=%d",
				label, x.cur.Year, v[0], x.prev.Year, v[1], v[2], want),
			Expected: num(want), Actual: num(v[0])})
	}, "prev_year_items", "change")
}

// addChecked adds the terms; ok is false on int64 overflow (including the
// negation of minInt64 by a caller, which cannot be represented).
func addChecked(terms ...int64) (total int64, ok bool) {
	for _, n := range terms {
		if n == minInt64 || (n > 0 && total > maxInt64-n) || (n < 0 && total < minInt64-n) {
			return 0, false
		}
		total += n
	}
	return total, true
}
