package check

import (
	"fmt"
	"strings"

	"qianfa/report"
)

const feeThresholdWanYuan = 1_000_000

func (c *checker) table2() {
	if !c.d.Fits(report.T2) {
		c.add(Finding{Rule: "T2-R0", Severity: Error, Cells: []string{"t2"},
			Message: fmt.Sprintf("表二的栏目与%s年版格式不符", c.d.Edition)})
		return
	}
	vs := c.d.Cells(report.T2)
	c.table2Signs(vs)
	c.blankRule(report.T2, "T2-R2", "表二")
	for i := range c.p.t2Rows {
		c.table2019Published(vs, &c.p.t2Rows[i])
	}
	for i := range c.p.t2Rows {
		c.table2019Items(vs, &c.p.t2Rows[i])
	}
	for i := range c.p.t2Rows {
		c.table2019Decisions(vs, &c.p.t2Rows[i])
	}
	for i := range c.p.t2Rows {
		c.table2021Valid(vs, &c.p.t2Rows[i])
	}
	c.table2021Fees(vs)
	c.table2Level(vs)
}

// table2Signs is T2-R1: every cell but 本年增/减 is ≥ 0.
func (c *checker) table2Signs(vs []report.Value) {
	for _, r := range c.p.t2Rows {
		for i, x := range r.cells {
			if r.columns[i].Kind == report.KindChange || vs[x].IsBlank() || vs[x].Float() >= 0 {
				continue
			}
			c.add(Finding{Rule: "T2-R1", Severity: Error, Cells: c.cells(report.T2, x),
				Message: fmt.Sprintf("表二“%s”“%s”不能为负数(%s)", r.label, r.columns[i].Label, vs[x])})
		}
	}
}

// blankRule is T2-R2, T3-R5 and T4-R3: one finding listing every blank cell.
func (c *checker) blankRule(t report.TableID, rule, table string) {
	vs := c.d.Cells(t)
	var paths []string
	for i := range vs {
		if vs[i].IsBlank() {
			paths = append(paths, c.p.paths[t][i])
		}
	}
	if len(paths) > 0 {
		c.add(Finding{Rule: rule, Severity: Error, Cells: paths,
			Message: fmt.Sprintf("%s有%d个空白单元格，无数据请填0", table, len(paths))})
	}
}

// table2019Published is T2-2019-R1: 本年新公开数量 ≤ 对外公开总数量.
func (c *checker) table2019Published(vs []report.Value, r *t2Row) {
	if r.newPublished < 0 || r.totalPublished < 0 || blanks(vs, r.newPublished, r.totalPublished) {
		return
	}
	np, tp := vs[r.newPublished].Int64(), vs[r.totalPublished].Int64()
	if np <= tp {
		return
	}
	c.add(Finding{Rule: "T2-2019-R1", Severity: Error, Cells: c.cells(report.T2, r.newPublished, r.totalPublished),
		Message:  fmt.Sprintf("表二“%s”：本年新公开数量(%d)不应多于对外公开总数量(%d)", r.label, np, tp),
		Expected: num(np), Actual: num(tp)})
}

// table2019Items is T2-2019-R2: 上一年项目数量 + 本年增/减 ≥ 0.
func (c *checker) table2019Items(vs []report.Value, r *t2Row) {
	if r.prevItems < 0 || r.change < 0 || blanks(vs, r.prevItems, r.change) {
		return
	}
	cells := c.cells(report.T2, r.prevItems, r.change)
	now, ok := sum(vs, r.prevItems, r.change)
	if !ok {
		c.add(overflow("T2-2019-R2", cells, "表二“"+r.label+"”"))
		return
	}
	if now >= 0 {
		return
	}
	c.add(Finding{Rule: "T2-2019-R2", Severity: Error, Cells: cells,
		Message: fmt.Sprintf("表二“%s”：上一年项目数量(%d)+本年增/减(%d)=%d，本年项目数量不能为负数",
			r.label, vs[r.prevItems].Int64(), vs[r.change].Int64(), now),
		Expected: num(0), Actual: num(now)})
}

