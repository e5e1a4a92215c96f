package export

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qianfa/report"
)

func openXLSX(t *testing.T, d *report.Document) *excelize.File {
	t.Helper()
	data, err := XLSX(d)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func sheetCell(ref report.CellRef, l *report.Layout) string {
	row, col := position(l, ref)
	name, _ := excelize.CoordinatesToCellName(col+1, xlsxTableRow+row)
	return name
}

// TestXLSXNumbers checks every cell of the layout in its sheet cell: a
// number cell for a number, an empty cell for a blank.
func TestXLSXNumbers(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			d := load(t, name)
			f := openXLSX(t, d)
			l := d.Layout()
			for _, ref := range l.Cells {
				sheet, cell := SheetName(l, ref.Table), sheetCell(ref, l)
				v, _ := d.Value(ref.Path)
				raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				typ, _ := f.GetCellType(sheet, cell)
				switch {
				case v.IsBlank():
					if raw != "" {
						t.Errorf("%s at %s!%s = %q, want empty", ref.Path, sheet, cell, raw)
					}
				case typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber:
					t.Errorf("%s at %s!%s has type %v, want a number", ref.Path, sheet, cell, typ)
				case v.IsInteger() && raw != v.String():
					t.Errorf("%s at %s!%s = %q, want %s", ref.Path, sheet, cell, raw, v)
				case !v.IsInteger():
					if got, err := strconv.ParseFloat(raw, 64); err != nil || got != v.Float() {
						t.Errorf("%s at %s!%s = %q, want %s", ref.Path, sheet, cell, raw, v)
					}
				}
			}
		})
	}
}

// TestXLSXNumberFormats checks how numbers show: counts as integers,
// 本年增/减 signed, money with its decimals and, for 元, the unit.
func TestXLSXNumberFormats(t *testing.T) {
	tests := []struct {
		doc, path, want string
	}{
		{"seed-2020.json", "t2.art20_5.administrative_licensing.change", "-30"},
		{"seed-2020.json", "t2.art20_5.other_external_services.change", "+199"},
		{"seed-2020.json", "t2.art20_5.other_external_services.decisions", "43051"},
		{"seed-2020.json", "t2.art20_9.central_procurement.amount_yuan", "12293400.00元"},
		{"clean-2021.json", "t2.art20_8.administrative_fees.amount_wan_yuan", "12.85"},
		{"distinct-2020", "t2.art20_9.central_procurement.amount_yuan", "22.375元"},
	}
	for _, tt := range tests {
		d := load(t, tt.doc)
		f := openXLSX(t, d)
		l := d.Layout()
		ref, _ := l.Lookup(tt.path)
		got, err := f.GetCellValue(SheetName(l, ref.Table), sheetCell(ref, l))
		if err != nil || got != tt.want {
			t.Errorf("%s %s shows %q (%v), want %q", tt.doc, tt.path, got, err, tt.want)
		}
	}
}

var mergesByEdition = map[report.Edition][report.NumTables][]string{
	report.Edition2019: {
		{"A1:D1", "A2:D2", "A3:D3", "A7:D7", "A11:D11", "A15:D15", "C16:D16", "C17:D17", "A18:D18", "C19:D19", "C20:D20"},
		{"A1:J1", "A2:J2", "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A7:C7", "A8:A27", "B8:C8", "B9:C9",
			"B10:B17", "B18:B20", "B21:B25", "B26:C26", "B27:C27", "A28:C28"},
		{"A1:O1", "A2:O2", "A3:E3", "F3:O3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:J4", "K4:O4"},
	},
	report.Edition2021: {
		{"A1:D1", "A2:D2", "A3:D3", "A7:D7", "B8:D8", "B9:D9", "A10:D10", "B11:D11", "B12:D12", "B13:D13", "A14:D14", "B15:D15", "B16:D16"},
		{"A1:J1", "A2:J2", "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A7:C7", "A8:A29", "B8:C8", "B9:C9",
			"B10:B17", "B18:B20", "B21:B25", "B26:B28", "B29:C29", "A30:C30"},
		{"A1:O1", "A2:O2", "A3:E3", "F3:O3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:J4", "K4:O4"},
	},
}

func TestXLSXMergedHeaders(t *testing.T) {
	for _, name := range fixtures[:2] {
		d := load(t, name)
		f := openXLSX(t, d)
		l := d.Layout()
		for tb, want := range mergesByEdition[d.Edition] {
			sheet := SheetName(l, report.TableID(tb))
			mcs, err := f.GetMergeCells(sheet)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, mc := range mcs {
				got = append(got, mc.GetStartAxis()+":"+mc.GetEndAxis())
			}
			slices.Sort(got)
			want = slices.Sorted(slices.Values(want))
			if !slices.Equal(got, want) {
				t.Errorf("%s %s merges\n got %v\nwant %v", name, sheet, got, want)
			}
		}
	}
}

