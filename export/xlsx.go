package export

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qianfa/report"
)

// Sheet layout: the report title on row 1, the table heading on row 2, the
// table from row 3.
const (
	xlsxTitleRow   = 1
	xlsxHeadingRow = 2
	xlsxTableRow   = 3
	xlsxFont       = "宋体"
	xlsxPaperA4    = 9
)

var sheetNumerals = [report.NumTables]string{"表二", "表三", "表四"}

// SheetName returns the name of the sheet holding table t of layout l,
// e.g. "表三 收到和处理政府信息公开申请情况" (at most 31 characters).
func SheetName(l *report.Layout, t report.TableID) string {
	return sheetNumerals[t] + " " + l.Tables[t].Title
}

// XLSX returns tables 二, 三 and 四 of d as an Excel workbook, one sheet
// each, in the official layout with merged headers; numbers are stored as
// numbers and blank cells are left empty.
func XLSX(d *report.Document) ([]byte, error) {
	gs, err := grids(d)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	w, err := newSheetWriter(f)
	if err != nil {
		return nil, err
	}
	title := documentTitle(d.Agency.Name, d.Year, d.Title)
	l := d.Layout()
	for t, g := range gs {
		name := SheetName(l, report.TableID(t))
		if t == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = w.sheet(name, title, g)
		}
		if err != nil {
			return nil, fmt.Errorf("导出 Excel：%s：%w", name, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: SafeCell(title), Creator: "Qianfa", Language: "zh-CN"}); err != nil {
		return nil, fmt.Errorf("导出 Excel：%w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("导出 Excel：%w", err)
	}
	return buf.Bytes(), nil
}

// sheetWriter holds the workbook's styles, made once per file.
type sheetWriter struct {
	f                                   *excelize.File
	title, heading, header, label, span int
	numbers                             map[string]int // by number format
}

func newSheetWriter(f *excelize.File) (*sheetWriter, error) {
	if err := f.SetDefaultFont(xlsxFont); err != nil {
		return nil, err
	}
	w := &sheetWriter{f: f, numbers: map[string]int{}}
	var err error
	mk := func(dst *int, s *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(s)
		}
	}
	mk(&w.title, &excelize.Style{Font: font(16, true), Alignment: align("center", false)})
	mk(&w.heading, &excelize.Style{Font: font(12, true), Alignment: align("left", false)})
	mk(&w.header, boxed(align("center", true)))
	mk(&w.label, boxed(align("left", true)))
	mk(&w.span, boxed(align("center", true)))
	return w, err
}

func font(size float64, bold bool) *excelize.Font {
	return &excelize.Font{Family: xlsxFont, Size: size, Bold: bold}
}

func align(horizontal string, wrap bool) *excelize.Alignment {
	return &excelize.Alignment{Horizontal: horizontal, Vertical: "center", WrapText: wrap}
}

func boxed(a *excelize.Alignment) *excelize.Style {
	var bs []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		bs = append(bs, excelize.Border{Type: side, Color: "000000", Style: 1})
	}
	return &excelize.Style{Border: bs, Font: font(10.5, false), Alignment: a}
}

// numberStyle returns the style of a number cell of kind k written as text.
func (w *sheetWriter) numberStyle(k report.Kind, text string) (int, error) {
	format := numberFormat(k, text)
	if id, ok := w.numbers[format]; ok {
		return id, nil
	}
	s := boxed(align("center", false))
	s.CustomNumFmt = &format
	id, err := w.f.NewStyle(s)
	w.numbers[format] = id
	return id, err
}

// numberFormat shows counts as integers, 本年增/减 with its sign, and money
// with at least two decimals (more if written), 元 amounts with their unit
// because the 2019 采购总金额 header prints none.
func numberFormat(k report.Kind, text string) string {
	switch k {
	case report.KindChange:
		return "+0;-0;0"
	case report.KindAmountYuan:
		return moneyFormat(text) + `"元"`
	case report.KindAmountWanYuan:
		return moneyFormat(text)
	}
	return "0"
}

func moneyFormat(text string) string {
	decimals := 0
	if i := strings.IndexByte(text, '.'); i >= 0 {
		decimals = len(text) - i - 1
		if e := strings.IndexAny(text, "eE"); e > i {
			decimals = e - i - 1
		}
	}
	return "0." + strings.Repeat("0", min(max(decimals, 2), 10))
}

