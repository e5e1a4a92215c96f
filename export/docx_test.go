package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qianfa/report"
)

// The WordprocessingML read back by the tests; encoding/xml matches the
// local names whatever the namespace.
type wDocument struct {
	Body struct {
		Blocks []wBlock `xml:",any"`
		Sect   struct {
			Size struct {
				W string `xml:"w,attr"`
				H string `xml:"h,attr"`
			} `xml:"pgSz"`
			Margin struct {
				Top    string `xml:"top,attr"`
				Left   string `xml:"left,attr"`
				Right  string `xml:"right,attr"`
				Bottom string `xml:"bottom,attr"`
			} `xml:"pgMar"`
		} `xml:"sectPr"`
	} `xml:"body"`
}

// wBlock is a w:p or a w:tbl.
type wBlock struct {
	XMLName xml.Name
	Style   wVal    `xml:"pPr>pStyle"`
	Runs    []wRun  `xml:"r"`
	Rows    []wRow  `xml:"tr"`
	Grid    []wGrid `xml:"tblGrid>gridCol"`
}

type wRow struct {
	Header *wVal   `xml:"trPr>tblHeader"`
	Cells  []wCell `xml:"tc"`
}

type wCell struct {
	Span   *wVal `xml:"tcPr>gridSpan"`
	VMerge *wVal `xml:"tcPr>vMerge"`
	Paras  []struct {
		Runs []wRun `xml:"r"`
	} `xml:"p"`
}

type wRun struct {
	Text []string `xml:"t"`
}

type wVal struct {
	Val string `xml:"val,attr"`
}

type wGrid struct {
	W string `xml:"w,attr"`
}

func (b wBlock) text() string { return runsText(b.Runs) }

func runsText(rs []wRun) string {
	var s strings.Builder
	for _, r := range rs {
		for _, t := range r.Text {
			s.WriteString(t)
		}
	}
	return s.String()
}

func (c wCell) text() string {
	var s strings.Builder
	for _, p := range c.Paras {
		s.WriteString(runsText(p.Runs))
	}
	return s.String()
}

func (c wCell) span() int {
	if c.Span == nil {
		return 1
	}
	n, _ := strconv.Atoi(c.Span.Val)
	return n
}

// describe prints a cell as span, merge state and text, e.g. "3R:（本列…）";
// R starts a vertical merge, C continues one.
func (c wCell) describe() string {
	m := ""
	if c.VMerge != nil {
		m = "C"
		if c.VMerge.Val == "restart" {
			m = "R"
		}
	}
	return strconv.Itoa(c.span()) + m + ":" + c.text()
}

func unzipDOCX(t *testing.T, d *report.Document) map[string][]byte {
	t.Helper()
	data, err := DOCX(d)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

func parseDocument(t *testing.T, d *report.Document) (wDocument, map[string][]byte) {
	t.Helper()
	parts := unzipDOCX(t, d)
	var doc wDocument
	if err := xml.Unmarshal(parts["word/document.xml"], &doc); err != nil {
		t.Fatal(err)
	}
	return doc, parts
}

func (doc wDocument) tables() []wBlock {
	var ts []wBlock
	for _, b := range doc.Body.Blocks {
		if b.XMLName.Local == "tbl" {
			ts = append(ts, b)
		}
	}
	return ts
}

func (doc wDocument) paragraphs(style string) []string {
	var ps []string
	for _, b := range doc.Body.Blocks {
		if b.XMLName.Local == "p" && b.Style.Val == style {
			ps = append(ps, b.text())
		}
	}
	return ps
}

// gridTexts maps each (row, grid column) where a w:tc starts to its text.
func gridTexts(tbl wBlock) map[[2]int]string {
	m := map[[2]int]string{}
	for r, row := range tbl.Rows {
		col := 0
		for _, c := range row.Cells {
			m[[2]int{r, col}] = c.text()
			col += c.span()
		}
	}
	return m
}

func TestDOCXNumbers(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			d := load(t, name)
			doc, _ := parseDocument(t, d)
			tables := doc.tables()
			if len(tables) != report.NumTables {
				t.Fatalf("%d tables, want %d", len(tables), report.NumTables)
			}
			var texts [report.NumTables]map[[2]int]string
			for i, tbl := range tables {
				texts[i] = gridTexts(tbl)
			}
			l := d.Layout()
			for _, ref := range l.Cells {
				row, col := position(l, ref)
				v, _ := d.Value(ref.Path)
				got, ok := texts[ref.Table][[2]int{row, col}]
				if want := printed(v, ref.Kind); !ok || got != want {
					t.Errorf("%s at row %d column %d = %q (cell starts there: %v), want %q", ref.Path, row, col, got, ok, want)
				}
			}
		})
	}
}

