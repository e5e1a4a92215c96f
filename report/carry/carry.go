// Package carry starts a year's report from the same agency's previous
// published report: it pre-fills the cells whose value this year is last
// year's (上年结转, 2019-edition 上一年项目数量), gives the baseline of
// those that also depend on this year (2021-edition 现行有效件数), and lists
// the pre-filled cells a drafter has since changed.
package carry

import "qianfa/report"

// PrevPrefix marks a key of Baselines holding last year's value, as cells
// of the previous report are named in findings.
const PrevPrefix = "prev:"

// FromPrevious returns a blank draft for year, in the edition year must use,
// pre-filled from prev, and the paths of the pre-filled cells in layout
// order. Rules: 上年结转 (t3.r2_carried_over_in.*) = last year's 结转下年度继续办理
// (t3.r4_carried_over_out.*), in every edition pair (XY-1); for a 2019-edition
// pair (2019→2020) 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (XY-3).
// Blank source cells and negative sums are not carried. Nothing is carried
// unless prev reports on year−1.
func FromPrevious(prev *report.Document, year int, agencyName, level string) (*report.Document, []string) {
	d := report.New(report.EditionForYear(year), year, agencyName, level)
	if prev == nil || prev.Year != year-1 {
		return d, nil
	}
	var paths []string
	put := func(path string, v report.Value) {
		if d.Set(path, v) == nil {
			paths = append(paths, path)
		}
	}
	for _, col := range t3Columns(d) {
		if v, ok := prev.Value(t3Path("r4_carried_over_out", col)); ok && !v.IsBlank() {
			put(t3Path("r2_carried_over_in", col), v)
		}
	}
	if d.Edition == report.Edition2019 && prev.Edition == report.Edition2019 {
		eachT2Row(d, func(path func(string) string) {
			if n, ok := itemsNow(prev, path); ok {
				put(path("prev_year_items"), report.Int(n))
			}
		}, "prev_year_items", "change")
	}
	return d, paths
}

// itemsNow is last year's item count at the year's end: 上一年项目数量 + 本年增/减.
func itemsNow(prev *report.Document, path func(string) string) (int64, bool) {
	items, ok1 := prev.Value(path("prev_year_items"))
	change, ok2 := prev.Value(path("change"))
	if !ok1 || !ok2 || items.IsBlank() || change.IsBlank() {
		return 0, false
	}
	a, b := items.Int64(), change.Int64()
	n := a + b
	if (b > 0 && n < a) || (b < 0 && n > a) || n < 0 {
		return 0, false
	}
	return n, true
}

// Baselines returns, for a 2021-edition pair (prev on cur.Year−1), the
// 现行有效件数 figures the editor shows next to each 现行有效件数 cell: under
// PrevPrefix+path last year's 现行有效件数 ("上年现行有效 N 件"), and under
// path the value rule XY-2 expects this year (last year's + 本年制发件数 −
// 本年废止件数) once those cells of cur are filled. Blank sources give no entry.
func Baselines(prev, cur *report.Document) map[string]report.Value {
	out := map[string]report.Value{}
	if prev == nil || cur == nil || prev.Year != cur.Year-1 ||
		prev.Edition != report.Edition2021 || cur.Edition != report.Edition2021 {
		return out
	}
	eachT2Row(cur, func(path func(string) string) {
		valid := path("valid")
		base, ok := prev.Value(valid)
		if !ok || base.IsBlank() {
			return
		}
		out[PrevPrefix+valid] = base
		made, ok1 := cur.Value(path("made"))
		repealed, ok2 := cur.Value(path("repealed"))
		if !ok1 || !ok2 || made.IsBlank() || repealed.IsBlank() {
			return
		}
		if n, ok := expectedValid(base.Int64(), made.Int64(), repealed.Int64()); ok {
			out[valid] = report.Int(n)
		}
	}, "valid", "made", "repealed")
	return out
}

// expectedValid is base + made − repealed, refusing overflow.
func expectedValid(base, made, repealed int64) (int64, bool) {
	const limit = 1 << 62 // counts of documents are far below; keeps the sum exact
	if base < -limit || base > limit || made < -limit || made > limit || repealed < -limit || repealed > limit {
		return 0, false
	}
	return base + made - repealed, true
}

// Overridden returns the paths of prefilled whose value in cur differs from
// the value FromPrevious put in carried, in the order of prefilled: each is
// an override the drafter must explain to the reviewer (机构改革, a
// correction of last year's figures). A path cur's edition lacks counts as
// overridden.
func Overridden(prefilled []string, carried, cur *report.Document) []string {
	var out []string
	for _, p := range prefilled {
		want, ok := carried.Value(p)
		if !ok {
			continue
		}
		if got, ok := cur.Value(p); !ok || !got.Equal(want) {
			out = append(out, p)
		}
	}
	return out
}

func t3Path(row, col string) string { return report.CellPath("t3", "", row, col) }

// t3Columns lists the column keys of table 三 (the same in both editions).
func t3Columns(d *report.Document) []string {
	var cols []string
	for _, c := range d.Layout().Tables[report.T3].Blocks[0].Columns {
		cols = append(cols, c.Key)
	}
	return cols
}

// eachT2Row calls fn for every table-二 row whose block has all of cols.
func eachT2Row(d *report.Document, fn func(path func(col string) string), cols ...string) {
	for _, b := range d.Layout().Tables[report.T2].Blocks {
		if !hasAll(&b, cols) {
			continue
		}
		for _, r := range b.Rows {
			fn(func(col string) string { return report.CellPath("t2", b.Key, r.Key, col) })
		}
	}
}

func hasAll(b *report.Block, cols []string) bool {
	for _, c := range cols {
		if b.ColumnIndex(c) < 0 {
			return false
		}
	}
	return true
}
