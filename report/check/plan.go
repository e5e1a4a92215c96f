package check

import (
	"fmt"

	"qianfa/report"
)

// plan holds the cell positions the rules read, resolved once per edition
// so that Check does no string lookups.
type plan struct {
	layout *report.Layout
	paths  [report.NumTables][]string // cell paths by table and position

	t3Rows          []report.Row // in layout order
	r1, r2, r37, r4 int          // row offsets in table 三
	results         []int        // offsets of the result rows summed into r3_7
	t3Cols          int
	t3Total         int // column position of 总计
	t2Rows          []t2Row
	regulations     []int // cell positions of the 规章 row
	fees            int   // 2021 本年收费金额, -1 in 2019
	t4Total         int   // column position of 表四 总计
}

// t2Row is one row of table 二 with the cells some rule reads (-1 if absent).
type t2Row struct {
	label                        string
	block                        string
	cells                        []int
	newPublished, totalPublished int
	prevItems, change, decisions int
	made, repealed, valid        int
	columns                      []report.Column
}

var plans = map[report.Edition]*plan{
	report.Edition2019: newPlan(report.LayoutFor(report.Edition2019)),
	report.Edition2021: newPlan(report.LayoutFor(report.Edition2021)),
}

func newPlan(l *report.Layout) *plan {
	p := &plan{layout: l, fees: -1}
	for _, ref := range l.Cells {
		p.paths[ref.Table] = append(p.paths[ref.Table], ref.Path)
	}
	p.planTable2()
	p.planTable3()
	p.t4Total = l.Tables[report.T4].Blocks[0].ColumnIndex("total")
	return p
}

func (p *plan) planTable2() {
	for _, b := range p.layout.Tables[report.T2].Blocks {
		for _, r := range b.Rows {
			row := t2Row{label: r.Label, block: b.Label, columns: b.Columns}
			col := func(key string) int {
				if i := b.ColumnIndex(key); i >= 0 {
					return r.Offset + i
				}
				return -1
			}
			for i := range b.Columns {
				row.cells = append(row.cells, r.Offset+i)
			}
			row.newPublished, row.totalPublished = col("new_published"), col("total_published")
			row.prevItems, row.change, row.decisions = col("prev_year_items"), col("change"), col("decisions")
			row.made, row.repealed, row.valid = col("made"), col("repealed"), col("valid")
			if r.Key == "regulations" {
				p.regulations = row.cells
			}
			if c := col("amount_wan_yuan"); c >= 0 {
				p.fees = c
			}
			p.t2Rows = append(p.t2Rows, row)
		}
	}
}

func (p *plan) planTable3() {
	b := &p.layout.Tables[report.T3].Blocks[0]
	p.t3Rows = b.Rows
	p.t3Cols = len(b.Columns)
	p.t3Total = b.ColumnIndex("total")
	for _, r := range b.Rows {
		switch r.Key {
		case "r1_new_received":
			p.r1 = r.Offset
		case "r2_carried_over_in":
			p.r2 = r.Offset
		case "r3_7_total":
			p.r37 = r.Offset
		case "r4_carried_over_out":
			p.r4 = r.Offset
		default:
			p.results = append(p.results, r.Offset)
		}
	}
	if p.t3Total < 0 || len(p.results) == 0 {
		panic(fmt.Sprintf("check: layout %s lacks table 三 rows or columns", p.layout.Edition))
	}
}

// rowName is the label of a table 三 row including its group, as printed.
func rowName(r report.Row) string {
	return r.Group + r.Label
}
