package check

import (
	"fmt"

	"qianfa/report"
)

// table3 applies T3-R0 … T3-R5 and T3-A33. Decode always yields the
// edition's row set, so T3-R0 fires only for a hand-built or altered
// Document whose table 三 does not fit its edition.
func (c *checker) table3() {
	if !c.d.Fits(report.T3) {
		c.add(Finding{Rule: "T3-R0", Severity: Error, Cells: []string{"t3"},
			Message: fmt.Sprintf("表三的行与%s年版格式不符（应为%d行）", c.d.Edition, len(c.p.t3Rows))})
		return
	}
	vs := c.d.Cells(report.T3)
	for col := 0; col < c.p.t3Cols; col++ {
		c.balance(vs, col)
	}
	for col := 0; col < c.p.t3Cols; col++ {
		c.resultsTotal(vs, col)
	}
	for _, r := range c.p.t3Rows {
		c.rowTotal(vs, r)
	}
	c.negatives(report.T3, "T3-R4")
	c.blankRule(report.T3, "T3-R5", "表三")
	for col := 0; col < c.p.t3Cols; col++ {
		c.carryOut(vs, col)
	}
}

func (c *checker) colLabel(col int) string {
	return c.p.layout.Tables[report.T3].Blocks[0].Columns[col].Label
}

// balance is T3-R1, the printed rule: 一 + 二 = 三(七) + 四 in every column.
func (c *checker) balance(vs []report.Value, col int) {
	r1, r2, r37, r4 := c.p.r1+col, c.p.r2+col, c.p.r37+col, c.p.r4+col
	if blanks(vs, r1, r2, r37, r4) {
		return
	}
	in, ok1 := sum(vs, r1, r2)
	out, ok2 := sum(vs, r37, r4)
	where := func() string { return fmt.Sprintf("表三“%s”列", c.colLabel(col)) }
	cells := func() []string { return c.cells(report.T3, r1, r2, r37, r4) }
	if !ok1 || !ok2 {
		c.add(overflow("T3-R1", cells(), where()))
		return
	}
	if in == out {
		return
	}
	c.add(Finding{Rule: "T3-R1", Severity: Error, Cells: cells(),
		Message: fmt.Sprintf("%s：本年新收(%d)+上年结转(%d)应等于办理结果总计(%d)+结转下年度(%d)",
			where(), vs[r1].Int64(), vs[r2].Int64(), vs[r37].Int64(), vs[r4].Int64()),
		Expected: num(in), Actual: num(out)})
}

// resultsTotal is T3-R2: （七）总计 = the sum of the result rows, per column.
func (c *checker) resultsTotal(vs []report.Value, col int) {
	idx := append(c.scratch[:0], c.p.r37+col)
	for _, off := range c.p.results {
		idx = append(idx, off+col)
	}
	if blanks(vs, idx...) {
		return
	}
	parts, ok := sum(vs, idx[1:]...)
	where := func() string { return fmt.Sprintf("表三“%s”列", c.colLabel(col)) }
	if !ok {
		c.add(overflow("T3-R2", c.cells(report.T3, idx...), where()))
		return
	}
	if total := vs[idx[0]].Int64(); total != parts {
		c.add(Finding{Rule: "T3-R2", Severity: Error, Cells: c.cells(report.T3, idx...),
			Message:  fmt.Sprintf("%s：（七）总计(%d)应等于各项办理结果之和(%d)", where(), total, parts),
			Expected: num(parts), Actual: num(total)})
	}
}

// rowTotal is T3-R3: 总计 = the six applicant columns, per row.
func (c *checker) rowTotal(vs []report.Value, r report.Row) {
	idx := append(c.scratch[:0], r.Offset+c.p.t3Total)
	for col := 0; col < c.p.t3Cols; col++ {
		if col != c.p.t3Total {
			idx = append(idx, r.Offset+col)
		}
	}
	if blanks(vs, idx...) {
		return
	}
	parts, ok := sum(vs, idx[1:]...)
	where := func() string { return fmt.Sprintf("表三“%s”行", rowName(r)) }
	if !ok {
		c.add(overflow("T3-R3", c.cells(report.T3, idx...), where()))
		return
	}
	if total := vs[idx[0]].Int64(); total != parts {
		c.add(Finding{Rule: "T3-R3", Severity: Error, Cells: c.cells(report.T3, idx...),
			Message:  fmt.Sprintf("%s：总计(%d)应等于各类申请人之和(%d)", where(), total, parts),
			Expected: num(parts), Actual: num(total)})
	}
}

// negatives is T3-R4 and T4-R2: one finding per negative cell.
func (c *checker) negatives(t report.TableID, rule string) {
	vs := c.d.Cells(t)
	for i := range vs {
		if vs[i].IsBlank() || vs[i].Int64() >= 0 {
			continue
		}
		ref, _ := c.p.layout.Lookup(c.p.paths[t][i])
		b := &c.p.layout.Tables[t].Blocks[ref.Block]
		c.add(Finding{Rule: rule, Severity: Error, Cells: c.cells(t, i),
			Message: fmt.Sprintf("%s“%s”“%s”不能为负数(%d)", tableName[t],
				rowName(b.Rows[ref.Row]), b.Columns[ref.Column].Label, vs[i].Int64())})
	}
}

var tableName = [report.NumTables]string{"表二", "表三", "表四"}

// carryOut is T3-A33: applications carried into next year can only come
// from this year's new ones (Art. 33's 20+20 working days), so 四 ≤ 一.
func (c *checker) carryOut(vs []report.Value, col int) {
	r1, r4 := c.p.r1+col, c.p.r4+col
	if blanks(vs, r1, r4) || vs[r4].Int64() <= vs[r1].Int64() {
		return
	}
	c.add(Finding{Rule: "T3-A33", Severity: Warning, Cells: c.cells(report.T3, r4, r1),
		Message: fmt.Sprintf("表三“%s”列：结转下年度(%d)多于本年新收(%d)，按条例第三十三条的答复期限，上年结转的申请应已办结",
			c.colLabel(col), vs[r4].Int64(), vs[r1].Int64()),
		Expected: num(vs[r1].Int64()), Actual: num(vs[r4].Int64())})
}
