package export

import (
	"fmt"

	"qianfa/report"
	"qianfa/report/render"
)

// Labels of the official tables that are not row or column labels of the
// layout (format.md §2.2, §2.4).
const (
	labelContent   = "信息内容"
	labelApplicant = "申请人情况"
)

// gridCell is one rectangle of a table: a label or a number cell.
type gridCell struct {
	Row, Col         int // top-left, zero-based within the table
	RowSpan, ColSpan int // at least 1
	Text             string
	Header           bool // a column header (centred) rather than a row label
	Number           bool
	Path             string
	Value            report.Value
	Kind             report.Kind
}

// tableGrid is a table of the official layout as merged rectangles; the
// XLSX and DOCX writers print the same grid.
type tableGrid struct {
	ID         report.TableID
	Heading    string // 二、主动公开政府信息情况 …
	Rows, Cols int
	HeadRows   int       // leading header rows, repeated on each printed page
	Widths     []float64 // column widths in characters
	Cells      []gridCell
}

func (g *tableGrid) add(c gridCell) {
	c.RowSpan, c.ColSpan = max(c.RowSpan, 1), max(c.ColSpan, 1)
	g.Rows = max(g.Rows, c.Row+c.RowSpan)
	g.Cols = max(g.Cols, c.Col+c.ColSpan)
	g.Cells = append(g.Cells, c)
}

// grids builds the three tables of d, refusing a document that does not fit
// its edition's layout.
func grids(d *report.Document) ([report.NumTables]*tableGrid, error) {
	var gs [report.NumTables]*tableGrid
	l := d.Layout()
	if l == nil {
		return gs, fmt.Errorf("导出报告：未知版本 %q", d.Edition)
	}
	for t := range l.Tables {
		if !d.Fits(report.TableID(t)) {
			return gs, fmt.Errorf("导出报告：%s 与%s年版格式不符", l.Tables[t].Key, d.Edition)
		}
	}
	gs[report.T2] = grid2(d, &l.Tables[report.T2])
	gs[report.T3] = grid3(d, &l.Tables[report.T3])
	gs[report.T4] = grid4(d, &l.Tables[report.T4])
	return gs, nil
}

// numberCell is the cell of row r, column ci of block b.
func numberCell(d *report.Document, t *report.Table, b *report.Block, r *report.Row, ci int) gridCell {
	c := b.Columns[ci]
	v := d.Cells(t.ID)[r.Offset+ci]
	return gridCell{Number: true, Path: report.CellPath(t.Key, b.Key, r.Key, c.Key),
		Value: v, Kind: c.Kind, Text: render.CellText(v, c.Kind)}
}

// grid2 lays out table 二 as render does: per block a label row, a header
// row and data rows; a block with fewer columns widens its last column.
func grid2(d *report.Document, t *report.Table) *tableGrid {
	width := 0
	for _, b := range t.Blocks {
		width = max(width, len(b.Columns))
	}
	g := &tableGrid{ID: t.ID, Heading: "二、" + t.Title, Widths: []float64{26}}
	for range width {
		g.Widths = append(g.Widths, 16)
	}
	row := 0
	for bi := range t.Blocks {
		b := &t.Blocks[bi]
		pad := width - len(b.Columns)
		g.add(gridCell{Row: row, ColSpan: width + 1, Text: b.Label, Header: true})
		g.add(gridCell{Row: row + 1, Text: labelContent, Header: true})
		for ci, c := range b.Columns {
			g.add(gridCell{Row: row + 1, Col: ci + 1, ColSpan: lastSpan(ci, len(b.Columns), pad), Text: c.Label, Header: true})
		}
		row += 2
		for ri := range b.Rows {
			r := &b.Rows[ri]
			g.add(gridCell{Row: row, Text: r.Label})
			for ci := range b.Columns {
				c := numberCell(d, t, b, r, ci)
				c.Row, c.Col, c.ColSpan = row, ci+1, lastSpan(ci, len(b.Columns), pad)
				g.add(c)
			}
			row++
		}
	}
	return g
}

func lastSpan(i, n, pad int) int {
	if i == n-1 {
		return 1 + pad
	}
	return 1
}

// table3Labels is the number of label columns of table 三: the section
// 三、本年度办理结果, the groups such as （三）不予公开, and the row labels.
const table3Labels = 3

