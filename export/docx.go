package export

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"strings"
	"text/template"
	"time"

	"qianfa/report"
)

//go:embed templates/*.xml.tmpl
var templateFiles embed.FS

// docxTemplates are the WordprocessingML parts. Every user string goes
// through the x function, which drops XML-illegal characters and escapes.
var docxTemplates = template.Must(template.New("docx").
	Funcs(template.FuncMap{"x": escapeXML}).
	ParseFS(templateFiles, "templates/*.xml.tmpl"))

func escapeXML(s string) (string, error) {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(cleanText(s))); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Fonts of the official layout; Word takes the font table's altName when
// the first is not installed.
var (
	fontTitle   = docxFont{"方正小标宋简体", "宋体", "roman"}
	fontHeading = docxFont{"黑体", "SimHei", "modern"}
	fontBody    = docxFont{"仿宋_GB2312", "仿宋", "modern"}
	fontTable   = docxFont{"宋体", "SimSun", "roman"}
)

type docxFont struct{ Name, Alt, Family string }

// Page geometry in twentieths of a point: A4 with the margins of GB/T 9704.
const (
	docxTextWidth = 11906 - 1588 - 1474
)

// docxParts lists the package parts in writing order with their template;
// [Content_Types].xml comes first, as some readers expect.
var docxParts = []struct{ name, tmpl string }{
	{"[Content_Types].xml", "content_types.xml.tmpl"},
	{"_rels/.rels", "rels.xml.tmpl"},
	{"docProps/core.xml", "core.xml.tmpl"},
	{"docProps/app.xml", "app.xml.tmpl"},
	{"word/_rels/document.xml.rels", "document_rels.xml.tmpl"},
	{"word/document.xml", "document"},
	{"word/styles.xml", "styles.xml.tmpl"},
	{"word/settings.xml", "settings.xml.tmpl"},
	{"word/fontTable.xml", "font_table.xml.tmpl"},
}

// docxTime is the fixed modification time of every part, so that the same
// report always gives the same bytes.
var docxTime = time.Date(2019, 5, 15, 0, 0, 0, 0, time.UTC)

// DOCX returns the whole report as a Word document in the official layout:
// the title, the six sections with their narrative and tables 二, 三 and 四
// with merged header cells, on A4.
func DOCX(d *report.Document) ([]byte, error) {
	gs, err := grids(d)
	if err != nil {
		return nil, err
	}
	data := newDocxData(d, gs)
	var out bytes.Buffer
	out.Grow(64 << 10)
	zw := zip.NewWriter(&out)
	for _, p := range docxParts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxTime})
		if err == nil {
			err = docxTemplates.ExecuteTemplate(w, p.tmpl, data.forPart(p.tmpl))
		}
		if err != nil {
			return nil, fmt.Errorf("导出 Word：%s：%w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("导出 Word：%w", err)
	}
	return out.Bytes(), nil
}

type docxData struct {
	Title, Agency string
	Sections      []docxSection
}

// forPart returns what the template of a part prints.
func (d *docxData) forPart(tmpl string) any {
	switch tmpl {
	case "styles.xml.tmpl":
		return map[string]string{"Title": fontTitle.Name, "Heading": fontHeading.Name,
			"Body": fontBody.Name, "Table": fontTable.Name}
	case "font_table.xml.tmpl":
		return []docxFont{fontTitle, fontHeading, fontBody, fontTable}
	}
	return d
}

type docxSection struct {
	Heading    string
	Paragraphs []string
	Table      *docxTable
}

type docxTable struct {
	Width int
	Grid  []int
	Rows  []docxRow
}

type docxRow struct {
	Header bool
	Cells  []docxCell
}

type docxCell struct {
	Width, Span int
	VMerge      string // "", "restart" or "continue"
	Text        string
	Left        bool
}

// headings are 一、五、六 of format.md §2.1; 二、三、四 are the table titles.
var headings = [...]string{"一、总体情况", "", "", "", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}

func newDocxData(d *report.Document, gs [report.NumTables]*tableGrid) *docxData {
	s := &d.Sections
	texts := [...]string{s.Overview, s.ProactiveNote, s.RequestsNote, s.ReviewsNote, s.Problems, s.Other}
	data := &docxData{Title: documentTitle(d.Agency.Name, d.Year, d.Title), Agency: oneLine(d.Agency.Name)}
	for i, text := range texts {
		sec := docxSection{Heading: headings[i], Paragraphs: paragraphs(text)}
		if i >= 1 && i <= report.NumTables {
			g := gs[i-1]
			sec.Heading, sec.Table = g.Heading, newDocxTable(g)
		}
		data.Sections = append(data.Sections, sec)
	}
	return data
}

// newDocxTable turns a grid into rows of w:tc: a cell starts with its
// gridSpan (and vMerge="restart" when it spans rows); each row below it
// that it covers holds a vMerge continuation of the same span.
func newDocxTable(g *tableGrid) *docxTable {
	t := &docxTable{Grid: twips(g.Widths), Width: docxTextWidth}
	at := g.at()
	for r := range g.Rows {
		row := docxRow{Header: r < g.HeadRows}
		for col := 0; col < g.Cols; {
			c := g.Cells[at[r][col]]
			dc := docxCell{Span: c.ColSpan, Width: sum(t.Grid[c.Col : c.Col+c.ColSpan])}
			switch {
			case c.Row != r:
				dc.VMerge = "continue"
			default:
				dc.Text, dc.Left = c.Text, !c.Number && !c.Header && c.RowSpan == 1
				if c.RowSpan > 1 {
					dc.VMerge = "restart"
				}
			}
			row.Cells = append(row.Cells, dc)
			col += c.ColSpan
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// twips scales column widths in characters to the text width of the page.
func twips(widths []float64) []int {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	out := make([]int, len(widths))
	used := 0
	for i, w := range widths {
		out[i] = int(w / total * docxTextWidth)
		used += out[i]
	}
	out[len(out)-1] += docxTextWidth - used
	return out
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