func TestXLSXLabels(t *testing.T) {
	d := load(t, "clean-2021.json")
	f := openXLSX(t, d)
	l := d.Layout()
	t2, t3, t4 := SheetName(l, report.T2), SheetName(l, report.T3), SheetName(l, report.T4)
	tests := []struct{ sheet, cell, want string }{
		{t2, "A1", d.Title},
		{t2, "A2", "二、主动公开政府信息情况"},
		{t2, "A3", "第二十条第（一）项"},
		{t2, "A4", "信息内容"},
		{t2, "D4", "现行有效件数"},
		{t2, "B8", "本年处理决定数量"},
		{t2, "A9", "行政许可"},
		{t2, "C4", "本年废止件数"},
		{t2, "B15", "本年收费金额（单位：万元）"},
		{t3, "A2", "三、收到和处理政府信息公开申请情况"},
		{t3, "A3", report.Table3Note},
		{t3, "D3", "申请人情况"},
		{t3, "D4", "自然人"},
		{t3, "E4", "法人或其他组织"},
		{t3, "E5", "商业企业"},
		{t3, "I5", "其他"},
		{t3, "J4", "总计"},
		{t3, "A6", "一、本年新收政府信息公开申请数量"},
		{t3, "A8", "三、本年度办理结果"},
		{t3, "B10", "（三）不予公开"},
		{t3, "C10", "1.属于国家秘密"},
		{t3, "B26", "（六）其他处理"},
		{t3, "C28", "3.其他"},
		{t3, "B29", "（七）总计"},
		{t3, "A30", "四、结转下年度继续办理"},
		{t4, "A2", "四、政府信息公开行政复议、行政诉讼情况"},
		{t4, "A3", "行政复议"},
		{t4, "F3", "行政诉讼"},
		{t4, "F4", "未经复议直接起诉"},
		{t4, "K4", "复议后起诉"},
		{t4, "A4", "结果维持"},
		{t4, "O5", "总计"},
	}
	for _, tt := range tests {
		if got, _ := f.GetCellValue(tt.sheet, tt.cell); got != tt.want {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.cell, got, tt.want)
		}
	}
}

func TestXLSXNeutralisesFormulaText(t *testing.T) {
	d := load(t, "seed-2020.json")
	d.Title = "=HYPERLINK(\"x\")\x01"
	f := openXLSX(t, d)
	for _, sheet := range f.GetSheetList() {
		got, _ := f.GetCellValue(sheet, "A1")
		if got != `'=HYPERLINK("x")` {
			t.Errorf("%s!A1 = %q, want the title with a leading apostrophe", sheet, got)
		}
		if formula, _ := f.GetCellFormula(sheet, "A1"); formula != "" {
			t.Errorf("%s!A1 holds formula %q", sheet, formula)
		}
		if typ, _ := f.GetCellType(sheet, "A1"); typ != excelize.CellTypeSharedString {
			t.Errorf("%s!A1 has type %v, want a string", sheet, typ)
		}
	}
}

func TestXLSXPrintSetupAndFont(t *testing.T) {
	d := load(t, "seed-2020.json")
	data, err := XLSX(d)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := d.Layout()
	wantSheets := []string{"表二 主动公开政府信息情况", "表三 收到和处理政府信息公开申请情况", "表四 政府信息公开行政复议、行政诉讼情况"}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Errorf("sheets = %q, want %q", got, wantSheets)
	}
	for tb, want := range []string{"portrait", "landscape", "landscape"} {
		sheet := SheetName(l, report.TableID(tb))
		if n := len([]rune(sheet)); n > 31 {
			t.Errorf("sheet name %q has %d characters", sheet, n)
		}
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if pl.Size == nil || *pl.Size != xlsxPaperA4 || pl.Orientation == nil || *pl.Orientation != want {
			t.Errorf("%s page = size %v orientation %v, want A4 %s", sheet, deref(pl.Size), deref(pl.Orientation), want)
		}
	}
	if w, _ := f.GetColWidth(SheetName(l, report.T3), "C"); w != 28 {
		t.Errorf("表三 column C width = %v, want 28", w)
	}
	styles := zipPart(t, data, "xl/styles.xml")
	if !strings.Contains(styles, `val="宋体"`) {
		t.Error("xl/styles.xml names no 宋体 font")
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// zipPart returns one part of an OOXML package.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("no part %s", name)
	return ""
}
