package handlers

import (
	"strconv"
	"strings"

	"qianfa/report"
	"qianfa/report/check"
)

// gridCell is one number input of the editor.
type gridCell struct {
	ID, Path, Label, Value string
	Invalid, Warned        bool
	Numeric                bool // integer column: numeric keyboard on phones
	Carry                  *cellCarry
}

// gridSum is a computed sum, updated out of band as the drafter types.
type gridSum struct {
	ID, Label, Text string
}

type gridRow struct {
	Label string
	Cells []gridCell
	Sum   *gridSum
}

type gridBlock struct {
	Label   string
	Columns []string
	Rows    []gridRow
	Footer  []gridFooter
	RowSums bool
}

// gridFooter is a row of column sums under a block.
type gridFooter struct {
	Label string
	Sums  []gridSum
}

type gridTable struct {
	Key, Name, Title string
	Blocks           []gridBlock
}

// editorPart is one narrative field, with the table that follows it, if any.
type editorPart struct {
	Key, Label, Text string
	Table            *gridTable
}

// gridView lays out doc for the editor; raw holds typed text that did not parse.
func gridView(doc *report.Document, raw map[string]string, fs []check.Finding) []editorPart {
	errCells, warnCells := findingCells(fs)
	var parts []editorPart
	for _, key := range report.SectionKeys {
		text, _ := doc.Sections.Section(key)
		p := editorPart{Key: key, Label: sectionLabels[key], Text: text}
		if t, ok := sectionTables[key]; ok {
			p.Table = tableView(doc, t, raw, errCells, warnCells)
		}
		parts = append(parts, p)
	}
	return parts
}

func tableView(doc *report.Document, t report.TableID, raw map[string]string, errCells, warnCells map[string]bool) *gridTable {
	l := doc.Layout()
	lt := &l.Tables[t]
	gt := &gridTable{Key: lt.Key, Name: tableNames[t], Title: lt.Title}
	for bi := range lt.Blocks {
		b := &lt.Blocks[bi]
		gb := gridBlock{Label: b.Label, RowSums: hasTotal(b)}
		for _, c := range b.Columns {
			gb.Columns = append(gb.Columns, strings.TrimSpace(c.Group+" "+c.Label))
		}
		for ri, r := range b.Rows {
			gr := gridRow{Label: strings.TrimSpace(r.Group + " " + r.Label)}
			for _, c := range b.Columns {
				path := report.CellPath(lt.Key, b.Key, r.Key, c.Key)
				ref, _ := l.Lookup(path)
				v, typed := raw[path]
				if !typed {
					cv, _ := doc.Value(path)
					v = cv.String()
				}
				gr.Cells = append(gr.Cells, gridCell{ID: cellID(path), Path: path, Label: cellLabel(l, ref), Value: v,
					Invalid: errCells[path], Warned: warnCells[path], Numeric: c.Kind.Integral()})
			}
			if gb.RowSums {
				gr.Sum = rowSum(doc, lt.Key, b, ri)
			}
			gb.Rows = append(gb.Rows, gr)
		}
		gb.Footer = footers(doc, t, lt.Key, b)
		gt.Blocks = append(gt.Blocks, gb)
	}
	return gt
}

// hasTotal reports whether a block has a 总计 column, next to which the editor shows
// the sum of the other columns.
func hasTotal(b *report.Block) bool { return b.ColumnIndex("total") >= 0 }

func rowSum(doc *report.Document, table string, b *report.Block, ri int) *gridSum {
	var paths []string
	for _, c := range b.Columns {
		if c.Key != "total" {
			paths = append(paths, report.CellPath(table, b.Key, b.Rows[ri].Key, c.Key))
		}
	}
	id := "sum-" + strings.ReplaceAll(report.CellPath(table, b.Key, b.Rows[ri].Key, "row"), ".", "--")
	return &gridSum{ID: id, Label: "各项之和", Text: sumText(doc, paths)}
}

// footers are the column sums under a block: in 表三 the two sides of the printed
// balance (一+二 and （七）总计+四), elsewhere the sum of the rows.
func footers(doc *report.Document, t report.TableID, table string, b *report.Block) []gridFooter {
	if t == report.T3 {
		return []gridFooter{
			columnSums(doc, table, b, "一+二", "in", "r1_new_received", "r2_carried_over_in"),
			columnSums(doc, table, b, "（七）总计+四", "out", "r3_7_total", "r4_carried_over_out"),
		}
	}
	if len(b.Rows) < 2 {
		return nil
	}
	var keys []string
	for _, r := range b.Rows {
		keys = append(keys, r.Key)
	}
	return []gridFooter{columnSums(doc, table, b, "列合计", "all", keys...)}
}

func columnSums(doc *report.Document, table string, b *report.Block, label, name string, rowKeys ...string) gridFooter {
	f := gridFooter{Label: label}
	for _, c := range b.Columns {
		var paths []string
		for _, rk := range rowKeys {
			paths = append(paths, report.CellPath(table, b.Key, rk, c.Key))
		}
		id := "sum-" + strings.ReplaceAll(report.CellPath(table, b.Key, name, c.Key), ".", "--")
		f.Sums = append(f.Sums, gridSum{ID: id, Label: label + " " + c.Label, Text: sumText(doc, paths)})
	}
	return f
}

// sumText adds the integer cells at paths; blank when all are blank or any is not whole.
func sumText(doc *report.Document, paths []string) string {
	var total int64
	any := false
	for _, p := range paths {
		v, _ := doc.Value(p)
		if v.IsBlank() {
			continue
		}
		if !v.IsInteger() {
			return ""
		}
		total += v.Int64()
		any = true
	}
	if !any {
		return ""
	}
	return strconv.FormatInt(total, 10)
}

// allSums lists every sum of the grid, for the out-of-band update after a check.
func allSums(parts []editorPart) []gridSum {
	var out []gridSum
	for _, p := range parts {
		if p.Table == nil {
			continue
		}
		for _, b := range p.Table.Blocks {
			for _, r := range b.Rows {
				if r.Sum != nil {
					out = append(out, *r.Sum)
				}
			}
			for _, f := range b.Footer {
				out = append(out, f.Sums...)
			}
		}
	}
	return out
}

func findingCells(fs []check.Finding) (errs, warns map[string]bool) {
	errs, warns = map[string]bool{}, map[string]bool{}
	for _, f := range fs {
		for _, c := range f.Cells {
			if f.Severity == check.Error {
				errs[c] = true
			} else {
				warns[c] = true
			}
		}
	}
	return errs, warns
}