func TestDOCXRowsFillTheGrid(t *testing.T) {
	for _, name := range fixtures[:2] {
		doc, _ := parseDocument(t, load(t, name))
		for i, tbl := range doc.tables() {
			for r, row := range tbl.Rows {
				n := 0
				for _, c := range row.Cells {
					n += c.span()
				}
				if n != len(tbl.Grid) {
					t.Errorf("%s table %d row %d spans %d of %d grid columns", name, i, r, n, len(tbl.Grid))
				}
			}
		}
	}
}

func TestDOCXMergedHeaders(t *testing.T) {
	note := report.Table3Note
	tests := []struct {
		doc   string
		table int
		row   int
		want  []string
	}{
		{"seed-2020.json", 1, 0, []string{"3R:" + note, "7:申请人情况"}},
		{"seed-2020.json", 1, 1, []string{"3C:", "1R:自然人", "5:法人或其他组织", "1R:总计"}},
		{"seed-2020.json", 1, 2, []string{"3C:", "1C:", "1:商业企业", "1:科研机构", "1:社会公益组织", "1:法律服务机构", "1:其他", "1C:"}},
		{"seed-2020.json", 1, 3, []string{"3:一、本年新收政府信息公开申请数量", "1:0", "1:0", "1:0", "1:0", "1:0", "1:0", "1:0"}},
		{"distinct-2020", 1, 5, []string{"1R:三、本年度办理结果", "2:（一）予以公开", "1:37", "1:38", "1:39", "1:40", "1:41", "1:", "1:43"}},
		{"distinct-2020", 1, 7, []string{"1C:", "1R:（三）不予公开", "1:1.属于国家秘密", "1:51", "1:52", "1:53", "1:54", "1:55", "1:", "1:57"}},
		{"distinct-2020", 1, 8, []string{"1C:", "1C:", "1:2.其他法律行政法规禁止公开", "1:58", "1:59", "1:60", "1:61", "1:62", "1:", "1:64"}},
		{"clean-2021.json", 1, 25, []string{"1C:", "1C:", "1:3.其他", "1:0", "1:0", "1:0", "1:0", "1:0", "1:0", "1:0"}},
		{"clean-2021.json", 1, 26, []string{"1C:", "2:（七）总计", "1:35", "1:5", "1:0", "1:1", "1:2", "1:0", "1:43"}},
		{"seed-2020.json", 2, 0, []string{"5:行政复议", "10:行政诉讼"}},
		{"seed-2020.json", 2, 1, []string{"1R:结果维持", "1R:结果纠正", "1R:其他结果", "1R:尚未审结", "1R:总计", "5:未经复议直接起诉", "5:复议后起诉"}},
		{"seed-2020.json", 2, 2, []string{"1C:", "1C:", "1C:", "1C:", "1C:", "1:结果维持", "1:结果纠正", "1:其他结果", "1:尚未审结", "1:总计", "1:结果维持", "1:结果纠正", "1:其他结果", "1:尚未审结", "1:总计"}},
		{"distinct-2021", 0, 0, []string{"4:第二十条第（一）项"}},
		{"distinct-2021", 0, 1, []string{"1:信息内容", "1:本年制发件数", "1:本年废止件数", "1:现行有效件数"}},
		{"distinct-2021", 0, 6, []string{"1:行政许可", "3:"}}, // cell 7 of the document is blank
		{"distinct-2021", 0, 10, []string{"1:行政强制", "3:9"}},
		{"distinct-2020", 0, 17, []string{"1:政府集中采购", "1:", "2:22.375"}},
	}
	for _, tt := range tests {
		doc, _ := parseDocument(t, load(t, tt.doc))
		row := doc.tables()[tt.table].Rows[tt.row]
		var got []string
		for _, c := range row.Cells {
			got = append(got, c.describe())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s table %d row %d\n got %q\nwant %q", tt.doc, tt.table, tt.row, got, tt.want)
		}
	}
}