// table2019Decisions is T2-2019-H1: 处理决定数量 equal to the item count
// (上一年项目数量 + 本年增/减, non-zero) suggests items were entered as decisions.
func (c *checker) table2019Decisions(vs []report.Value, r *t2Row) {
	if r.decisions < 0 || r.prevItems < 0 || r.change < 0 || blanks(vs, r.decisions, r.prevItems, r.change) {
		return
	}
	items, ok := sum(vs, r.prevItems, r.change)
	if !ok || items == 0 || items != vs[r.decisions].Int64() {
		return
	}
	c.add(Finding{Rule: "T2-2019-H1", Severity: Warning,
		Cells: c.cells(report.T2, r.decisions, r.prevItems, r.change),
		Message: fmt.Sprintf("表二“%s”：处理决定数量(%d)恰好等于上一年项目数量(%d)+本年增/减(%d)，可能把事项数误填为处理决定数量",
			r.label, items, vs[r.prevItems].Int64(), vs[r.change].Int64())})
}

// table2021Valid is T2-2021-R1: 现行有效件数 ≥ 本年制发件数 − 本年废止件数.
func (c *checker) table2021Valid(vs []report.Value, r *t2Row) {
	if r.valid < 0 || r.made < 0 || r.repealed < 0 || blanks(vs, r.valid, r.made, r.repealed) {
		return
	}
	made, repealed, valid := vs[r.made].Int64(), vs[r.repealed].Int64(), vs[r.valid].Int64()
	if repealed < 0 || made < minInt64+repealed || valid >= made-repealed {
		return
	}
	c.add(Finding{Rule: "T2-2021-R1", Severity: Error, Cells: c.cells(report.T2, r.valid, r.made, r.repealed),
		Message: fmt.Sprintf("表二“%s”：现行有效件数(%d)不应少于本年制发件数(%d)−本年废止件数(%d)=%d",
			r.label, valid, made, repealed, made-repealed),
		Expected: num(made - repealed), Actual: num(valid)})
}

// table2021Fees is T2-2021-H1: a fee of a million 万元 or more was probably
// entered in 元.
func (c *checker) table2021Fees(vs []report.Value) {
	if c.p.fees < 0 || vs[c.p.fees].IsBlank() || vs[c.p.fees].Float() < feeThresholdWanYuan {
		return
	}
	c.add(Finding{Rule: "T2-2021-H1", Severity: Warning, Cells: c.cells(report.T2, c.p.fees),
		Message: fmt.Sprintf("表二“行政事业性收费”本年收费金额为%s万元，单位可能误用了元", vs[c.p.fees])})
}

// levelsWithoutRegulations cannot make 规章 (《立法法》): a 规章 figure there is an error.
var levelsWithoutRegulations = map[string]bool{
	"county_government": true, "county_department": true,
	"district_department": true, "township_government": true,
}

// table2Level is T2-LVL: the 规章 row should be all 0 below the city level.
func (c *checker) table2Level(vs []report.Value) {
	var idx []int
	for _, x := range c.p.regulations {
		if !vs[x].IsBlank() && vs[x].Float() > 0 {
			idx = append(idx, x)
		}
	}
	if len(idx) == 0 {
		return
	}
	f := Finding{Rule: "T2-LVL", Severity: Warning, Cells: c.cells(report.T2, idx...)}
	vals := make([]string, len(idx))
	for i, x := range idx {
		vals[i] = vs[x].String()
	}
	if levelsWithoutRegulations[c.d.Agency.Level] {
		f.Severity = Error
		f.Message = fmt.Sprintf("表二“规章”行应全为0：县级人民政府及其部门、区级部门和乡镇不能制定规章（现填 %s）", strings.Join(vals, "、"))
	} else {
		f.Message = fmt.Sprintf("表二“规章”行有数据（%s）：只有省级和设区的市、自治州人民政府能制定规章，请确认", strings.Join(vals, "、"))
	}
	c.add(f)
}
