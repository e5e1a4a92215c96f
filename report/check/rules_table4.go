package check

import (
	"fmt"

	"qianfa/report"
)

// table4 applies T4-R1 … T4-R3. Table 四 has no row-set rule: a table that
// does not fit (hand-built document) is reported as entirely blank.
func (c *checker) table4() {
	if !c.d.Fits(report.T4) {
		c.add(Finding{Rule: "T4-R3", Severity: Error, Cells: append([]string(nil), c.p.paths[report.T4]...),
			Message: fmt.Sprintf("表四有%d个空白单元格，无数据请填0", len(c.p.paths[report.T4]))})
		return
	}
	vs := c.d.Cells(report.T4)
	for _, r := range c.p.layout.Tables[report.T4].Blocks[0].Rows {
		c.groupTotal(vs, r)
	}
	c.negatives(report.T4, "T4-R2")
	c.blankRule(report.T4, "T4-R3", "表四")
}

// groupTotal is T4-R1: 总计 = 维持 + 纠正 + 其他 + 尚未审结, per group.
func (c *checker) groupTotal(vs []report.Value, r report.Row) {
	total := r.Offset + c.p.t4Total
	idx := append(c.scratch[:0], total)
	for col := 0; col < c.p.t4Total; col++ {
		idx = append(idx, r.Offset+col)
	}
	if blanks(vs, idx...) {
		return
	}
	name := r.Label
	if r.Group != "" {
		name = r.Group + "（" + r.Label + "）"
	}
	parts, ok := sum(vs, idx[1:]...)
	if !ok {
		c.add(overflow("T4-R1", c.cells(report.T4, idx...), "表四“"+name+"”"))
		return
	}
	if got := vs[total].Int64(); got != parts {
		c.add(Finding{Rule: "T4-R1", Severity: Error, Cells: c.cells(report.T4, idx...),
			Message: fmt.Sprintf("表四“%s”：总计(%d)应等于结果维持(%d)+结果纠正(%d)+其他结果(%d)+尚未审结(%d)之和(%d)",
				name, got, vs[idx[1]].Int64(), vs[idx[2]].Int64(), vs[idx[3]].Int64(), vs[idx[4]].Int64(), parts),
			Expected: num(parts), Actual: num(got)})
	}
}
