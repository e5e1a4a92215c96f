package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"qianfa/report"
)

// view is what the templates print; spans are computed here so that the
// templates stay declarative.
type view struct {
	Title    string
	Sections []sectionView
	T2       table2View
	T3       table3View
	T4       table4View
}

type sectionView struct {
	Heading    string
	Table      int // 2, 3, 4 when the section holds a table, else 0
	Paragraphs []string
}

// labelCell is a header or row label; spans of 0 or 1 are not printed.
type labelCell struct {
	Text    string
	Rowspan int
	Colspan int
}

// Spans returns the rowspan/colspan attributes, built here from integers
// only, so that the template does not compare spans for every cell.
func (c labelCell) Spans() template.HTMLAttr { return spans(c.Rowspan, c.Colspan) }

// numberCell is one data cell.
type numberCell struct {
	Path    string
	Text    string
	Colspan int
}

// Spans returns the colspan attribute, if any.
func (c numberCell) Spans() template.HTMLAttr { return spans(0, c.Colspan) }

func spans(rowspan, colspan int) template.HTMLAttr {
	var a string
	if rowspan > 1 {
		a = ` rowspan="` + strconv.Itoa(rowspan) + `"`
	}
	if colspan > 1 {
		a += ` colspan="` + strconv.Itoa(colspan) + `"`
	}
	return template.HTMLAttr(a) // digits and fixed names only
}

type viewRow struct {
	Labels []labelCell
	Cells  []numberCell
}

// CellsHTML prints the row's number cells. There are about two hundred of
// them per report, so they are written here rather than through template
// calls (which cost several reflective escaper calls each); every text is
// escaped with template.HTMLEscapeString.
func (r viewRow) CellsHTML() template.HTML { return cellsHTML(r.Cells) }

func cellsHTML(cells []numberCell) template.HTML {
	var b strings.Builder
	b.Grow(len(cells) * 64)
	for _, c := range cells {
		b.WriteString(`<td class="num" data-path="`)
		b.WriteString(template.HTMLEscapeString(c.Path))
		b.WriteString(`"`)
		b.WriteString(string(c.Spans()))
		b.WriteString(`>`)
		b.WriteString(template.HTMLEscapeString(c.Text))
		b.WriteString(`</td>`)
	}
	return template.HTML(b.String())
}

type table2View struct {
	Width  int // label column + data columns
	Blocks []table2Block
}

type table2Block struct {
	Label  string
	Header []labelCell
	Rows   []viewRow
}

type table3View struct {
	Note    string
	Columns []string // 自然人 … 总计
	Rows    []viewRow
}

// table4View has three header rows: 行政复议 | 行政诉讼, then the column
// labels of 行政复议 beside 未经复议直接起诉 | 复议后起诉, then theirs.
type table4View struct {
	Top, Middle, Bottom []labelCell
	Cells               []numberCell
}

// CellsHTML prints the single data row of table 四 (see viewRow.CellsHTML).
func (t table4View) CellsHTML() template.HTML { return cellsHTML(t.Cells) }

