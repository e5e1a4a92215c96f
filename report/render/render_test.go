package render

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"qianfa/report"
	"qianfa/report/reporttest"
)

// load decodes a fixture of report/testdata.
func load(t testing.TB, name string) *report.Document { return reporttest.Load(t, name) }

func parse(t *testing.T, d *report.Document) *goquery.Document {
	t.Helper()
	html, err := Fragment(d)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(html)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// expectedText is written independently of CellText: blank → "", positive
// 本年增/减 → "+n", anything else as written in the document.
func expectedText(d *report.Document, ref report.CellRef) string {
	v, _ := d.Value(ref.Path)
	if ref.Kind == report.KindChange && v.String() != "" && !strings.HasPrefix(v.String(), "-") && v.String() != "0" {
		return "+" + v.String()
	}
	return v.String()
}

func TestEveryCellMatchesTheDocument(t *testing.T) {
	seed := load(t, "seed-2020.json")
	blanked := load(t, "clean-2021.json")
	_ = blanked.Set("t3.r3_3_1_state_secret.research", report.Blank())
	for name, d := range map[string]*report.Document{"seed": seed, "clean 2021 with a blank": blanked} {
		t.Run(name, func(t *testing.T) {
			doc := parse(t, d)
			if got := doc.Find("td[data-path]").Length(); got != len(d.Layout().Cells) {
				t.Errorf("%d number cells, want %d", got, len(d.Layout().Cells))
			}
			for _, ref := range d.Layout().Cells {
				sel := doc.Find(`td[data-path="` + ref.Path + `"]`)
				if sel.Length() != 1 {
					t.Errorf("%s: %d cells", ref.Path, sel.Length())
					continue
				}
				if got, want := sel.Text(), expectedText(d, ref); got != want {
					t.Errorf("%s = %q, want %q", ref.Path, got, want)
				}
			}
		})
	}
}

func TestSeedSpecificCells(t *testing.T) {
	doc := parse(t, load(t, "seed-2020.json"))
	for path, want := range map[string]string{
		"t2.art20_5.administrative_licensing.change":   "-30",
		"t2.art20_5.other_external_services.change":    "+199",
		"t2.art20_5.other_external_services.decisions": "43051",
		"t2.art20_9.central_procurement.amount_yuan":   "12293400",
		"t4.litigation_after_review.total":             "0",
	} {
		if got := doc.Find(`td[data-path="` + path + `"]`).Text(); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

func headerTexts(doc *goquery.Document) map[string]bool {
	set := map[string]bool{}
	doc.Find("th").Each(func(_ int, s *goquery.Selection) { set[s.Text()] = true })
	return set
}

func TestLabelsAndHeadings(t *testing.T) {
	for _, name := range []string{"seed-2020.json", "clean-2021.json"} {
		t.Run(name, func(t *testing.T) {
			d := load(t, name)
			doc := parse(t, d)
			ths := headerTexts(doc)
			want := []string{"信息内容", "申请人情况", "法人或其他组织", "行政诉讼", report.Table3Note,
				"三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理"}
			if d.Edition == report.Edition2021 {
				want = append(want, "（六）其他处理")
			}
			l := d.Layout()
			for _, tab := range l.Tables {
				for _, b := range tab.Blocks {
					if b.Label != "" {
						want = append(want, b.Label)
					}
					for _, c := range b.Columns {
						want = append(want, c.Label)
					}
					for _, r := range b.Rows {
						want = append(want, r.Label)
					}
				}
			}
			for _, w := range want {
				if !ths[w] {
					t.Errorf("label %q missing", w)
				}
			}
			var hs []string
			doc.Find("h2").Each(func(_ int, s *goquery.Selection) { hs = append(hs, s.Text()) })
			wantH := "一、总体情况|二、主动公开政府信息情况|三、收到和处理政府信息公开申请情况|四、政府信息公开行政复议、行政诉讼情况|五、存在的主要问题及改进情况|六、其他需要报告的事项"
			if strings.Join(hs, "|") != wantH {
				t.Errorf("headings = %v", hs)
			}
			if got := doc.Find("h1.qf-title").Text(); got != d.Title {
				t.Errorf("title = %q", got)
			}
		})
	}
}

func TestEditionLabelsDoNotLeak(t *testing.T) {
	ths := headerTexts(parse(t, load(t, "clean-2021.json")))
	for _, old := range []string{"第二十条第（九）项", "本年新制作数量", "上一年项目数量", "规范性文件", "其他对外管理服务事项"} {
		if ths[old] {
			t.Errorf("2019 label %q in a 2021 report", old)
		}
	}
}

func span(s *goquery.Selection, attr string) int {
	v, ok := s.Attr(attr)
	if !ok {
		return 1
	}
	n, _ := strconv.Atoi(v)
	return n
}

// gridWidths lays out a table's rows honouring rowspan and colspan and
// returns the width of every row.
func gridWidths(table *goquery.Selection) []int {
	var widths []int
	carry := map[int]int{} // column → rows still covered from above
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		col := 0
		next := map[int]int{}
		skip := func() {
			for carry[col] > 0 {
				if carry[col] > 1 {
					next[col] = carry[col] - 1
				}
				col++
			}
		}
		tr.Children().Each(func(_ int, c *goquery.Selection) {
			skip()
			cs, rs := span(c, "colspan"), span(c, "rowspan")
			for i := 0; i < cs; i++ {
				if rs > 1 {
					next[col] = rs - 1
				}
				col++
			}
		})
		skip()
		widths = append(widths, col)
		carry = next
	})
	return widths
}

func TestTableGridsAreRectangular(t *testing.T) {
	for _, name := range []string{"seed-2020.json", "clean-2021.json"} {
		doc := parse(t, load(t, name))
		for table, want := range map[string]int{"t2": 4, "t3": 10, "t4": 15} {
			for i, w := range gridWidths(doc.Find(`table[data-table="` + table + `"]`)) {
				if w != want {
					t.Errorf("%s %s row %d width %d, want %d", name, table, i, w, want)
				}
			}
		}
	}
}

func TestMergedHeaders(t *testing.T) {
	tests := []struct {
		name, label, attr string
		want              int
	}{
		{"seed-2020.json", "三、本年度办理结果", "rowspan", 20},
		{"clean-2021.json", "三、本年度办理结果", "rowspan", 22},
		{"seed-2020.json", "（三）不予公开", "rowspan", 8},
		{"seed-2020.json", "（五）不予处理", "rowspan", 5},
		{"clean-2021.json", "（六）其他处理", "rowspan", 3},
		{"seed-2020.json", "（六）其他处理", "colspan", 2},
		{"seed-2020.json", "法人或其他组织", "colspan", 5},
		{"seed-2020.json", "行政复议", "colspan", 5},
		{"seed-2020.json", "行政诉讼", "colspan", 10},
		{"seed-2020.json", "复议后起诉", "colspan", 5},
		{"seed-2020.json", report.Table3Note, "rowspan", 3},
	}
	docs := map[string]*goquery.Document{}
	for _, tt := range tests {
		doc := docs[tt.name]
		if doc == nil {
			doc = parse(t, load(t, tt.name))
			docs[tt.name] = doc
		}
		th := doc.Find("th").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == tt.label })
		if th.Length() != 1 || span(th, tt.attr) != tt.want {
			t.Errorf("%s %q: %d cells, %s=%d, want %d", tt.name, tt.label, th.Length(), tt.attr, span(th.First(), tt.attr), tt.want)
		}
	}
}

