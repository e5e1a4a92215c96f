package handlers

import (
	"net/url"
	"strings"

	"qianfa/report"
)

// tableNames are the tables' names as the official format numbers them.
var tableNames = [report.NumTables]string{report.T2: "表二", report.T3: "表三", report.T4: "表四"}

// sectionLabels name the narrative fields of the editor.
var sectionLabels = map[string]string{
	"overview":       "一、总体情况",
	"proactive_note": "二、主动公开政府信息情况（说明，可选）",
	"requests_note":  "三、收到和处理政府信息公开申请情况（说明，可选）",
	"reviews_note":   "四、政府信息公开行政复议、行政诉讼情况（说明，可选）",
	"problems":       "五、存在的主要问题及改进情况",
	"other":          "六、其他需要报告的事项",
}

// sectionTables says which table follows each narrative field in the editor.
var sectionTables = map[string]report.TableID{"proactive_note": report.T2, "requests_note": report.T3, "reviews_note": report.T4}

// cellLabel names a cell for people: 「表三 一、本年新收政府信息公开申请数量 自然人」.
func cellLabel(l *report.Layout, ref report.CellRef) string {
	t := &l.Tables[ref.Table]
	b := &t.Blocks[ref.Block]
	row, col := b.Rows[ref.Row], b.Columns[ref.Column]
	parts := []string{tableNames[ref.Table]}
	for _, p := range []string{b.Label, row.Group, row.Label, col.Group, col.Label} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// pathLabel names any path of a document: a cell, a section or a header field.
func pathLabel(l *report.Layout, path string) string {
	if ref, ok := l.Lookup(path); ok {
		return cellLabel(l, ref)
	}
	if key, ok := strings.CutPrefix(path, "sections."); ok && sectionLabels[key] != "" {
		return sectionLabels[key]
	}
	return map[string]string{"title": "标题", "year": "年度", "edition": "格式版本",
		"agency.name": "单位名称", "agency.level": "单位层级"}[path]
}

// cellID is the HTML id of a cell's input; dots would need escaping in CSS selectors.
func cellID(path string) string { return "c-" + strings.ReplaceAll(path, ".", "--") }

// focusID is the id of the field a finding's path names: a section's text area or a
// cell's input.
func focusID(path string) string {
	if key, ok := strings.CutPrefix(path, "sections."); ok {
		return "s-" + key
	}
	return cellID(path)
}

// formDocument applies the editor's form to a copy of base. It returns the document,
// the text typed in every cell (so nothing typed is lost when it is shown again) and
// the cells whose text is not a number the cell accepts.
func formDocument(base *report.Document, form url.Values) (*report.Document, map[string]string, map[string]string) {
	doc := base.Clone()
	for _, key := range report.SectionKeys {
		if v, ok := form["sections."+key]; ok {
			doc.Sections.SetSection(key, strings.ReplaceAll(v[0], "\r\n", "\n"))
		}
	}
	raw, bad := map[string]string{}, map[string]string{}
	l := doc.Layout()
	for _, ref := range l.Cells {
		v, ok := form[ref.Path]
		if !ok {
			continue
		}
		text := strings.TrimSpace(v[0])
		raw[ref.Path] = text
		if msg := setCell(doc, ref, text); msg != "" {
			bad[ref.Path] = cellLabel(l, ref) + "：「" + text + "」" + msg
		}
	}
	return doc, raw, bad
}

// setCell stores the typed text of one cell; it returns why the text was refused.
func setCell(doc *report.Document, ref report.CellRef, text string) string {
	if text == "" {
		_ = doc.Set(ref.Path, report.Blank())
		return ""
	}
	v, err := report.ParseNumber(strings.ReplaceAll(text, ",", ""))
	if err != nil {
		return "不是有效的数字"
	}
	if ref.Kind.Integral() && !v.IsInteger() {
		return "应为整数"
	}
	if err := doc.Set(ref.Path, v); err != nil {
		return "无法填入该数值"
	}
	return ""
}