// headings are the six numbered headings of format.md §2.1.
var headings = [6]string{
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

func newView(d *report.Document) (*view, error) {
	l := d.Layout()
	if l == nil {
		return nil, fmt.Errorf("渲染报告：未知版本 %q", d.Edition)
	}
	for t := range l.Tables {
		if !d.Fits(report.TableID(t)) {
			return nil, fmt.Errorf("渲染报告：%s 与%s年版格式不符", l.Tables[t].Key, d.Edition)
		}
	}
	s := &d.Sections
	v := &view{Title: d.Title}
	if v.Title == "" {
		v.Title = fmt.Sprintf("%s%d年度政府信息公开工作年度报告", d.Agency.Name, d.Year)
	}
	texts := [6]string{s.Overview, s.ProactiveNote, s.RequestsNote, s.ReviewsNote, s.Problems, s.Other}
	for i, h := range headings {
		sv := sectionView{Heading: h, Paragraphs: paragraphs(texts[i])}
		if i >= 1 && i <= 3 {
			sv.Table = i + 1
		}
		v.Sections = append(v.Sections, sv)
	}
	v.T2 = newTable2(d, l)
	v.T3 = newTable3(d, l)
	v.T4 = newTable4(d, l)
	return v, nil
}

// paragraphs splits narrative text on newlines, dropping empty lines.
func paragraphs(text string) []string {
	var ps []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// CellText is how a cell value is printed: blank as empty, a positive
// 本年增/减 with its sign, every other number as written.
func CellText(v report.Value, kind report.Kind) string {
	if kind == report.KindChange && !v.IsBlank() && v.Int64() > 0 {
		return "+" + v.String()
	}
	return v.String()
}

func rowCells(d *report.Document, t *report.Table, b *report.Block, r *report.Row) []numberCell {
	vs := d.Cells(t.ID)
	cells := make([]numberCell, len(b.Columns))
	for i, c := range b.Columns {
		cells[i] = numberCell{Path: report.CellPath(t.Key, b.Key, r.Key, c.Key),
			Text: CellText(vs[r.Offset+i], c.Kind)}
	}
	return cells
}

func newTable2(d *report.Document, l *report.Layout) table2View {
	t := &l.Tables[report.T2]
	width := 0
	for _, b := range t.Blocks {
		width = max(width, len(b.Columns))
	}
	tv := table2View{Width: width + 1}
	for bi := range t.Blocks {
		b := &t.Blocks[bi]
		pad := width - len(b.Columns) // the last column absorbs missing ones
		blk := table2Block{Label: b.Label, Header: []labelCell{{Text: "信息内容"}}}
		for i, c := range b.Columns {
			blk.Header = append(blk.Header, labelCell{Text: c.Label, Colspan: lastSpan(i, len(b.Columns), pad)})
		}
		for ri := range b.Rows {
			cells := rowCells(d, t, b, &b.Rows[ri])
			cells[len(cells)-1].Colspan = 1 + pad
			blk.Rows = append(blk.Rows, viewRow{Labels: []labelCell{{Text: b.Rows[ri].Label}}, Cells: cells})
		}
		tv.Blocks = append(tv.Blocks, blk)
	}
	return tv
}

func lastSpan(i, n, pad int) int {
	if i == n-1 {
		return 1 + pad
	}
	return 1
}

// newTable3 lays out table 三 with three label columns: the 三、本年度办理结果
// column spans its result rows, and groups such as （三）不予公开 span theirs.
func newTable3(d *report.Document, l *report.Layout) table3View {
	t := &l.Tables[report.T3]
	b := &t.Blocks[0]
	tv := table3View{Note: report.Table3Note}
	for _, c := range b.Columns {
		tv.Columns = append(tv.Columns, c.Label)
	}
	for ri := range b.Rows {
		r := &b.Rows[ri]
		var labels []labelCell
		switch {
		case r.Section == "":
			labels = append(labels, labelCell{Text: r.Label, Colspan: 3})
		default:
			if ri == 0 || b.Rows[ri-1].Section != r.Section {
				labels = append(labels, labelCell{Text: r.Section, Rowspan: runLength(b.Rows[ri:], func(x report.Row) bool { return x.Section == r.Section })})
			}
			if r.Group == "" {
				labels = append(labels, labelCell{Text: r.Label, Colspan: 2})
				break
			}
			if b.Rows[ri-1].Group != r.Group {
				labels = append(labels, labelCell{Text: r.Group, Rowspan: runLength(b.Rows[ri:], func(x report.Row) bool { return x.Group == r.Group })})
			}
			labels = append(labels, labelCell{Text: r.Label})
		}
		tv.Rows = append(tv.Rows, viewRow{Labels: labels, Cells: rowCells(d, t, b, r)})
	}
	return tv
}

func runLength(rows []report.Row, same func(report.Row) bool) int {
	n := 0
	for n < len(rows) && same(rows[n]) {
		n++
	}
	return n
}

func newTable4(d *report.Document, l *report.Layout) table4View {
	t := &l.Tables[report.T4]
	b := &t.Blocks[0]
	var tv table4View
	n := len(b.Columns)
	for ri := range b.Rows {
		r := &b.Rows[ri]
		tv.Cells = append(tv.Cells, rowCells(d, t, b, r)...)
		if r.Group == "" {
			tv.Top = append(tv.Top, labelCell{Text: r.Label, Colspan: n})
			for _, c := range b.Columns {
				tv.Middle = append(tv.Middle, labelCell{Text: c.Label, Rowspan: 2})
			}
			continue
		}
		if ri == 0 || b.Rows[ri-1].Group != r.Group {
			span := runLength(b.Rows[ri:], func(x report.Row) bool { return x.Group == r.Group })
			tv.Top = append(tv.Top, labelCell{Text: r.Group, Colspan: n * span})
		}
		tv.Middle = append(tv.Middle, labelCell{Text: r.Label, Colspan: n})
		for _, c := range b.Columns {
			tv.Bottom = append(tv.Bottom, labelCell{Text: c.Label})
		}
	}
	return tv
}
