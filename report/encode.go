package report

import (
	"bytes"
	"fmt"
	"strconv"
)

// Encode returns the canonical JSON form: 2-space indent, members in the
// order of the interchange document, blanks as null, empty sections
// omitted, numbers as written, and a final newline.
func (d *Document) Encode() ([]byte, error) {
	l := d.Layout()
	if l == nil {
		return nil, fmt.Errorf("编码报告：未知版本 %q", d.Edition)
	}
	for t := range l.Tables {
		if !d.Fits(TableID(t)) {
			return nil, fmt.Errorf("编码报告：%s 与%s年版格式不符", l.Tables[t].Key, d.Edition)
		}
	}
	var b bytes.Buffer
	b.Grow(16 << 10)
	b.WriteString("{")
	member(&b, 1, "format", true)
	quote(&b, Format)
	member(&b, 1, "edition", false)
	quote(&b, string(d.Edition))
	member(&b, 1, "year", false)
	b.WriteString(strconv.Itoa(d.Year))
	member(&b, 1, "agency", false)
	b.WriteString("{")
	member(&b, 2, "name", true)
	quote(&b, d.Agency.Name)
	member(&b, 2, "level", false)
	quote(&b, d.Agency.Level)
	closeObject(&b, 1, false)
	member(&b, 1, "title", false)
	quote(&b, d.Title)
	member(&b, 1, "sections", false)
	d.encodeSections(&b)
	for t := range l.Tables {
		member(&b, 1, l.Tables[t].Key, false)
		d.encodeTable(&b, &l.Tables[t])
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// member writes the separator, indentation and key of an object member.
func member(b *bytes.Buffer, depth int, key string, first bool) {
	if !first {
		b.WriteByte(',')
	}
	b.WriteByte('\n')
	indent(b, depth)
	quote(b, key)
	b.WriteString(": ")
}

func indent(b *bytes.Buffer, depth int) {
	for i := 0; i < depth; i++ {
		b.WriteString("  ")
	}
}

func closeObject(b *bytes.Buffer, depth int, empty bool) {
	if !empty {
		b.WriteByte('\n')
		indent(b, depth)
	}
	b.WriteByte('}')
}

func (d *Document) encodeSections(b *bytes.Buffer) {
	b.WriteByte('{')
	n := 0
	for _, key := range SectionKeys {
		text, _ := d.Sections.Section(key)
		if text == "" {
			continue
		}
		member(b, 2, key, n == 0)
		quote(b, text)
		n++
	}
	closeObject(b, 1, n == 0)
}

func (d *Document) encodeTable(b *bytes.Buffer, t *Table) {
	cells := d.cells[t.ID]
	b.WriteByte('{')
	depth := 2
	for bi, blk := range t.Blocks {
		if blk.Key != "" {
			member(b, 2, blk.Key, bi == 0)
			b.WriteByte('{')
			depth = 3
		}
		for ri, r := range blk.Rows {
			member(b, depth, r.Key, ri == 0 && (blk.Key != "" || bi == 0))
			b.WriteByte('{')
			for ci, c := range blk.Columns {
				member(b, depth+1, c.Key, ci == 0)
				if v := cells[r.Offset+ci]; v.IsBlank() {
					b.WriteString("null")
				} else {
					b.WriteString(v.text)
				}
			}
			closeObject(b, depth, false)
		}
		if blk.Key != "" {
			closeObject(b, 2, false)
		}
	}
	closeObject(b, 1, false)
}