func (w *sheetWriter) sheet(name, title string, g *tableGrid) error {
	f := w.f
	last, _ := excelize.ColumnNumberToName(g.Cols)
	steps := []func() error{
		func() error { return w.banner(name, xlsxTitleRow, last, title, w.title, 30) },
		func() error { return w.banner(name, xlsxHeadingRow, last, g.Heading, w.heading, 22) },
		func() error { return w.columns(name, g) },
		func() error { return w.rowHeights(name, g) },
		func() error { return w.pageSetup(name, g) },
	}
	for _, c := range g.Cells {
		steps = append(steps, func() error { return w.cell(name, c) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return f.SetSheetView(name, 0, &excelize.ViewOptions{ShowGridLines: ptr(false)})
}

// banner writes a text merged across the table's width.
func (w *sheetWriter) banner(sheet string, row int, last, text string, style int, height float64) error {
	first, end := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)
	if err := w.f.MergeCell(sheet, first, end); err != nil {
		return err
	}
	if err := w.f.SetCellStr(sheet, first, SafeCell(oneLine(text))); err != nil {
		return err
	}
	if err := w.f.SetRowHeight(sheet, row, height); err != nil {
		return err
	}
	return w.f.SetCellStyle(sheet, first, end, style)
}

func (w *sheetWriter) columns(sheet string, g *tableGrid) error {
	for i, width := range g.Widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := w.f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// cellRange returns the sheet range covered by c.
func cellRange(c gridCell) (string, string) {
	first, _ := excelize.CoordinatesToCellName(c.Col+1, xlsxTableRow+c.Row)
	last, _ := excelize.CoordinatesToCellName(c.Col+c.ColSpan, xlsxTableRow+c.Row+c.RowSpan-1)
	return first, last
}

func (w *sheetWriter) cell(sheet string, c gridCell) error {
	first, last := cellRange(c)
	if first != last {
		if err := w.f.MergeCell(sheet, first, last); err != nil {
			return err
		}
	}
	style, err := w.styleOf(c)
	if err == nil {
		err = w.f.SetCellStyle(sheet, first, last, style)
	}
	if err != nil || (c.Number && c.Value.IsBlank()) {
		return err
	}
	switch {
	case !c.Number:
		return w.f.SetCellStr(sheet, first, SafeCell(cleanText(c.Text)))
	case c.Value.IsInteger():
		return w.f.SetCellInt(sheet, first, c.Value.Int64())
	}
	return w.f.SetCellFloat(sheet, first, c.Value.Float(), -1, 64)
}

func (w *sheetWriter) styleOf(c gridCell) (int, error) {
	switch {
	case c.Number:
		return w.numberStyle(c.Kind, c.Value.String())
	case c.Header:
		return w.header, nil
	case c.RowSpan > 1:
		return w.span, nil
	}
	return w.label, nil
}

// rowHeights makes room for wrapped labels: Excel does not grow a row for
// a wrapped merged cell by itself.
func (w *sheetWriter) rowHeights(sheet string, g *tableGrid) error {
	const lineHeight, minHeight = 14.0, 20.0
	heights := make([]float64, g.Rows)
	for _, c := range g.Cells {
		if c.Number {
			continue
		}
		width := 0.0
		for k := c.Col; k < c.Col+c.ColSpan; k++ {
			width += g.Widths[k]
		}
		lines := math.Ceil(textWidth(c.Text) / math.Max(width-1, 1))
		perRow := lines * lineHeight / float64(c.RowSpan)
		for r := c.Row; r < c.Row+c.RowSpan; r++ {
			heights[r] = math.Max(heights[r], perRow+6)
		}
	}
	for r, h := range heights {
		if err := w.f.SetRowHeight(sheet, xlsxTableRow+r, math.Max(h, minHeight)); err != nil {
			return err
		}
	}
	return nil
}

// textWidth estimates the printed width in character units: two for a
// CJK character, one for ASCII.
func textWidth(s string) float64 {
	n := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// pageSetup prints on A4, landscape for the wide tables 三 and 四, one page
// wide, with the header rows repeated on every page.
func (w *sheetWriter) pageSetup(sheet string, g *tableGrid) error {
	orientation := "portrait"
	if g.ID != report.T2 {
		orientation = "landscape"
	}
	if err := w.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(xlsxPaperA4), Orientation: &orientation, FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := w.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	margin := 0.6
	if err := w.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &margin, Right: &margin, Top: &margin, Bottom: &margin, Horizontally: ptr(true),
	}); err != nil {
		return err
	}
	if g.HeadRows == 0 {
		return nil
	}
	return w.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, xlsxTitleRow, xlsxTableRow+g.HeadRows-1),
	})
}

func ptr[T any](v T) *T { return &v }