func TestDOCXStructure(t *testing.T) {
	d := load(t, "seed-2020.json")
	doc, parts := parseDocument(t, d)
	if got := doc.paragraphs("QfTitle"); !slices.Equal(got, []string{"海盐县民政局2020年度政府信息公开工作年度报告"}) {
		t.Errorf("title = %q", got)
	}
	want := []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
	if got := doc.paragraphs("QfHeading"); !slices.Equal(got, want) {
		t.Errorf("headings = %q, want %q", got, want)
	}
	if got := doc.paragraphs("QfBody"); len(got) == 0 || got[0] != strings.Split(d.Sections.Overview, "\n")[0] {
		t.Errorf("first paragraph = %.40q…", got)
	}
	s := doc.Body.Sect
	if s.Size.W != "11906" || s.Size.H != "16838" || s.Margin.Top != "2098" || s.Margin.Left != "1588" {
		t.Errorf("page = %+v, want A4 with GB/T 9704 margins", s)
	}
	for _, tbl := range doc.tables() {
		if tbl.Rows[0].Header != nil != (len(tbl.Grid) > 4) {
			t.Errorf("table of %d columns: first row repeated as header = %v", len(tbl.Grid), tbl.Rows[0].Header != nil)
		}
	}
	styles, fonts := string(parts["word/styles.xml"]), string(parts["word/fontTable.xml"])
	for _, s := range []string{`w:eastAsia="方正小标宋简体"`, `w:eastAsia="仿宋_GB2312"`, `w:firstLineChars="200"`} {
		if !strings.Contains(styles, s) {
			t.Errorf("styles.xml lacks %s", s)
		}
	}
	for _, s := range []string{`<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>`, `<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>`} {
		if !strings.Contains(fonts, s) {
			t.Errorf("fontTable.xml lacks %s", s)
		}
	}
}

// TestDOCXEscapesUserText puts markup, entities and control characters in
// every user string: all parts must stay well-formed and the text must
// come back as text.
func TestDOCXEscapesUserText(t *testing.T) {
	d := load(t, "clean-2021.json")
	d.Title = "<b>标题</b> & \"引号\"\x00"
	d.Agency.Name = "机关<script>&amp;"
	d.Sections.Problems = "第一段<script>alert(1)</script>&\x01\x08\n\n  第二段 ]]> 'x' \uFFFE\r\n第三段\t制表"
	doc, parts := parseDocument(t, d)
	for name, b := range parts {
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", name, err)
			}
		}
	}
	if got := doc.paragraphs("QfTitle"); !slices.Equal(got, []string{"<b>标题</b> & \"引号\""}) {
		t.Errorf("title = %q", got)
	}
	var five []string
	in := false
	for _, b := range doc.Body.Blocks {
		switch {
		case b.Style.Val == "QfHeading":
			in = b.text() == "五、存在的主要问题及改进情况"
		case in && b.Style.Val == "QfBody":
			five = append(five, b.text())
		}
	}
	want := []string{"第一段<script>alert(1)</script>&", "第二段 ]]> 'x'", "第三段\t制表"}
	if !slices.Equal(five, want) {
		t.Errorf("section 五 = %q, want %q", five, want)
	}
	var core struct {
		Title   string `xml:"title"`
		Creator string `xml:"creator"`
	}
	if err := xml.Unmarshal(parts["docProps/core.xml"], &core); err != nil {
		t.Fatal(err)
	}
	if core.Title != "<b>标题</b> & \"引号\"" || core.Creator != "机关<script>&amp;" {
		t.Errorf("core.xml title %q creator %q", core.Title, core.Creator)
	}
}

func TestDOCXPackage(t *testing.T) {
	parts := unzipDOCX(t, load(t, "seed-2020.json"))
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
		"word/_rels/document.xml.rels", "word/document.xml", "word/fontTable.xml", "word/settings.xml", "word/styles.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("parts = %q, want %q", names, want)
	}
	a, _ := DOCX(load(t, "seed-2020.json"))
	b, _ := DOCX(load(t, "seed-2020.json"))
	if !bytes.Equal(a, b) {
		t.Error("the same report gave different DOCX bytes")
	}
}