func TestNarrativeIsEscapedAndSplit(t *testing.T) {
	d := load(t, "clean-2021.json")
	d.Title = `<img src=x onerror=alert(1)>年报`
	d.Sections.Other = "第一段<script>alert('x')</script>\n\n第二段 & \"引号\""
	html, err := Fragment(d)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(html)))
	if doc.Find("script, img").Length() != 0 {
		t.Fatal("markup from the document became elements")
	}
	ps := doc.Find("section").Last().Find("p")
	if ps.Length() != 2 || ps.Eq(0).Text() != "第一段<script>alert('x')</script>" || ps.Eq(1).Text() != "第二段 & \"引号\"" {
		t.Errorf("paragraphs: %d %q", ps.Length(), ps.Text())
	}
	if doc.Find("h1").Text() != d.Title {
		t.Errorf("title = %q", doc.Find("h1").Text())
	}
}

func TestPage(t *testing.T) {
	var b bytes.Buffer
	if err := Page(&b, load(t, "seed-2020.json"), PageOptions{Banner: "草稿，未发布"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`<html lang="zh-CN">`, "@page { size: A4;", "<title>海盐县民政局2020年度政府信息公开工作年度报告</title>",
		`<p class="qf-banner">草稿，未发布</p>`, `data-path="t4.review.total"`} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(out, banned) {
			t.Errorf("page contains %q", banned)
		}
	}
}

func TestRefusesMisfitDocument(t *testing.T) {
	d := load(t, "seed-2020.json")
	d.Edition = report.Edition2021
	if _, err := Fragment(d); err == nil || err.Error() != "渲染报告：t2 与2021年版格式不符" {
		t.Errorf("Fragment error = %v", err)
	}
	var b bytes.Buffer
	if err := Page(&b, &report.Document{Edition: "x"}, PageOptions{}); err == nil || b.Len() != 0 {
		t.Errorf("Page error = %v, wrote %d bytes", err, b.Len())
	}
}

func BenchmarkRenderSeed(b *testing.B) {
	d := load(b, "seed-2020.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fragment(d); err != nil {
			b.Fatal(err)
		}
	}
}