// grid3 lays out table 三: the 勾稽关系 note over the label columns, 申请人情况
// over all data columns, 法人或其他组织 over its five columns; the section and
// group labels span their rows.
func grid3(d *report.Document, t *report.Table) *tableGrid {
	b := &t.Blocks[0]
	g := &tableGrid{ID: t.ID, Heading: "三、" + t.Title, HeadRows: 3, Widths: []float64{4, 9, 28}}
	g.add(gridCell{RowSpan: 3, ColSpan: table3Labels, Text: report.Table3Note, Header: true})
	g.add(gridCell{Col: table3Labels, ColSpan: len(b.Columns), Text: labelApplicant, Header: true})
	for ci := 0; ci < len(b.Columns); {
		c := b.Columns[ci]
		g.Widths = append(g.Widths, 9)
		col := table3Labels + ci
		if c.Group == "" {
			g.add(gridCell{Row: 1, Col: col, RowSpan: 2, Text: c.Label, Header: true})
			ci++
			continue
		}
		n := columnRun(b.Columns[ci:], c.Group)
		g.add(gridCell{Row: 1, Col: col, ColSpan: n, Text: c.Group, Header: true})
		for k := range n {
			g.add(gridCell{Row: 2, Col: col + k, Text: b.Columns[ci+k].Label, Header: true})
		}
		for range n - 1 {
			g.Widths = append(g.Widths, 9)
		}
		ci += n
	}
	for ri := range b.Rows {
		addTable3Row(g, d, t, b, ri)
	}
	return g
}

func addTable3Row(g *tableGrid, d *report.Document, t *report.Table, b *report.Block, ri int) {
	r := &b.Rows[ri]
	row := 3 + ri
	switch {
	case r.Section == "":
		g.add(gridCell{Row: row, ColSpan: table3Labels, Text: r.Label})
	case r.Group == "":
		g.add(gridCell{Row: row, Col: 1, ColSpan: 2, Text: r.Label})
	default:
		g.add(gridCell{Row: row, Col: 2, Text: r.Label})
	}
	if r.Section != "" && (ri == 0 || b.Rows[ri-1].Section != r.Section) {
		n := rowRun(b.Rows[ri:], func(x report.Row) bool { return x.Section == r.Section })
		g.add(gridCell{Row: row, RowSpan: n, Text: r.Section})
	}
	if r.Group != "" && (ri == 0 || b.Rows[ri-1].Group != r.Group) {
		n := rowRun(b.Rows[ri:], func(x report.Row) bool { return x.Group == r.Group })
		g.add(gridCell{Row: row, Col: 1, RowSpan: n, Text: r.Group})
	}
	for ci := range b.Columns {
		c := numberCell(d, t, b, r, ci)
		c.Row, c.Col = row, table3Labels+ci
		g.add(c)
	}
}

func columnRun(cols []report.Column, group string) int {
	n := 0
	for n < len(cols) && cols[n].Group == group {
		n++
	}
	return n
}

func rowRun(rows []report.Row, same func(report.Row) bool) int {
	n := 0
	for n < len(rows) && same(rows[n]) {
		n++
	}
	return n
}

// grid4 lays out table 四's single data row under three header rows:
// 行政复议 | 行政诉讼, then the 行政复议 column labels (two rows high) beside
// 未经复议直接起诉 | 复议后起诉, then their column labels.
func grid4(d *report.Document, t *report.Table) *tableGrid {
	b := &t.Blocks[0]
	n := len(b.Columns)
	g := &tableGrid{ID: t.ID, Heading: "四、" + t.Title, HeadRows: 3}
	for ri := range b.Rows {
		r := &b.Rows[ri]
		col := ri * n
		if r.Group == "" {
			g.add(gridCell{Col: col, ColSpan: n, Text: r.Label, Header: true})
			for ci, c := range b.Columns {
				g.add(gridCell{Row: 1, Col: col + ci, RowSpan: 2, Text: c.Label, Header: true})
			}
		} else {
			if ri == 0 || b.Rows[ri-1].Group != r.Group {
				span := rowRun(b.Rows[ri:], func(x report.Row) bool { return x.Group == r.Group })
				g.add(gridCell{Col: col, ColSpan: n * span, Text: r.Group, Header: true})
			}
			g.add(gridCell{Row: 1, Col: col, ColSpan: n, Text: r.Label, Header: true})
			for ci, c := range b.Columns {
				g.add(gridCell{Row: 2, Col: col + ci, Text: c.Label, Header: true})
			}
		}
		for ci := range b.Columns {
			c := numberCell(d, t, b, r, ci)
			c.Row, c.Col = 3, col+ci
			g.add(c)
		}
	}
	for range g.Cols {
		g.Widths = append(g.Widths, 7.5)
	}
	return g
}

// at returns, for every position of the grid, the index of the cell
// covering it (-1 where none does).
func (g *tableGrid) at() [][]int {
	m := make([][]int, g.Rows)
	for r := range m {
		m[r] = make([]int, g.Cols)
		for c := range m[r] {
			m[r][c] = -1
		}
	}
	for i, c := range g.Cells {
		for r := c.Row; r < c.Row+c.RowSpan; r++ {
			for k := c.Col; k < c.Col+c.ColSpan; k++ {
				m[r][k] = i
			}
		}
	}
	return m
}
